/**
 * Shared shell helpers (components/host/scripts/mask-secrets.sh): one copy in the repository, inlined where a script
 * includes it, and the masking it does, run with the system's sh and awk.
 */
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { NodeScript, scriptContent, scriptPath } from "../../components/host/host-scripts";

const SCRIPTS: NodeScript[] = ["install", "start", "health", "stop", "drain", "uninstall", "converge"];
const HELPER = path.join(path.dirname(scriptPath("install")), "mask-secrets.sh");

/** Runs mask_secrets from the assembled `script` on `input`, with the given files' contents. */
function mask(script: NodeScript, input: string, args: string, known?: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "openvidu-ha-mask-"));
    try {
        const text = scriptContent(script);
        const definition = text.slice(text.indexOf("mask_secrets() {"), text.indexOf("\n}\n", text.indexOf("mask_secrets() {")) + 3);
        fs.writeFileSync(path.join(dir, "args"), args);
        if (known !== undefined) fs.writeFileSync(path.join(dir, "known"), known);
        const call = known === undefined ? 'mask_secrets "$1/args"' : 'mask_secrets "$1/args" "$1/known"';
        return execFileSync("sh", ["-c", `${definition}\n${call}`, "sh", dir], { input, encoding: "utf8" });
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

describe("shared host script helpers", () => {
    it("install.sh and converge.sh carry mask_secrets from mask-secrets.sh; no file repeats it", () => {
        const helper = fs.readFileSync(HELPER, "utf8").replace(/\n$/, "");
        for (const script of ["install", "converge"] as const) {
            const text = scriptContent(script);
            assert.ok(text.includes(helper), `${script}.sh: mask-secrets.sh inlined`);
            assert.strictEqual(text.split("mask_secrets() {").length, 2, `${script}.sh: one definition`);
        }
        for (const script of SCRIPTS) {
            assert.doesNotMatch(scriptContent(script), /^# openvidu-ha:include /m, `${script}.sh: no include line left`);
            assert.ok(!fs.readFileSync(scriptPath(script), "utf8").includes("mask_secrets() {"), `${script}.sh defines no copy of its own`);
        }
    });

    it("masks the args file's secret values (not plain ones), longest first, and the known values of 4+ characters", () => {
        const args = "S --license=LIC-abc\nS --redis-password=abc\nS --zerossl-api-key=abcdef\nP --domain=example.com\nS --empty=\n";
        assert.strictEqual(
            mask("install", "key LIC-abc, pw abc, zk abcdef, at example.com\n", args),
            "key [secret], pw [secret], zk [secret], at example.com\n",
        );
        assert.strictEqual(mask("converge", "old OLD-secret-1 and abc and xyz\n", args, "OLD-secret-1\nxyz\n"), "old [secret] and [secret] and xyz\n");
    });
});
