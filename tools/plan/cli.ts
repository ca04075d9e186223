/**
 * The offline plan command (`npm run plan`, tools/plan.ts) as a function: arguments and environment in, exit code
 * and printed text out. tools/plan.ts writes the result to the process's stdout/stderr and exits with the code;
 * tests call this function in-process for what is not about the process boundary (a spawned plan costs a process
 * start, ts-node and the SDK load: ~3 s of CPU).
 */
import * as path from "path";
import { parseArgs } from "util";
import { ConfigError } from "../../components/config/validate";
import { resolveValue, runOffline } from "../offline-runtime";
import { CliConfigError } from "../offline-runtime/cli-config";
import { IncorrectPassphraseError } from "../offline-runtime/passphrase";
import { renderDiagram } from "./diagram";
import { renderTree, toPlan } from "./render";
import { readStackConfig } from "./stack-config";

const PROJECT_DIR = path.join(__dirname, "..", "..");

export interface PlanCommandResult {
    /** 0: planned; 1: the stack config or the program's config was refused, or a wrong passphrase; 2: usage or crash. */
    code: number;
    stdout: string;
    stderr: string;
}

class UsageError extends Error {}

async function plan(argv: string[], env: NodeJS.ProcessEnv): Promise<string> {
    const { values } = parseArgs({
        args: argv,
        options: {
            stack: { type: "string" },
            "config-file": { type: "string" },
            json: { type: "boolean", default: false },
            diagram: { type: "boolean", default: false },
            "show-secrets": { type: "boolean", default: false },
        },
    });
    if (!values.stack === !values["config-file"]) {
        throw new UsageError("give exactly one of --stack or --config-file");
    }
    const file = values["config-file"] ?? path.join(PROJECT_DIR, `Pulumi.${values.stack}.yaml`);
    const stack =
        values.stack ??
        path
            .basename(file)
            .replace(/^Pulumi\.(.+)\.ya?ml$/, "$1")
            .replace(/\.ya?ml$/, "");
    const stackConfig = readStackConfig(PROJECT_DIR, file, stack, { env });
    const showSecrets = values["show-secrets"] ?? false;

    const program = require("../../index") as () => Promise<Record<string, unknown>>;
    const run = await runOffline(program, { ...stackConfig });
    const outputs = (await resolveValue(run.result, showSecrets)) as Record<string, unknown>;
    const planned = toPlan(
        typeof outputs.target === "string" ? outputs.target : stackConfig.config[`${stackConfig.project}:target`],
        run.resources,
        outputs,
        showSecrets,
    );
    return values.json
        ? JSON.stringify(planned, null, 2) + "\n"
        : values.diagram
          ? renderDiagram(planned, stack)
          : renderTree(planned, stack, stackConfig.secrets);
}

/** Runs `npm run plan -- <argv>`; never throws. Offline runs share the SDK's global state: one at a time. */
export async function runPlanCommand(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<PlanCommandResult> {
    try {
        return { code: 0, stdout: await plan(argv, env), stderr: "" };
    } catch (err: unknown) {
        if (err instanceof UsageError) {
            const usage = "usage: npm run plan -- (--stack <name> | --config-file <file>) [--json | --diagram] [--show-secrets]";
            return { code: 2, stdout: "", stderr: `${err.message}\n${usage}\n` };
        }
        if (err instanceof ConfigError || err instanceof CliConfigError) return { code: 1, stdout: "", stderr: `${err.message}\n` };
        if (err instanceof IncorrectPassphraseError) return { code: 1, stdout: "", stderr: `error: ${err.message}\n` };
        return { code: 2, stdout: "", stderr: `plan failed: ${err instanceof Error ? err.message : String(err)}\n` };
    }
}
