/** automation/: the typed config object (checked like a stack file), the package entry points, the offline plan. */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { checkConfig, ConfigError, ConfigKeysMatchContract, OpenviduHaConfig, planOffline, SecretMasker } from "../../automation";
import { awsConfig, onpremConfig } from "../support/fixtures";
import { withPlainStackTraces } from "../support/plain-stack-traces";

const ROOT = path.join(__dirname, "..", "..");

function problems(config: Record<string, unknown>): string[] {
    try {
        checkConfig(config as unknown as OpenviduHaConfig, {});
        return [];
    } catch (err) {
        assert.ok(err instanceof ConfigError);
        return [...err.problems];
    }
}

// The typed config names exactly the keys of the config contract: checked by the type check (npm run typecheck),
// which fails here when a key is added to one side only; at run time there is nothing left to assert.
const keysMatchContract: ConfigKeysMatchContract = true;
void keysMatchContract;

describe("automation: typed config", () => {
    it("splits a valid config into plain entries, list items for --path, and secrets", () => {
        const { entries, secretValues } = checkConfig(
            awsConfig({ sshAllowedCidrs: ["192.0.2.0/24"], maxMediaNodes: 7, retainVolumes: false }) as unknown as OpenviduHaConfig,
            {},
        );
        const byKey = Object.fromEntries(entries.map((e) => [e.key, e]));
        assert.deepEqual(byKey["aws:region"], { key: "aws:region", value: "eu-west-1", secret: false });
        assert.deepEqual(byKey["openvidu-ha:license"], { key: "openvidu-ha:license", value: "TEST-LICENSE-0123456789", secret: true });
        assert.equal(byKey["cloudflare:apiToken"].secret, true);
        assert.deepEqual(byKey["openvidu-ha:maxMediaNodes"], { key: "openvidu-ha:maxMediaNodes", value: "7", secret: false });
        assert.equal(byKey["openvidu-ha:retainVolumes"].value, "false");
        assert.deepEqual(byKey["openvidu-ha:sshAllowedCidrs"].pathEntries, [{ path: "openvidu-ha:sshAllowedCidrs[0]", value: "192.0.2.0/24" }]);
        assert.deepEqual(secretValues, ["TEST-LICENSE-0123456789", "test-cloudflare-token"]);
    });

    it("refuses wrong JavaScript types and empty lists, with the stack file's messages for everything else", () => {
        assert.deepEqual(problems(onpremConfig({ sshPort: "22", hostFirewall: "yes", masterNodes: "four", modules: [], dnsTtl: 30 })), [
            "masterNodes: must be a list",
            "sshPort: must be an integer",
            "hostFirewall: must be a boolean",
            "modules: an empty list cannot be set with 'pulumi config set-all --path'; leave the key out or set it in the stack file",
            "dnsTtl: must be 1 (automatic) or between 60 and 86400 seconds (Cloudflare's range)",
        ]);
    });

    it("needs the Cloudflare token in the object or in the CLI's environment", () => {
        const config = onpremConfig({ "cloudflare:apiToken": undefined }) as unknown as OpenviduHaConfig;
        assert.throws(() => checkConfig(config, {}), /cloudflare:apiToken/);
        // From the environment the CLI reads it itself: accepted, and not written to the stack config.
        const { entries, secretValues } = checkConfig(config, { CLOUDFLARE_API_TOKEN: "t" });
        assert.deepEqual(
            entries.filter((e) => e.key.startsWith("cloudflare:")),
            [],
        );
        assert.ok(!secretValues.includes("t"));
    });

    it("masks a secret, each line of a multi-line one and its base64 form", () => {
        const pem = "-----BEGIN KEY-----\nAAAAsecretbody\n-----END KEY-----\n";
        const masker = new SecretMasker(["lic-123456", pem]);
        assert.equal(masker.mask("a lic-123456 b"), "a [secret] b");
        assert.equal(masker.mask("got AAAAsecretbody"), "got [secret]");
        assert.equal(masker.mask(`b64 ${Buffer.from(pem).toString("base64")}`), "b64 [secret]");
    });
});

describe("automation: package entry points", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { main: string; exports: Record<string, string> };

    it("exports openvidu-ha/automation", () => {
        assert.equal(require.resolve("openvidu-ha/automation"), path.join(ROOT, "automation", "index.ts"));
    });

    it("keeps the program entry the Pulumi language host loads: exports['.'] is index.ts", () => {
        // sdk/nodejs/cmd/run/run.ts: without a `main` in Pulumi.yaml, an `exports` object's "." entry wins over
        // package.json `main`; without "." the host would ignore `main` altogether.
        assert.equal(path.resolve(ROOT, pkg.exports["."]), path.resolve(ROOT, pkg.main));
        assert.ok(fs.existsSync(path.join(ROOT, pkg.exports["."])));
    });
});

describe("automation: offline plan", function () {
    this.timeout(60000);

    it("plans a typed config with the real program, secrets hidden", async () => {
        // Plain stack traces, as the program runs of the other tests (test/support/plain-stack-traces.ts).
        const plan = await withPlainStackTraces(() => planOffline(onpremConfig() as unknown as OpenviduHaConfig, "acme"));
        assert.equal(plan.target, "onprem");
        assert.ok(
            plan.resources.some((r) => r.name === "masters-1-install"),
            plan.resources
                .map((r) => r.name)
                .slice(0, 20)
                .join(" "),
        );
        const text = JSON.stringify(plan);
        assert.ok(!text.includes("TEST-LICENSE-0123456789") && !text.includes("test-cloudflare-token"));
        assert.equal((plan.outputs as { credentials: unknown }).credentials, "[secret]");
    });
});
