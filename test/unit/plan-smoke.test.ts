import * as assert from "assert";
import { execFileSync } from "child_process";
import * as path from "path";

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
