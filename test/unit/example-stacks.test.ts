/**
 * Every example stack (Pulumi.<stack>.yaml) and every README stack example passes the Pulumi CLI's stack config
 * rules, then the program: planned offline as `pulumi preview` would run it. The same check refuses a Pulumi.yaml
 * that declares a required key a stack lacks.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CliConfigError, ProjectFile } from "../../tools/offline-runtime/cli-config";
import { README_PATH } from "../../tools/config-reference";
import { readStackConfig } from "../../tools/plan/stack-config";
import { projectOfRepo, runCliConfig } from "../support/program";

const ROOT = path.join(__dirname, "..", "..");

const exampleStacks = fs
    .readdirSync(ROOT)
    .filter((f) => /^Pulumi\..+\.yaml$/.test(f))
    .sort();

function readmeExamples(): string[] {
    const readme = fs.readFileSync(README_PATH, "utf8");
    return [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]).filter((y) => /^config:/m.test(y));
}

/** Plans a stack file the way `npm run plan` does (placeholders for secure: values); resolves to the resource count. */
async function planStackFile(file: string, stack: string, project: ProjectFile = projectOfRepo()): Promise<number> {
    const config = readStackConfig(ROOT, file, stack, { project, env: {} });
    const run = await runCliConfig(config, stack, true);
    return run.resources.length;
}

async function planYaml(yaml: string, stack: string, project?: ProjectFile): Promise<number> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "openvidu-ha-example-"));
    try {
        const file = path.join(dir, `Pulumi.${stack}.yaml`);
        fs.writeFileSync(file, yaml);
        return await planStackFile(file, stack, project);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

describe("example stacks under the CLI's config rules", () => {
    it("there are an on-prem and an AWS example stack, and README examples of both", () => {
        assert.deepStrictEqual(exampleStacks, ["Pulumi.aws-dev.yaml", "Pulumi.dev.yaml"]);
        const targets = readmeExamples().map((y) => /openvidu-ha:target: (\w+)/.exec(y)?.[1]);
        assert.deepStrictEqual([...targets].sort(), ["aws", "onprem"]);
    });

    for (const file of exampleStacks) {
        const stack = file.replace(/^Pulumi\.(.+)\.yaml$/, "$1");
        it(`${file} passes the CLI's checks and plans`, async () => {
            assert.ok((await planStackFile(path.join(ROOT, file), stack)) > 10);
        });
    }

    readmeExamples().forEach((yaml, i) => {
        it(`README example ${i + 1} passes the CLI's checks and plans`, async () => {
            assert.ok((await planYaml(yaml, `readme${i + 1}`)) > 10);
        });
    });

    it("refuses them all with a Pulumi.yaml that declares a required key they lack", async () => {
        const project = projectOfRepo();
        const stricter: ProjectFile = { ...project, config: { ...project.config, turnDomain: { type: "string", description: "declared without default" } } };
        for (const file of exampleStacks) {
            const stack = file.replace(/^Pulumi\.(.+)\.yaml$/, "$1");
            await assert.rejects(planStackFile(path.join(ROOT, file), stack, stricter), (err: unknown) => {
                assert.ok(err instanceof CliConfigError);
                assert.deepStrictEqual(err.problems, [`validating stack config: Stack '${stack}' is missing configuration value 'turnDomain'`]);
                return true;
            });
        }
    });

    it("a stack without domain gets the CLI's message", async () => {
        const yaml = fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8").replace(/^ {2}openvidu-ha:domain: .*\n/m, "");
        assert.ok(!yaml.includes("openvidu-ha:domain"));
        await assert.rejects(planYaml(yaml, "nodomain"), (err: unknown) => {
            assert.ok(err instanceof CliConfigError);
            assert.strictEqual(err.message, "error: validating stack config: Stack 'nodomain' is missing configuration value 'domain'");
            return true;
        });
    });
});
