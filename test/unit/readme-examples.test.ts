/** Every stack config example in the README is a config the program accepts. */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { validateConfig } from "../../components/config/validate";
import { README_PATH } from "../../tools/config-reference";
import { readStackConfig } from "../../tools/plan/stack-config";

const ROOT = path.join(__dirname, "..", "..");

function stackExamples(): string[] {
    const readme = fs.readFileSync(README_PATH, "utf8");
    return [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]).filter((y) => /^config:/m.test(y));
}

describe("README stack config examples", () => {
    it("include an on-prem and an AWS example", () => {
        const targets = stackExamples().map((y) => /openvidu-ha:target: (\w+)/.exec(y)?.[1]);
        assert.deepStrictEqual([...targets].sort(), ["aws", "onprem"]);
    });

    stackExamples().forEach((yaml, i) => {
        it(`example ${i + 1} validates`, () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "readme-example-"));
            try {
                const file = path.join(dir, "Pulumi.example.yaml");
                fs.writeFileSync(file, yaml);
                const stack = readStackConfig(ROOT, file, "example");
                const raw = Object.fromEntries(
                    Object.entries(stack.config)
                        .filter(([k]) => k.startsWith("openvidu-ha:"))
                        .map(([k, v]) => [k.slice("openvidu-ha:".length), v]),
                );
                assert.doesNotThrow(() => validateConfig(raw, { hasCloudflareToken: "cloudflare:apiToken" in stack.config }));
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });
    });
});
