/**
 * Runs the real program (index.ts) offline with a given stack config, the way `npm run plan` does (the Pulumi
 * CLI's stack config rules first, then the program), and gives tests the recorded resources and resolved outputs.
 */
import * as path from "path";
import * as settings from "@pulumi/pulumi/runtime/settings";
import { applyCliConfigRules, CliConfig, CliConfigError, ProjectFile, readProjectFile, StackValue } from "../../tools/offline-runtime/cli-config";
import { DynamicResourceHost, RecordedResource, resolveValue, runOffline, unwrapWireValue } from "../../tools/offline-runtime";
import { RecordingMonitor } from "../../tools/offline-runtime/recording-monitor";
import { PlanCommandResult, runPlanCommand } from "../../tools/plan/cli";
import { withPlainStackTraces } from "./plain-stack-traces";

export const PROJECT = "openvidu-ha";

export interface ProgramRun {
    resources: RecordedResource[];
    /** Outputs with secrets shown as "[secret]". */
    outputs: Record<string, unknown>;
    /** Outputs with secret values revealed. */
    revealedOutputs: Record<string, unknown>;
    /** Resources of one type. */
    ofType(type: string): RecordedResource[];
    /** The resource with this name; throws when absent. */
    named(name: string): RecordedResource;
    /** Inputs of the named resource, secrets revealed (reveal: true) or as "[secret]". */
    inputsOf(name: string, reveal?: boolean): Record<string, any>;
}

let projectFile: ProjectFile | undefined;

/** Pulumi.yaml of this project, read once. */
export function projectOfRepo(): ProjectFile {
    projectFile ??= readProjectFile(path.join(__dirname, "..", ".."));
    return projectFile;
}

const fullKeyOf = (k: string) => (k.includes(":") ? k : `${PROJECT}:${k}`);

/**
 * A test config as the CLI reads it from a stack file: keys in `secretKeys` are `secure:` values, lists and
 * objects are JSON "object" values, undefined values are absent.
 */
export function stackValuesOf(config: Record<string, unknown>, secretKeys: readonly string[] = []): Map<string, StackValue> {
    const secret = new Set(secretKeys.map(fullKeyOf));
    return new Map(
        Object.entries(config)
            .filter(([, v]) => v !== undefined)
            .map(([k, v]) => {
                const object = typeof v === "object" && v !== null;
                return [fullKeyOf(k), { value: typeof v === "string" ? v : JSON.stringify(v), secure: secret.has(fullKeyOf(k)), object }];
            }),
    );
}

export interface RunOptions {
    /** Run as `pulumi preview` would (unknown provider outputs). */
    preview?: boolean;
    /** Stack name, in URNs and CLI messages. Default "test". */
    stack?: string;
    /** Pulumi.yaml to apply the CLI's rules with. Default the repository's. */
    project?: ProjectFile;
    /**
     * Run dynamic providers' create for real (e.g. record hosts' SSH keys), or resolve them with a host (see
     * DynamicResourceHost); default deterministic placeholders.
     */
    runDynamicProviders?: boolean | DynamicResourceHost;
}

/**
 * Project keys without namespace ("domain"), other keys with it ("cloudflare:apiToken"). Objects and arrays are
 * passed as JSON like the CLI does. `secretKeys` uses the same naming: those keys are `secure:` in the stack.
 * The CLI's rules apply first (tools/offline-runtime/cli-config.ts): a config the CLI refuses throws
 * CliConfigError before the program runs.
 */
export function runProgram(config: Record<string, unknown>, secretKeys: string[] = [], options: RunOptions = {}): Promise<ProgramRun> {
    return oneAtATime(() => runProgramNow(config, secretKeys, options));
}

/** Options of a shared run: what makes two runs of one config differ. */
export type SharedRunOptions = Pick<RunOptions, "preview" | "stack">;

const sharedRuns = new Map<string, Promise<ProgramRun>>();

/**
 * One run per config, options and secret keys in this process (a mocha worker runs many files), for tests that only
 * read what the program registered: a run costs about 0.2 s of CPU. The run is frozen, so a test that changes it
 * fails instead of changing what other tests read. Use runProgram where a test needs a run of its own: one it
 * compares with another run of the same config (determinism), or one whose warnings it captures (a shared run
 * prints them once, when it runs).
 */
export function sharedRun(config: Record<string, unknown>, secretKeys: readonly string[] = [], options: SharedRunOptions = {}): Promise<ProgramRun> {
    const key = JSON.stringify([config, [...secretKeys].sort(), options.preview ?? false, options.stack ?? "test"]);
    let run = sharedRuns.get(key);
    if (!run) {
        run = runProgram(config, [...secretKeys], options).then(frozen);
        sharedRuns.set(key, run);
    }
    return run;
}

