/**
 * Example: one cluster per customer, from a list, and a rolling upgrade of every stack.
 *
 *   createCustomerStacks: creates (or selects) a stack per customer and deploys it with that customer's config.
 *   upgradeAll: sets `openviduVersion` on each stack and runs `up`, one stack after the other, and stops at the first
 *   failure (the stacks after it are left as they are).
 *
 * Run it (the Pulumi CLI on PATH, a backend and a passphrase in the environment):
 *   PULUMI_BACKEND_URL=s3://my-state PULUMI_CONFIG_PASSPHRASE_FILE=/run/secrets/pp \
 *     npx ts-node examples/customers.ts upgrade 3.8.1 acme globex initech
 */
import { OpenviduHaConfig, OpenviduHaStack, WorkspaceOptions } from "../automation";

/** One customer: its stack name and its whole config. */
export interface Customer {
    stackName: string;
    config: OpenviduHaConfig;
}

/** What happened to each stack of a rolling upgrade. */
export interface UpgradeReport {
    upgraded: string[];
    /** The stack that failed and why; absent when every stack was upgraded. */
    failed?: { stackName: string; error: Error };
    /** Stacks not touched because an earlier one failed. */
    skipped: string[];
}

/** Creates or selects a stack per customer, sets its config and deploys it; returns each stack's OpenVidu URL. */
export async function createCustomerStacks(
    customers: readonly Customer[],
    workspace: WorkspaceOptions,
    log: (line: string) => void = console.log,
): Promise<Record<string, string>> {
    const urls: Record<string, string> = {};
    for (const customer of customers) {
        const stack = await OpenviduHaStack.open({ ...workspace, stackName: customer.stackName, config: customer.config });
        const { outputs } = await stack.up({
            message: `create ${customer.stackName}`,
            onEvent: (e) => {
                if (e.kind === "resource-failed" || e.kind === "host-output")
                    log(`${customer.stackName}: ${e.kind} ${e.name}${e.kind === "host-output" ? `: ${e.line}` : ""}`);
            },
        });
        urls[customer.stackName] = outputs.urls.openvidu;
        log(`${customer.stackName}: ${outputs.urls.openvidu}`);
    }
    return urls;
}

/** Upgrades every stack to `version`, one after the other, stopping at the first failure. */
export async function upgradeAll(
    stackNames: readonly string[],
    version: string,
    workspace: WorkspaceOptions,
    log: (line: string) => void = console.log,
): Promise<UpgradeReport> {
    const report: UpgradeReport = { upgraded: [], skipped: [] };
    for (const [i, stackName] of stackNames.entries()) {
        try {
            const stack = await OpenviduHaStack.open({ ...workspace, stackName, mode: "select" });
            await stack.setConfig({ ...(await stack.readConfig()), openviduVersion: version });
            await stack.up({ message: `upgrade to ${version}` });
            report.upgraded.push(stackName);
            log(`${stackName}: upgraded to ${version}`);
        } catch (err) {
            report.failed = { stackName, error: err as Error };
            report.skipped = stackNames.slice(i + 1);
            log(`${stackName}: upgrade failed, stopping: ${(err as Error).message}`);
            break;
        }
    }
    return report;
}

if (require.main === module) {
    const [command, version, ...stacks] = process.argv.slice(2);
    if (command !== "upgrade" || !version || stacks.length === 0) {
        process.stderr.write("usage: ts-node examples/customers.ts upgrade <version> <stack>...\n");
        process.exit(2);
    }
    upgradeAll(stacks, version, {}).then(
        (report) => process.exit(report.failed ? 1 : 0),
        (err: unknown) => {
            process.stderr.write(`${String(err)}\n`);
            process.exit(1);
        },
    );
}
