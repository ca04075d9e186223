import * as assert from "assert";
import { execFileSync } from "child_process";
import * as path from "path";
import { runProgram } from "../support/program";
import { ONPREM_SECRET_KEYS, onpremConfig } from "../support/fixtures";

const ROOT = path.join(__dirname, "..", "..");

describe("offline plan of the dev stack", () => {
    it("renders every on-prem resource as JSON with secrets hidden", () => {
        const out = execFileSync("npx", ["ts-node", "--transpile-only", "tools/plan.ts", "--stack", "dev", "--json"], { cwd: ROOT, encoding: "utf8" });
        const plan = JSON.parse(out);
        assert.strictEqual(plan.target, "onprem");
        const commands = plan.resources.filter((r: { type: string }) => r.type === "command:remote:Command");
        assert.strictEqual(commands.length, 4 * 4 + 2 * 4);
        assert.strictEqual(plan.outputs.credentials, "[secret]");
        assert.ok(!out.includes("placeholder-license"), "the license placeholder must not be printed");
    });
});

describe("test support: runProgram", () => {
    it("runs the program in-process and records its resources", async () => {
        const run = await runProgram(onpremConfig(), ONPREM_SECRET_KEYS);
        assert.strictEqual(run.ofType("cloudflare:index/dnsRecord:DnsRecord").length, 4);
        assert.strictEqual(run.inputsOf("masters-1-install").stdin, "[secret]");
        assert.match(run.inputsOf("masters-1-install", true).stdin, /^S --openvidu-pro-license=TEST-LICENSE-0123456789$/m);
    });
});
