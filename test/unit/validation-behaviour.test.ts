/**
 * How validation behaves as a whole: every problem in one error, no secret in any message, nothing registered
 * before it passes, defaults applied.
 */
import * as assert from "assert";
import { ConfigError } from "../../components/config/validate";
import { ONPREM_SECRET_KEYS, onpremConfig } from "../support/fixtures";
import { runProgramFailure, sharedRun } from "../support/program";
import { problemsOf, validate } from "../support/validation";

/** Invalid values that are recognisable if a message repeats them. */
const BAD_SECRETS = {
    license: "SECRET LICENSE WITH SPACES",
    sshPrivateKey: "SECRET-ssh-key-not-a-pem",
    redisPassword: "SECRET redis password!",
    livekitApiSecret: "SECRET$livekit",
    dashboardAdminPassword: "SECRET",
    meetInitialApiKey: "SECRET'meet'key",
    mongoAdminUser: "SECRET mongo user",
    ownCertPrivateKey: "SECRET-owncert-private-key",
    ownCertPublicKey: "SECRET-owncert-public-key",
    defaultAppPassword: "SECRET-other-line-password",
};

describe("validation: behaviour", () => {
    it("reports several problems together in one error, each naming its key", () => {
        const config = onpremConfig({
            domain: "bad_domain",
            rtcEngine: "janus",
            dnsTtl: "5",
            masterNodes: (onpremConfig().masterNodes as unknown[]).slice(0, 2),
            letsencryptEmail: "ops@example.com",
            unknownKey: "x",
        });
        assert.throws(
            () => validate(config),
            (err: unknown) => {
                assert.ok(err instanceof ConfigError);
                assert.deepStrictEqual([...err.problems].sort(), [
                    "dnsTtl: must be 1 (automatic) or between 60 and 86400 seconds (Cloudflare's range)",
                    "domain: is not a valid fully qualified domain name (lowercase labels separated by dots, e.g. openvidu.example.com)",
                    "letsencryptEmail: is not used by the 3.8.x line: the vendor's 3.8 Let's Encrypt command takes no email; remove it",
                    "masterNodes: must list exactly 4 master nodes, got 2",
                    "rtcEngine: must be one of pion, mediasoup, got 'janus'",
                    "unknownKey: unknown config key",
                ]);
                assert.match(err.message, /^Invalid stack configuration \(6 problems\):\n {2}- /);
                for (const p of err.problems) {
                    assert.ok(err.message.includes(`  - ${p}`), p);
                }
                return true;
            },
        );
    });

    it("never repeats a secret value in a message", () => {
        for (const certificateType of ["owncert", "zerossl"]) {
            const config = onpremConfig({ ...BAD_SECRETS, certificateType, zerosslApiKey: certificateType === "zerossl" ? "" : "SECRET-zerossl" });
            const problems = problemsOf(config);
            // Every secret key above is reported, so every value had its chance to leak.
            for (const key of [...Object.keys(BAD_SECRETS), "zerosslApiKey"]) {
                assert.ok(
                    problems.some((p) => p.startsWith(`${key}: `)),
                    `${key} not reported:\n${problems.join("\n")}`,
                );
            }
            const text = problems.join("\n");
            assert.ok(!text.includes("SECRET"), text);
        }
    });

    it("runs before any resource is registered", async () => {
        const { error, resources } = await runProgramFailure(onpremConfig({ domain: "bad_domain", dnsTtl: "5" }), ONPREM_SECRET_KEYS);
        assert.ok(error instanceof ConfigError, String(error));
        assert.deepStrictEqual([...error.problems].sort(), [
            "dnsTtl: must be 1 (automatic) or between 60 and 86400 seconds (Cloudflare's range)",
            "domain: is not a valid fully qualified domain name (lowercase labels separated by dots, e.g. openvidu.example.com)",
        ]);
        assert.deepStrictEqual(resources, []);
    });

    it("through the program, checks the Cloudflare token the provider would use", async () => {
        const saved = process.env.CLOUDFLARE_API_TOKEN;
        delete process.env.CLOUDFLARE_API_TOKEN;
        try {
            const { error, resources } = await runProgramFailure(onpremConfig({ "cloudflare:apiToken": undefined }), ["license", "sshPrivateKey"]);
            assert.ok(error instanceof ConfigError, String(error));
            assert.deepStrictEqual(error.problems, [
                "cloudflare:apiToken: is required when dnsProvider is cloudflare: pulumi config set --secret cloudflare:apiToken <token> (or set CLOUDFLARE_API_TOKEN)",
            ]);
            assert.deepStrictEqual(resources, []);
        } finally {
            if (saved !== undefined) process.env.CLOUDFLARE_API_TOKEN = saved;
        }
    });

    it("applies defaults", () => {
        const { settings } = validate(onpremConfig());
        assert.ok(settings.target === "onprem");
        assert.strictEqual(settings.ssh.user, "ubuntu");
        assert.strictEqual(settings.ssh.port, 22);
        assert.strictEqual(settings.openviduVersion, "3.8.0");
        assert.strictEqual(settings.line.id, "3.8");
        assert.strictEqual(settings.rtcEngine, "pion");
        assert.strictEqual(settings.dns.ttl, 60);
        assert.strictEqual(settings.dns.provider, "cloudflare");
        assert.strictEqual(settings.installer.baseUrl, "https://get.openvidu.io/pro/ha");
        assert.deepStrictEqual(settings.modules, ["observability", "v2compatibility", "openviduMeet"]);
        const v30 = validate(onpremConfig({ openviduVersion: "3.0.0" })).settings;
        assert.deepStrictEqual(v30.modules, ["observability", "v2compatibility", "app"]);
    });

    it("applies the defaults in what the program deploys", async () => {
        const run = await sharedRun(onpremConfig(), ONPREM_SECRET_KEYS);
        const connection = run.inputsOf("masters-1-preflight", true).connection;
        assert.strictEqual(connection.user, "ubuntu");
        assert.strictEqual(connection.port, 22);
        assert.match(run.inputsOf("masters-1-install").create, /'https:\/\/get\.openvidu\.io\/pro\/ha\/3\.8\.0\/install_ov_master_node\.sh'/);
        const stdin = run.inputsOf("masters-1-install", true).stdin as string;
        assert.match(stdin, /^P --enabled-modules=observability,v2compatibility,openviduMeet$/m);
        assert.match(stdin, /^P --rtc-engine=pion$/m);
        assert.ok(run.ofType("cloudflare:index/dnsRecord:DnsRecord").every((r) => r.inputs.ttl === 60));
    });
});
