/**
 * Pulumi.yaml is generated from the config key table and declares only what the CLI can enforce for every stack
 * of both targets (tools/pulumi-yaml.ts); Pulumi.dev.yaml is a valid, complete on-prem example.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { CONFIG_KEYS, ConfigKey, SECRET_CONFIG_KEYS } from "../../components/config/keys";
import { validateConfig } from "../../components/config/validate";
import { ConfigDeclaration, projectConfigProblems } from "../../tools/offline-runtime/cli-config";
import { readStackConfig } from "../../tools/plan/stack-config";
import { declaredDefault, PULUMI_YAML_PATH, renderPulumiYaml, REQUIRED_IN_EVERY_STACK } from "../../tools/pulumi-yaml";
import { awsConfig, onpremConfig } from "../support/fixtures";
import { problemsOf, validate } from "../support/validation";

const ROOT = path.join(__dirname, "..", "..");

describe("Pulumi.yaml", () => {
    const text = fs.readFileSync(PULUMI_YAML_PATH, "utf8");
    const project = parse(text) as { name: string; runtime: unknown; config: Record<string, ConfigDeclaration> };
    const declared = Object.keys(project.config) as ConfigKey[];

    it("is what renderPulumiYaml() renders from the key table (run npm run sync:config after changing keys)", () => {
        assert.strictEqual(text, renderPulumiYaml());
    });

    it("passes the CLI's project checks (Project.Validate)", () => {
        assert.strictEqual(project.name, "openvidu-ha");
        assert.deepStrictEqual(projectConfigProblems(project), []);
    });

    it("declares without default exactly the keys every stack must set: target, domain, license (secret)", () => {
        const required = declared.filter((k) => project.config[k].default === undefined && project.config[k].value === undefined);
        assert.deepStrictEqual(required, ["target", "domain", "license"]);
        assert.deepStrictEqual(required, [...REQUIRED_IN_EVERY_STACK]);
        assert.deepStrictEqual(
            declared.filter((k) => project.config[k].secret),
            ["license"],
        );
        for (const key of declared) {
            const spec = CONFIG_KEYS[key];
            assert.strictEqual(project.config[key].type, spec.type === "stringArray" ? "array" : spec.type, key);
            assert.strictEqual(project.config[key].secret === true, spec.secret, key);
        }
    });

    it("the program requires each of them for both targets", () => {
        for (const key of REQUIRED_IN_EVERY_STACK) {
            for (const config of [onpremConfig({ [key]: undefined }), awsConfig({ [key]: undefined })]) {
                assert.ok(
                    problemsOf(config).some((p) => p.startsWith(`${key}: is required`)),
                    `${key} (${String(config.target)})`,
                );
            }
        }
    });

    it("declares a default only where it is the program's own default for both targets, so it changes nothing", () => {
        const withDefault = declared.filter((k) => project.config[k].default !== undefined);
        assert.deepStrictEqual(withDefault, [
            "openviduVersion",
            "rtcEngine",
            "installerBaseUrl",
            "dnsProvider",
            "dnsTtl",
            "forceMediaNodePublicIp",
            "updaterBaseUrl",
        ]);
        for (const key of withDefault) {
            assert.deepStrictEqual(CONFIG_KEYS[key].targets, ["onprem", "aws"], key);
            assert.strictEqual(project.config[key].default, declaredDefault(key), key);
            for (const config of [onpremConfig({ [key]: undefined }), awsConfig({ [key]: undefined })]) {
                const set: Record<string, unknown> = { ...config, [key]: String(project.config[key].default) };
                assert.deepStrictEqual(validate(set).settings, validate(config).settings, `${key} (${String(config.target)})`);
            }
        }
    });

    it("leaves every other key undeclared: optional, target-specific, secret or without a fixed default", () => {
        const undeclared = (Object.keys(CONFIG_KEYS) as ConfigKey[]).filter((k) => !(k in project.config));
        for (const key of undeclared) {
            const spec = CONFIG_KEYS[key];
            const reason = spec.targets.length === 1 || spec.secret || spec.type === "objectArray" || declaredDefault(key) === undefined;
            assert.ok(reason, key);
        }
        assert.ok(undeclared.includes("sshPrivateKey") && undeclared.includes("vpcId") && undeclared.includes("modules"));
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
        const own = Object.fromEntries(
            Object.entries(stack.config)
                .filter(([k]) => k.startsWith(prefix))
                .map(([k, v]) => [k.slice(prefix.length), v]),
        );
        const { settings } = validateConfig(own, { hasCloudflareToken: "cloudflare:apiToken" in stack.config });
        assert.ok(settings.target === "onprem");
        assert.strictEqual(settings.certificate.type, "selfsigned");
        assert.strictEqual(settings.masterNodes.length, 4);
        assert.ok(settings.mediaNodes.length >= 2);
    });
});
