/** The offline plan of a typed config, in this process: what `npm run plan -- --json` prints for a stack file. */
import { resolveValue, runOffline } from "../tools/offline-runtime";
import { Plan, toPlan } from "../tools/plan/render";
import { checkConfig, OpenviduHaConfig, PROJECT_NAME } from "./config";

/** The plan: `target`, every resource (type, name, parent, inputs, dependsOn, options) and the outputs. */
export type OfflinePlan = Plan;

/**
 * Runs the real program under the SDK's mock runtime with `config` (checked first: `ConfigError` naming every
 * problem). Secret inputs and outputs print as "[secret]" unless `showSecrets`. It sets the SDK's process-wide
 * runtime to mocks for the run; do not run it in a process that runs a Pulumi program itself.
 */
export async function planOffline(config: OpenviduHaConfig, stackName = "plan", showSecrets = false): Promise<OfflinePlan> {
    const { entries } = checkConfig(config);
    // The index is loaded on demand: it needs the SDK runtime, which a caller of `up` alone does not.
    const program = require("../index") as () => Promise<Record<string, unknown>>;
    const run = await runOffline(program, {
        project: PROJECT_NAME,
        stack: stackName,
        config: Object.fromEntries(entries.map((e) => [e.key, e.value])),
        secretKeys: entries.filter((e) => e.secret).map((e) => e.key),
    });
    const outputs = (await resolveValue(run.result, showSecrets)) as Record<string, unknown>;
    return toPlan(typeof outputs.target === "string" ? outputs.target : config.target, run.resources, outputs, showSecrets);
}
