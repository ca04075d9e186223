import * as assert from "assert";
import { runProgram } from "../support/program";
import { ONPREM_SECRET_KEYS, onpremConfig } from "../support/fixtures";

describe("test support: runProgram", () => {
    it("runs the program in-process and records its resources", async () => {
        const run = await runProgram(onpremConfig(), ONPREM_SECRET_KEYS);
        assert.strictEqual(run.ofType("cloudflare:index/dnsRecord:DnsRecord").length, 4);
        assert.strictEqual(run.inputsOf("masters-1-install").stdin, "[secret]");
        assert.match(run.inputsOf("masters-1-install", true).stdin, /^S --openvidu-pro-license=TEST-LICENSE-0123456789$/m);
    });
});
