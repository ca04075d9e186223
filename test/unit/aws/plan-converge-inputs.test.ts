/** What the masters' converge watcher and new media nodes read from the secrets (day 2 on AWS). */
import * as assert from "assert";
import { ClusterSecretInput, clusterSecretDocument, mediaGeneration, mediaSecretDocument } from "../../../components/aws/plan/cluster-secret";
import { clusterSecretInput } from "./cluster-secret-input";

/** The converge tests' stacks name a mirror updater with one digest. */
const input = (version: string, overrides: Partial<ClusterSecretInput> = {}) =>
    clusterSecretInput(version, { updater: { baseUrl: "https://mirror.example.com/update", sha256: { "3.8.0": "ab".repeat(32) } }, ...overrides });

describe("aws plan: converge inputs in the secrets", () => {
    it("the cluster secret carries what converge.sh takes on-prem: updater base and SHA-256, its path, the checkpoint, rounds and rules", () => {
        const doc = clusterSecretDocument(input("3.8.0"));
        assert.strictEqual(doc.OPENVIDU_HA_UPDATER_BASE_URL, "https://mirror.example.com/update");
        assert.strictEqual(doc.OPENVIDU_HA_UPDATER_SHA256, `3.8.0=${"ab".repeat(32)}`);
        assert.strictEqual(doc.OPENVIDU_HA_UPDATER_STEPS, "3.0.0 3.1.0 3.2.0 3.3.0 3.4.0 3.4.1 3.5.0 3.6.0 3.6.1 3.7.0 3.8.0");
        assert.strictEqual(doc.OPENVIDU_HA_UPGRADE_CHECKPOINT, "3.5.0");
        assert.strictEqual(doc.OPENVIDU_HA_CONVERGE_ROUNDS, "checkpoint final");
        assert.strictEqual(clusterSecretDocument(input("3.0.0")).OPENVIDU_HA_CONVERGE_ROUNDS, "final");
        const rules = doc.OPENVIDU_HA_CONVERGE_RULES.split("\n");
        assert.ok(rules.includes("--openvidu-pro-license in-place license config/cluster/openvidu.env:OPENVIDU_PRO_LICENSE"), rules.join("\n"));
        assert.ok(rules.includes("--redis-password cluster redisPassword config/node/master_node.env:REDIS_PASSWORD"));
        assert.ok(rules.some((r) => r.startsWith("--mongo-replica-set-key refused mongoReplicaSetKey ")));
        assert.strictEqual(
            clusterSecretDocument(input("3.8.0", { updater: { baseUrl: "https://x.example.com/u", sha256: {} } })).OPENVIDU_HA_UPDATER_SHA256,
            "-",
        );
    });

    it("the media secret names the masters' cluster-wide settings by hash only, never their values; in-place ones not at all", () => {
        const media = mediaSecretDocument(input("3.8.0"));
        const flags = media.OPENVIDU_HA_CLUSTER_SETTINGS.split("\n").map((l) => l.slice(2, l.indexOf("=")));
        assert.deepStrictEqual(flags.sort(), ["--enabled-modules", "--livekit-api-key", "--livekit-api-secret", "--redis-password", "--rtc-engine"]);
        assert.ok(media.OPENVIDU_HA_CLUSTER_SETTINGS.split("\n").every((l) => /^H --[a-z-]+=[0-9a-f]{64}$/.test(l)));
        assert.ok(!JSON.stringify(media).includes("value-of-livekitApiSecret"));
        assert.ok(!JSON.stringify(media).includes("LICENSE-123"));
    });

    it("the media generation (in both secrets) changes with what a media node installs or follows, not with in-place settings", () => {
        const base = input("3.8.0");
        const g = mediaGeneration(base);
        assert.match(g, /^[0-9a-f]{16}$/);
        assert.strictEqual(clusterSecretDocument(base).OPENVIDU_HA_MEDIA_GENERATION, g);
        assert.strictEqual(mediaSecretDocument(base).OPENVIDU_HA_MEDIA_GENERATION, g);
        assert.strictEqual(mediaGeneration({ ...base, license: "OTHER-LICENSE" }), g);
        assert.strictEqual(mediaGeneration({ ...base, credentials: { ...base.credentials, dashboardAdminPassword: "other" } }), g);
        assert.notStrictEqual(mediaGeneration({ ...base, modules: ["observability"] }), g);
        assert.notStrictEqual(mediaGeneration({ ...base, credentials: { ...base.credentials, redisPassword: "other" } }), g);
        assert.notStrictEqual(mediaGeneration({ ...input("3.8.1") }), g);
    });
});
