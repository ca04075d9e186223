/**
 * The CLI's stack config rules as the offline runtime applies them (tools/offline-runtime/cli-config.ts). Each
 * rule names the pulumi/pulumi function it follows.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { applyCliConfigRules, CliConfigError, ProjectFile, projectConfigProblems, StackValue } from "../../tools/offline-runtime/cli-config";
import { onpremConfig, ONPREM_SECRET_KEYS } from "../support/fixtures";
import { runProgram, runProgramFailure, stackValuesOf } from "../support/program";

const plain = (value: string): StackValue => ({ value, secure: false, object: false });
const secure = (value: string): StackValue => ({ value, secure: true, object: false });
const list = (value: unknown[]): StackValue => ({ value: JSON.stringify(value), secure: false, object: true });

function stack(values: Record<string, StackValue>): Map<string, StackValue> {
    return new Map(Object.entries(values).map(([k, v]) => [k.includes(":") ? k : `p:${k}`, v]));
}

function problems(project: ProjectFile, values: Map<string, StackValue>, name = "s"): string[] {
    try {
        applyCliConfigRules(project, name, values);
        return [];
    } catch (err) {
        assert.ok(err instanceof CliConfigError, String(err));
        return [...err.problems];
    }
}

describe("CLI stack config rules (pkg/workspace/config.go)", () => {
    describe("mergeConfig: declared keys without default or value are required", () => {
        const project: ProjectFile = {
            name: "p",
            config: { a: { type: "string" }, b: { description: "untyped" }, c: { type: "string" }, d: { type: "string", default: "x" } },
        };

        it("lists every missing key in one sorted message, with the CLI's wording (formatMissingKeys)", () => {
            assert.deepStrictEqual(problems(project, stack({})), ["validating stack config: Stack 's' is missing configuration values 'a', 'b' and 'c'"]);
            assert.deepStrictEqual(problems(project, stack({ a: plain("1") })), [
                "validating stack config: Stack 's' is missing configuration values 'b' and 'c'",
            ]);
            assert.deepStrictEqual(problems(project, stack({ a: plain("1"), b: plain("2") })), [
                "validating stack config: Stack 's' is missing configuration value 'c'",
            ]);
        });

        it("an untyped declaration is required too: only default or value makes a key optional", () => {
            assert.match(problems(project, stack({ a: plain("1"), c: plain("3") }))[0], /missing configuration value 'b'$/);
        });

        it("merges a default (project key) or value (other namespace) into the config when the stack does not set it", () => {
            const withValue: ProjectFile = { name: "p", config: { d: { type: "string", default: "x" }, "aws:region": { value: "eu-west-1" }, n: 5 } };
            const cli = applyCliConfigRules(withValue, "s", stack({}));
            assert.deepStrictEqual(cli.config, { "p:d": "x", "aws:region": "eu-west-1", "p:n": "5" });
            assert.strictEqual(applyCliConfigRules(withValue, "s", stack({ d: plain("mine") })).config["p:d"], "mine");
        });

        it("keys of another namespace are never missing", () => {
            assert.deepStrictEqual(problems({ name: "p", config: { "aws:region": { value: "x" } } }, stack({})), []);
        });
    });

    describe("validateStackConfigValue", () => {
        it("secret: true needs a secure: value", () => {
            const project: ProjectFile = { name: "p", config: { license: { type: "string", secret: true } } };
            assert.deepStrictEqual(problems(project, stack({ license: plain("L") })), [
                "validating stack config: Stack 's' with configuration key 'license' must be encrypted as it's secret",
            ]);
            assert.deepStrictEqual(applyCliConfigRules(project, "s", stack({ license: secure("L") })).secretKeys, ["p:license"]);
        });

        it("integers accept what strconv.Atoi accepts, booleans the strings true and false", () => {
            const project: ProjectFile = { name: "p", config: { n: { type: "integer", default: 1 }, b: { type: "boolean", default: true } } };
            for (const ok of ["22", "-3", "+4", "007"]) assert.deepStrictEqual(problems(project, stack({ n: plain(ok) })), [], ok);
            for (const bad of ["2x", "1.5", "", " 5"]) {
                assert.deepStrictEqual(
                    problems(project, stack({ n: plain(bad) })),
                    ["validating stack config: Stack 's' with configuration key 'n' must be of type 'integer'"],
                    bad,
                );
            }
            assert.deepStrictEqual(problems(project, stack({ b: plain("false") })), []);
            assert.deepStrictEqual(problems(project, stack({ b: plain("yes") })), [
                "validating stack config: Stack 's' with configuration key 'b' must be of type 'boolean'",
            ]);
        });

        it("arrays check their items (array<string>); a list is not a string, and any scalar is", () => {
            const project: ProjectFile = {
                name: "p",
                config: { l: { type: "array", items: { type: "string" }, default: [] }, s: { type: "string", default: "x" } },
            };
            assert.deepStrictEqual(problems(project, stack({ l: list(["a", "b"]) })), []);
            assert.deepStrictEqual(problems(project, stack({ l: list(["a", 1]) })), [
                "validating stack config: Stack 's' with configuration key 'l' must be of type 'array<string>'",
            ]);
            assert.deepStrictEqual(problems(project, stack({ l: plain("a") })), [
                "validating stack config: Stack 's' with configuration key 'l' must be of type 'array<string>'",
            ]);
            assert.deepStrictEqual(problems(project, stack({ s: list(["a"]) })), [
                "validating stack config: Stack 's' with configuration key 's' must be of type 'string'",
            ]);
            assert.deepStrictEqual(problems(project, stack({ s: plain("60") })), []);
        });
    });

    describe("Project.Validate (sdk/go/common/workspace/project.go)", () => {
        it("keys of another namespace may carry only a value: no type, no default", () => {
            const project: ProjectFile = {
                name: "p",
                config: { "aws:region": { type: "string", value: "x" }, "cloudflare:x": { default: "y" }, "random:z": { description: "d" } },
            };
            assert.deepStrictEqual(projectConfigProblems(project), [
                "Configuration key 'aws:region' is not namespaced by the project and should not define a type",
                "Configuration key 'cloudflare:x' is not namespaced by the project and should not define a default value. Did you mean to use the 'value' attribute instead of 'default'?",
                "Configuration key 'random:z' is namespaced and must provide an attribute 'value'",
            ]);
            assert.throws(() => applyCliConfigRules(project, "s", stack({})), CliConfigError);
        });

        it("a default must match its type, an array needs items, and default excludes value", () => {
            const project: ProjectFile = {
                name: "p",
                config: { n: { type: "integer", default: "x" }, l: { type: "array" }, d: { type: "string", default: "a", value: "b" } },
            };
            assert.deepStrictEqual(projectConfigProblems(project), [
                "The default value specified for configuration key 'n' is not of the expected type 'integer'",
                "The configuration key 'l' declares an array but does not specify the underlying type via the 'items' attribute",
                "project config 'd' cannot have both a 'default' and 'value' attribute",
            ]);
        });
    });

    describe("the program under the CLI's rules (test support)", () => {
        it("a stack missing domain gets the CLI's message and the program never runs", async () => {
            const { error, resources } = await runProgramFailure(onpremConfig({ domain: undefined }), ONPREM_SECRET_KEYS);
            assert.ok(error instanceof CliConfigError);
            assert.deepStrictEqual(error.problems, ["validating stack config: Stack 'test' is missing configuration value 'domain'"]);
            assert.strictEqual(error.message, "error: validating stack config: Stack 'test' is missing configuration value 'domain'");
            assert.deepStrictEqual(resources, []);
        });

        it("a license given in plain text is refused as the CLI refuses it", async () => {
            const { error } = await runProgramFailure(onpremConfig(), ["sshPrivateKey", "cloudflare:apiToken"]);
            assert.ok(error instanceof CliConfigError);
            assert.deepStrictEqual(error.problems, ["validating stack config: Stack 'test' with configuration key 'license' must be encrypted as it's secret"]);
        });

        it("Pulumi.yaml's defaults reach the program as set values; secure: keys arrive secret", async () => {
            const config = onpremConfig({ dnsProvider: "none", cloudflareZoneId: undefined, "cloudflare:apiToken": undefined });
            const values = stackValuesOf(config, ["license", "sshPrivateKey"]);
            assert.ok(!values.has("openvidu-ha:dnsTtl"));
            const run = await runProgram(config, ["license", "sshPrivateKey"]);
            assert.ok(run.resources.length > 0, "the program ran");
            assert.strictEqual(pulumi.runtime.getConfig("openvidu-ha:dnsTtl"), "60");
            assert.strictEqual(pulumi.runtime.getConfig("openvidu-ha:openviduVersion"), "3.8.0");
            // isConfigSecret is in the SDK's runtime but not in its typings.
            const { isConfigSecret } = require("@pulumi/pulumi/runtime/config") as { isConfigSecret: (key: string) => boolean };
            assert.strictEqual(isConfigSecret("openvidu-ha:license"), true);
            assert.strictEqual(isConfigSecret("openvidu-ha:domain"), false);
        });
    });
});
