/** `npm run plan -- --stack X --diagram` prints the diagrams the README shows, built from the plan's resources. */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { renderDiagram } from "../../tools/plan/diagram";
import { Plan } from "../../tools/plan/render";
import { runPlanInProcess } from "../support/program";

const ROOT = path.join(__dirname, "..", "..");

function readmeDiagram(stack: string): string {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const block = [...readme.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]).find((b) => b.includes(`%% openvidu-ha stack ${stack} `));
    assert.ok(block, `README has a diagram for stack ${stack}`);
    return block;
}

describe("plan --diagram", function () {
    this.timeout(120000);

    // The command in-process (tools/plan/cli.ts, what tools/plan.ts runs): spawning `npm run plan` is tested in
    // plan-tool.test.ts and passphrase.test.ts; here a spawn would only repeat the process start (~1.5 s of CPU).
    for (const stack of ["dev", "aws-dev"]) {
        it(`npm run plan -- --stack ${stack} --diagram prints the README's diagram for the example stack ${stack}`, async () => {
            const { code, stdout, stderr } = await runPlanInProcess(["--stack", stack, "--diagram"]);
            assert.equal(code, 0, stderr);
            assert.equal(stdout, readmeDiagram(stack));
        });
    }

    it("draws what the plan recorded: a record to the master it points at, 'all 4' where a step waits for every master, '2 of 4' for some", () => {
        const command = (name: string, dependsOn: string[] = []) => ({
            urn: `urn:${name}`,
            type: "command:remote:Command",
            name,
            parent: null,
            inputs: {},
            dependsOn: dependsOn.map((d) => `urn:${d}`),
            options: {},
        });
        const masters = [1, 2, 3, 4];
        const plan = {
            target: "onprem",
            resources: [
                ...masters.map((i) => command(`masters-${i}-install`)),
                ...masters.map((i) =>
                    command(
                        `masters-${i}-start`,
                        masters.map((j) => `masters-${j}-install`),
                    ),
                ),
                command("media-10-0-0-9-install", ["masters-2-start", "masters-3-start"]),
            ],
            outputs: {
                dnsRecords: [{ name: "x.example.com", type: "A", content: "192.0.2.2" }],
                masterNodes: masters.map((i) => ({ label: `master-${i}`, publicIp: `192.0.2.${i}`, privateIp: `10.0.0.${i}` })),
                mediaNodes: [],
                firewallRules: { media: [{ protocol: "udp", ports: "443", sourceRoles: ["public"] }] },
            },
        } as unknown as Plan;
        const diagram = renderDiagram(plan, "t");
        assert.ok(diagram.includes("    dns_0 --> master_2\n"), diagram);
        assert.ok(diagram.includes('        step_masters_install -->|"all 4"| step_masters_start\n'), diagram);
        assert.ok(diagram.includes('        step_masters_start -->|"2 of 4"| step_media_install\n'), diagram);
        assert.ok(diagram.includes('    clients -.->|"udp 443"| media\n'), diagram);
    });
});
