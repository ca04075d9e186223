/** Pulumi.yaml is generated from the config key table; Pulumi.dev.yaml is a valid, complete on-prem example. */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { CONFIG_KEYS, SECRET_CONFIG_KEYS } from "../../components/config/keys";
import { validateConfig } from "../../components/config/validate";
import { readStackConfig } from "../../tools/plan/stack-config";
import { PULUMI_YAML_PATH, renderPulumiYaml } from "../../tools/pulumi-yaml";

const ROOT = path.join(__dirname, "..", "..");

describe("Pulumi.yaml", () => {
    const text = fs.readFileSync(PULUMI_YAML_PATH, "utf8");
    const project = parse(text) as { name: string; runtime: unknown; config: Record<string, { type: string; secret?: boolean; items?: { type: string } }> };

    it("is what renderPulumiYaml() renders from the key table (run npm run sync:config after changing keys)", () => {
        assert.strictEqual(text, renderPulumiYaml());
    });

    it("declares every key with its type and secrecy; lists of objects are left to the program", () => {
        assert.strictEqual(project.name, "openvidu-ha");
        const typed = Object.entries(CONFIG_KEYS).filter(([, spec]) => spec.type !== "objectArray");
        assert.deepStrictEqual(Object.keys(project.config).sort(), typed.map(([k]) => k).sort());
        for (const [key, spec] of typed) {
            const declared = project.config[key];
            assert.strictEqual(declared.type, spec.type === "stringArray" ? "array" : spec.type, key);
            assert.strictEqual(declared.secret === true, spec.secret, key);
        }
        const secret = Object.entries(project.config).filter(([, d]) => d.secret).map(([k]) => k);
        assert.deepStrictEqual(secret.sort(), [...SECRET_CONFIG_KEYS].sort());
    });
});

describe("Pulumi.dev.yaml", () => {
    const file = path.join(ROOT, "Pulumi.dev.yaml");
    const raw = parse(fs.readFileSync(file, "utf8")) as { config: Record<string, unknown> };

    it("holds no secret in plain text: every secret key is a secure: value", () => {
        for (const [key, value] of Object.entries(raw.config)) {
            const bare = key.replace(/^openvidu-ha:/, "");
            const isSecret = (SECRET_CONFIG_KEYS as readonly string[]).includes(bare) || key === "cloudflare:apiToken";
            if (isSecret) {
                assert.ok(typeof value === "object" && value !== null && "secure" in value, `${key} must be secure:`);
            }
        }
    });

    it("is a complete on-prem example with a self-signed certificate that validates", () => {
        const stack = readStackConfig(ROOT, file, "dev");
        const prefix = "openvidu-ha:";
        const own = Object.fromEntries(Object.entries(stack.config).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]));
        const { settings } = validateConfig(own, { hasCloudflareToken: "cloudflare:apiToken" in stack.config });
        assert.ok(settings.target === "onprem");
        assert.strictEqual(settings.certificate.type, "selfsigned");
        assert.strictEqual(settings.masterNodes.length, 4);
        assert.ok(settings.mediaNodes.length >= 2);
    });
});
