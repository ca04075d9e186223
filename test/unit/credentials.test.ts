/** The cluster's credentials: configured values as given, the rest generated (random passwords) or default user names. */
import * as assert from "assert";
import { ONPREM_SECRET_KEYS, onpremConfig } from "../support/fixtures";
import { runProgram, sharedRun } from "../support/program";

const RANDOM = "random:index/randomPassword:RandomPassword";

describe("credentials", () => {
    it("3.8: generates every password, uses the vendor's user names, and takes overrides as given", async () => {
        const run = await runProgram(onpremConfig({ redisPassword: "Configured-Redis-1", grafanaAdminUser: "ops" }), [...ONPREM_SECRET_KEYS, "redisPassword"]);
        const generated = run
            .ofType(RANDOM)
            .map((r) => r.name)
            .sort();
        assert.deepStrictEqual(generated, [
            "credentials-dashboardAdminPassword",
            "credentials-grafanaAdminPassword",
            "credentials-livekitApiKey",
            "credentials-livekitApiSecret",
            "credentials-meetInitialAdminPassword",
            "credentials-meetInitialApiKey",
            "credentials-minioSecretKey",
            "credentials-mongoAdminPassword",
            "credentials-mongoReplicaSetKey",
        ]);
        for (const r of run.ofType(RANDOM)) {
            assert.strictEqual(r.inputs.special, false, `${r.name}: letters and digits only`);
            assert.strictEqual(r.parent, "urn:pulumi:test::openvidu-ha::openvidu-ha:index:Credentials::credentials");
        }
        const values = run.revealedOutputs.credentials as Record<string, string>;
        assert.deepStrictEqual(Object.keys(values).sort(), [
            "dashboardAdminPassword",
            "dashboardAdminUser",
            "grafanaAdminPassword",
            "grafanaAdminUser",
            "livekitApiKey",
            "livekitApiSecret",
            "meetInitialAdminPassword",
            "meetInitialApiKey",
            "minioAccessKey",
            "minioSecretKey",
            "mongoAdminPassword",
            "mongoAdminUser",
            "mongoReplicaSetKey",
            "redisPassword",
        ]);
        assert.strictEqual(values.redisPassword, "Configured-Redis-1");
        assert.strictEqual(values.grafanaAdminUser, "ops");
        assert.deepStrictEqual([values.dashboardAdminUser, values.minioAccessKey, values.mongoAdminUser], ["dashboardadmin", "minioadmin", "mongoadmin"]);
        // The offline mock's placeholders ignore the requested length, so check what is asked of the provider.
        assert.ok(values.livekitApiKey.startsWith("API"), "LiveKit API keys start with API");
        const length = (name: string) => run.named(`credentials-${name}`).inputs.length;
        assert.deepStrictEqual([length("livekitApiKey"), length("livekitApiSecret"), length("mongoAdminPassword")], [9, 44, 44]);
    });

    it("3.0: OpenVidu Call credentials instead of Meet's", async () => {
        const run = await sharedRun(onpremConfig({ openviduVersion: "3.0.0" }), ONPREM_SECRET_KEYS);
        const values = run.revealedOutputs.credentials as Record<string, string>;
        assert.ok(!("meetInitialApiKey" in values) && !("meetInitialAdminPassword" in values));
        assert.deepStrictEqual([values.defaultAppUser, values.defaultAppAdminUser], ["calluser", "calladmin"]);
        assert.ok(run.ofType(RANDOM).some((r) => r.name === "credentials-defaultAppAdminPassword"));
    });
});
