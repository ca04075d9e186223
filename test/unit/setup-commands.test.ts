/**
 * The README's set-up commands are what CI runs, `npm test` type-checks first, and `pulumi preview` loads the
 * program transpile-only (the language host reads tsconfig.json's noCheck: @pulumi/pulumi cmd/run/run.ts).
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

const ROOT = path.join(__dirname, "..", "..");
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");

/** The shell commands of the README's "Set-up commands" section, one per line. */
function setupCommands(): string[] {
    const readme = read("README.md");
    const section = readme.slice(readme.indexOf("## Set-up commands"), readme.indexOf("\n## ", readme.indexOf("## Set-up commands") + 1));
    return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => m[1].trim().split("\n"));
}

describe("set-up commands and load mode", () => {
    it("CI runs the README's test command exactly as written", () => {
        const commands = setupCommands();
        assert.ok(commands.includes("npm ci && npm test"), commands.join(" | "));
        assert.ok(read(".ci/run").split("\n").includes("npm ci && npm test"));
    });

    it("npm test type-checks tsconfig.check.json (tsgo) beside mocha, and makes sure shellcheck is there before mocha runs", () => {
        const scripts = (JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts;
        assert.strictEqual(scripts.typecheck, "tsgo --noEmit -p tsconfig.tsgo.json");
        assert.strictEqual(scripts["typecheck:tsc"], "tsc --noEmit -p tsconfig.check.json");
        assert.strictEqual(scripts.pretest, undefined);
        assert.strictEqual(scripts.test, "node test/support/run-tests.js");
        const runner = read("test/support/run-tests.js");
        const shellcheck = runner.indexOf('spawnSync("sh", [path.join(ROOT, "tools", "ensure-shellcheck.sh")]');
        const typecheck = runner.indexOf('spawn("npm", ["run", "-s", "typecheck"]');
        const mocha = runner.indexOf('spawn(process.execPath, [require.resolve("mocha/bin/mocha.js")');
        assert.ok(shellcheck > 0 && shellcheck < typecheck && typecheck < mocha, "shellcheck first, then the type check and mocha");
        assert.match(runner, /process\.exit\(tscCode === 0 && mochaCode === 0 \? 0 : 1\)/, "fails when either fails");
    });

    it("the language host loads transpile-only: tsconfig.json's noCheck as the SDK reads it", () => {
        const tsutils = require("@pulumi/pulumi/tsutils") as { loadTypeScriptCompilerOptions(file: string): Record<string, unknown> };
        assert.strictEqual(tsutils.loadTypeScriptCompilerOptions(path.join(ROOT, "tsconfig.json")).noCheck, true);
    });

    it("the type check turns noCheck off again, over the same files", () => {
        const parsed = (file: string) =>
            ts.getParsedCommandLineOfConfigFile(
                path.join(ROOT, file),
                {},
                { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(ts.flattenDiagnosticMessageText(d.messageText, "\n")) },
            )!;
        const check = parsed("tsconfig.check.json");
        assert.strictEqual(check.options.noCheck, false);
        assert.deepStrictEqual(check.fileNames, parsed("tsconfig.json").fileNames);
        assert.ok(check.fileNames.some((f) => f.endsWith("/index.ts")) && check.fileNames.some((f) => f.includes("/test/unit/")));
        // tsgo's config is tsc's but for the module resolution TypeScript 7 still has.
        const native = parsed("tsconfig.tsgo.json");
        assert.deepStrictEqual(native.fileNames, check.fileNames);
        assert.strictEqual(native.options.moduleResolution, ts.ModuleResolutionKind.Bundler);
        const sameOptions = (options: ts.CompilerOptions) =>
            Object.fromEntries(Object.entries(options).filter(([key]) => !["moduleResolution", "tsBuildInfoFile", "configFilePath"].includes(key)));
        assert.deepStrictEqual(sameOptions(native.options), sameOptions(check.options));
    });

    it("the set-up scripts pass shellcheck (tools/ensure-shellcheck.sh, .ci/run)", () => {
        const result = spawnSync("shellcheck", ["-f", "gcc", "tools/ensure-shellcheck.sh", ".ci/run"], { cwd: ROOT, encoding: "utf8" });
        assert.strictEqual(result.error, undefined);
        assert.strictEqual(result.status, 0, result.stdout);
    });
});
