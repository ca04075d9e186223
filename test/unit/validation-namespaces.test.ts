/** Config the program would otherwise ignore silently: foreign namespaces and credentials inside URLs. */
import * as assert from "assert";
import { ConfigError } from "../../components/config/validate";
import { ONPREM_SECRET_KEYS, onpremConfig } from "../support/fixtures";
import { runProgram } from "../support/program";
import { problemsOf } from "../support/validation";

async function programProblems(config: Record<string, unknown>): Promise<string[]> {
    try {
        await runProgram(config, ONPREM_SECRET_KEYS);
        return [];
    } catch (err) {
        if (err instanceof ConfigError) return [...err.problems];
        throw err;
    }
}

describe("validation: namespaces and URL credentials", () => {
    it("rejects keys under a misspelled project namespace, and accepts the providers' namespaces", async () => {
        assert.deepStrictEqual(await programProblems(onpremConfig({ "openvidu:domain": "x.example.com" })), [
            "openvidu:domain: unknown config namespace 'openvidu' (project keys are openvidu-ha:<key>)",
        ]);
        assert.deepStrictEqual(await programProblems(onpremConfig({ "aws:region": "eu-west-1", "pulumi:template": "x" })), []);
    });

    it("rejects an installerBaseUrl carrying credentials, since it appears in plain command strings", () => {
        assert.deepStrictEqual(problemsOf(onpremConfig({ installerBaseUrl: "https://user:pass@mirror.example.com/openvidu" })), [
            "installerBaseUrl: must not carry credentials: the URL appears in plain command strings and logs",
        ]);
    });
});
