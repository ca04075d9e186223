/** examples/customers.ts against the pulumi double: a stack per customer, then a rolling upgrade that stops at a failure. */
import { strict as assert } from "assert";
import { OpenviduHaConfig, PulumiCommand } from "../../automation";
import { createCustomerStacks, Customer, upgradeAll } from "../../examples/customers";
import { onpremConfig } from "../support/fixtures";
import { PulumiDouble } from "../support/pulumi-double";

const customers: Customer[] = ["acme", "globex", "initech"].map((name, i) => ({
    stackName: name,
    config: onpremConfig({
        openviduVersion: "3.8.0",
        domain: `${name}.openvidu.example.com`,
        license: `LICENSE-${name.toUpperCase()}-0001`,
        masterNodes: [1, 2, 3, 4].map((m) => ({ publicIp: `203.0.113.${10 * i + m}`, privateIp: `10.${i}.0.${m}` })),
        mediaNodes: [{ publicIp: `198.51.100.${10 * i + 1}`, privateIp: `10.${i}.1.1` }],
    }) as unknown as OpenviduHaConfig,
}));

describe("examples/customers.ts", function () {
    this.timeout(240000);
    let double: PulumiDouble;
    after(() => double.remove());

    it("creates a stack per customer, then upgrades them one after the other and stops at the first failure", async () => {
        double = PulumiDouble.create({
            kdfRounds: 1000, // not the CLI's million: the encryption is not what this tests (automation-stack.test.ts)
            failures: [
                {
                    stack: "globex",
                    operation: "up",
                    when: { openviduVersion: "3.8.1" },
                    resource: "masters-3-install",
                    message: "health gate timed out after 900 s",
                },
            ],
        });
        const pulumiCommand: PulumiCommand = await double.command();
        const workspace = {
            workDir: double.projectDir,
            pulumiCommand,
            envVars: { PULUMI_BACKEND_URL: `file://${double.stateDir}`, PULUMI_CONFIG_PASSPHRASE: "example" },
        };
        const log: string[] = [];

        const urls = await createCustomerStacks(customers, workspace, (l) => log.push(l));
        assert.deepEqual(urls, {
            acme: "https://acme.openvidu.example.com/",
            globex: "https://globex.openvidu.example.com/",
            initech: "https://initech.openvidu.example.com/",
        });

        const skip = double.calls().length;
        const report = await upgradeAll(["acme", "globex", "initech"], "3.8.1", workspace, (l) => log.push(l));
        assert.deepEqual(report.upgraded, ["acme"]);
        assert.equal(report.failed?.stackName, "globex");
        assert.equal(
            report.failed?.error.message,
            "pulumi up of stack 'globex' failed:\n  masters-3-install (command:remote:Command): health gate timed out after 900 s",
        );
        assert.deepEqual(report.skipped, ["initech"]);

        const ups = double
            .commands(skip)
            .filter((argv) => argv[0] === "up")
            .map((argv) => argv[argv.indexOf("--stack") + 1]);
        assert.deepEqual(ups, ["acme", "globex"], "initech is never updated");
        assert.match(double.stackFile("acme"), /openvidu-ha:openviduVersion: 3\.8\.1/);
        assert.match(double.stackFile("initech"), /openvidu-ha:openviduVersion: 3\.8\.0/);
        // The upgrade re-set each stack's secrets from what it read back: still encrypted, never an argument.
        for (const c of customers) {
            const license = (c.config as { license: string }).license;
            assert.ok(!double.stackFile(c.stackName).includes(license));
            assert.ok(!double.calls().some((call) => call.argv.some((a) => a.includes(license))));
        }
        assert.deepEqual(log.slice(-2), ["acme: upgraded to 3.8.1", `globex: upgrade failed, stopping: ${report.failed?.error.message}`]);
    });
});