/** The run with its resources and outputs frozen, all the way down. */
function frozen(run: ProgramRun): ProgramRun {
    deepFreeze(run.resources);
    deepFreeze(run.outputs);
    deepFreeze(run.revealedOutputs);
    return Object.freeze(run);
}

function deepFreeze(value: unknown): void {
    if (typeof value !== "object" || value === null || Object.isFrozen(value) || ArrayBuffer.isView(value)) return;
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
}

/** Runs the program with the config the CLI hands it (e.g. readStackConfig's, from a stack file). */
export function runCliConfig(cli: CliConfig, stack: string, preview?: boolean, runDynamicProviders?: boolean | DynamicResourceHost): Promise<ProgramRun> {
    return oneAtATime(() => runCliConfigNow(cli, stack, preview, runDynamicProviders));
}

/**
 * `npm run plan -- <argv>` in this process (tools/plan/cli.ts, the command tools/plan.ts runs), queued with the
 * program runs and with plain stack traces (a spawned plan costs a process start, ts-node and the SDK load: about
 * 1.5 s of CPU). `env` is the command's environment (the passphrase variables).
 */
export function runPlanInProcess(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<PlanCommandResult> {
    return oneAtATime(() => withPlainStackTraces(() => runPlanCommand(argv, env)));
}

/**
 * Offline runs share the SDK's global state (the stack config, the mock monitor that records resources): two at
 * once (a test's Promise.all) would record into each other's monitor. So runs queue and go one at a time.
 */
let lastRun: Promise<unknown> = Promise.resolve();
function oneAtATime<T>(run: () => Promise<T>): Promise<T> {
    const result = lastRun.then(run);
    lastRun = result.catch(() => undefined);
    return result;
}

function runProgramNow(config: Record<string, unknown>, secretKeys: string[], options: RunOptions): Promise<ProgramRun> {
    const stack = options.stack ?? "test";
    const cli = applyCliConfigRules(options.project ?? projectOfRepo(), stack, stackValuesOf(config, secretKeys));
    return runCliConfigNow(cli, stack, options.preview, options.runDynamicProviders);
}

async function runCliConfigNow(cli: CliConfig, stack: string, preview?: boolean, runDynamicProviders?: boolean | DynamicResourceHost): Promise<ProgramRun> {
    // Fresh module state per run: the program is a function, but keep imports cached across runs.
    const program: () => Promise<Record<string, unknown>> = require("../../index");
    const run = await withPlainStackTraces(() =>
        runOffline(program, {
            project: PROJECT,
            stack,
            config: cli.config,
            secretKeys: cli.secretKeys,
            preview,
            runDynamicProviders,
        }),
    );
    const outputs = (await resolveValue(run.result, false)) as Record<string, unknown>;
    const revealedOutputs = (await resolveValue(run.result, true)) as Record<string, unknown>;
    const named = (name: string) => {
        const found = run.resources.filter((r) => r.name === name);
        if (found.length !== 1) {
            throw new Error(`expected one resource named ${name}, found ${found.length}`);
        }
        return found[0];
    };
    return {
        resources: run.resources,
        outputs,
        revealedOutputs,
        ofType: (type) => run.resources.filter((r) => r.type === type),
        named,
        inputsOf: (name, reveal = false) => unwrapWireValue(named(name).inputs, reveal) as Record<string, any>,
    };
}

/**
 * Runs the program with a config it (or the CLI before it) must reject; returns the error and every resource
 * registered before it (none when the CLI refused: the program never ran).
 */
export function runProgramFailure(config: Record<string, unknown>, secretKeys: string[] = []): Promise<{ error: unknown; resources: RecordedResource[] }> {
    // The failed run's monitor is read after it failed: in the same turn of the queue.
    return oneAtATime(async () => {
        try {
            await runProgramNow(config, secretKeys, {});
        } catch (error) {
            if (error instanceof CliConfigError) {
                return { error, resources: [] };
            }
            await (settings as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
            const monitor = settings.getMonitor() as unknown as RecordingMonitor;
            assertRecording(monitor);
            return { error, resources: [...monitor.recorded] };
        }
        throw new Error("expected the program to reject the config");
    });
}

function assertRecording(monitor: unknown): asserts monitor is RecordingMonitor {
    if (!(monitor instanceof RecordingMonitor)) {
        throw new Error("the offline runtime's recording monitor is not installed");
    }
}
