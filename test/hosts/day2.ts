// A stack's life as a sequence of `pulumi up`s on test hosts: each up runs the real program offline with a stack
// config, asks the engine model (test/support/engine) which steps the engine would run against the state the
// previous ups left, and runs those steps' commands over SSH, in the engine's order (independent steps in
// parallel). Like the engine, it starts no step after one failed (running ones finish), and the state keeps the
// old version of every resource whose step did not complete (a failed update keeps its old inputs), so the next
// up runs it again.
import { DynamicResourceHost, RecordedResource } from "../../tools/offline-runtime";
import { CREDENTIAL_KEYS } from "../../components/core/types";
import { EnginePlan, EngineStep, planUp, UpOptions } from "../support/engine";
import { runProgram } from "../support/program";
import { strict as assert } from "assert";
import { isInstallerDouble, runRemoteCommand, sampleProcesses, TestHost } from "./harness";
import { CommandFailedError } from "./harness/remote-runner";
import { ClusterSpec, filesHolding, INSTALLER_OWN_FILES, stackConfig } from "./deployment";
import { Lab } from "./lab";

const SECRET_KEYS = ["license", "sshPrivateKey", "zerosslApiKey", "ownCertPrivateKey", "ownCertPublicKey", ...CREDENTIAL_KEYS];

export interface RanStep {
    name: string;
    op: string;
    operation: string;
    host: string;
    stdout: string;
    stderr: string;
    exitCode: number | null;
    /** ms since the epoch, when the command started and ended */
    started: number;
    ended: number;
}

export interface UpResult {
    plan: EnginePlan;
    ran: RanStep[];
    /** The first failed step, when the up failed. */
    failed?: RanStep;
    config: Record<string, unknown>;
    /** Revealed secret values of this up's config (for leak checks). */
    secrets: string[];
}

/** The dynamic resources this program registers: the host-key pins (components/onprem/host-key-pin.ts). */
const HOST_KEY_PIN = "pulumi-nodejs:dynamic:HostKeyPin";

type DynamicState = { id: string; state: Record<string, unknown> };
type PinProvider = {
    diff(id: string, olds: object, news: object): Promise<{ changes?: boolean; replaces?: string[] }>;
    update(id: string, olds: object, news: object): Promise<{ outs: Record<string, unknown> }>;
};

/** What a Stack's state is after some ups (Stack.save), to put it back (Stack.restore) with the hosts' disks. */
export interface SavedStack {
    state: RecordedResource[];
    ups: UpResult[];
    pins: Map<string, DynamicState>;
}

export class Stack {
    /** The resources as the state records them after the last up. */
    state: RecordedResource[] = [];
    readonly ups: UpResult[] = [];
    /** Outputs of the host-key pins in the state, by resource name (RecordedResource keeps inputs only). */
    private readonly pins = new Map<string, DynamicState>();

    constructor(private readonly lab: Lab) {}

    /**
     * A pin as the engine resolves it (pkg/resource/deploy/step_generator.go `diff`: the provider's Diff runs at
     * every up, `UseLegacyDiff` off; the dynamic provider host, sdk/nodejs/cmd/dynamic-provider `diffRPC`, calls
     * the provider's `diff(id, olds = recorded outputs, news = inputs)`): new -> create (the first scan); replaces ->
     * create again; changes -> update; else the recorded outputs. A diff that throws fails the up (`errors` here).
     */
    private resolvePin(errors: { name: string; host: string; message: string }[]): DynamicResourceHost {
        return async ({ type, name, inputs, create }) => {
            const old = this.pins.get(name);
            if (type !== HOST_KEY_PIN || old === undefined) return create();
            // eslint-disable-next-line @typescript-eslint/no-require-imports -- untyped; loads the serialized provider as the engine's dynamic-provider host does
            const provider = (require("require-from-string") as (code: string) => { handler(): PinProvider })(inputs.__provider as string).handler();
            try {
                const diff = await provider.diff(old.id, old.state, inputs);
                if ((diff.replaces ?? []).length > 0) return create();
                if (diff.changes) return { id: old.id, state: { ...(await provider.update(old.id, old.state, inputs)).outs, __provider: inputs.__provider } };
                return old;
            } catch (e) {
                errors.push({ name, host: String(inputs.host), message: (e as Error).message });
                return old;
            }
        };
    }

    save(): SavedStack {
        return { state: [...this.state], ups: [...this.ups], pins: new Map(this.pins) };
    }

    /** The state, pins and history as saved: the next up sees the previous up of the save. */
    restore(saved: SavedStack): void {
        this.state = [...saved.state];
        this.ups.splice(0, this.ups.length, ...saved.ups);
        this.pins.clear();
        for (const [k, v] of saved.pins) this.pins.set(k, v);
    }

    /** Every step run so far, in the order they ended. */
    get history(): RanStep[] {
        return this.ups.flatMap((u) => u.ran);
    }

    async up(spec: ClusterSpec, options: UpOptions = {}): Promise<UpResult> {
        const config = stackConfig(this.lab, spec);
        const secrets = SECRET_KEYS.filter((k) => typeof config[k] === "string").map((k) => String(config[k]));
        // Dynamic providers run as the engine runs them: host keys are recorded from the hosts at the first connection
        // and compared at every later up.
        const pinErrors: { name: string; host: string; message: string }[] = [];
        const registered = new Map<string, DynamicState>();
        const resolve = this.resolvePin(pinErrors);
        const program = await runProgram(
            config,
            SECRET_KEYS.filter((k) => k in config),
            { runDynamicProviders: async (r) => registered.set(r.name, await resolve(r)).get(r.name)! },
        );
        const next = program.resources;
        const plan = planUp(this.state, next, options);
        if (pinErrors.length > 0) {
            // The engine stops at the failed diff. Modelled: no step runs (the engine may have run steps of resources
            // registered before the pin; a test that changes only a host has none), the state stays as it was.
            const e = pinErrors[0];
            const failed: RanStep = {
                name: e.name,
                op: "diff",
                operation: "diff",
                host: e.host,
                stdout: "",
                stderr: e.message,
                exitCode: 1,
                started: 0,
                ended: 0,
            };
            const result = { plan, ran: [], failed, config, secrets };
            this.ups.push(result);
            return result;
        }
        const ran: RanStep[] = [];
        const completed = new Set<number>();
        let failed: RanStep | undefined;
        const done = new Map<number, Promise<void>>();
        const execute = (step: EngineStep): Promise<void> => {
            let p = done.get(step.id);
            if (!p) {
                p = (async () => {
                    await Promise.all(step.after.map((id) => execute(plan.steps[id])));
                    if (failed || !step.after.every((id) => completed.has(id))) return;
                    if (step.run) {
                        const connection = step.run.inputs.connection;
                        const started = Date.now();
                        // A failed command throws, as the provider reports it: its output is stdout and stderr interleaved.
                        const r = await runRemoteCommand(
                            connection,
                            { [step.run.operation]: step.run.command, stdin: step.run.inputs.stdin },
                            step.run.operation,
                        ).catch((e: unknown) => {
                            if (!(e instanceof CommandFailedError)) throw e;
                            return { stdout: "", stderr: e.output.replace(/\n$/, ""), exitCode: e.exitCode ?? -1 };
                        });
                        const result: RanStep = {
                            name: step.name,
                            op: step.op,
                            operation: step.run.operation,
                            host: connection.host,
                            stdout: r?.stdout ?? "",
                            stderr: r?.stderr ?? "",
                            exitCode: r?.exitCode ?? null,
                            started,
                            ended: Date.now(),
                        };
                        ran.push(result);
                        if (result.exitCode !== 0) {
                            failed ??= result;
                            return;
                        }
                    }
                    completed.add(step.id);
                })();
                done.set(step.id, p);
            }
            return p;
        };
        await Promise.all(plan.steps.map(execute));
        this.state = nextState(this.state, next, plan, completed);
        // Pins are saved as their steps complete (a step runs no command: it completes unless the up stopped first).
        const before = new Map(this.pins);
        this.pins.clear();
        for (const r of this.state.filter((x) => x.type === HOST_KEY_PIN)) {
            const saved = next.includes(r) ? registered.get(r.name) : before.get(r.name);
            if (saved) this.pins.set(r.name, saved);
        }
        const result = { plan, ran, failed, config, secrets };
        this.ups.push(result);
        return result;
    }
}

/**
 * The state after an up: a resource whose steps all completed is recorded as registered now; one whose step did
 * not complete keeps its previous record (or none, if it was being created); deletions that completed drop it.
 */
function nextState(previous: RecordedResource[], next: RecordedResource[], plan: EnginePlan, completed: Set<number>): RecordedResource[] {
    const olds = new Map(previous.map((r) => [r.urn, r]));
    const finished = (urn: string) => plan.steps.filter((s) => s.urn === urn).every((s) => completed.has(s.id));
    const state: RecordedResource[] = [];
    for (const r of next) {
        if (finished(r.urn)) state.push(r);
        else if (olds.has(r.urn)) state.push(olds.get(r.urn)!);
    }
    const nextUrns = new Set(next.map((r) => r.urn));
    for (const r of previous) {
        if (!nextUrns.has(r.urn) && !finished(r.urn)) state.push(r);
    }
    return state;
}

/** The version: in a host's /opt/openvidu/deployment-info.yaml. */
export async function versionOf(host: TestHost): Promise<string> {
    return (await host.exec("sed -n 's/^version: //p' /opt/openvidu/deployment-info.yaml")).stdout.trim();
}

/** VARIABLE=value lines of a config file under /opt/openvidu. */
export async function envOf(host: TestHost, file: string): Promise<Record<string, string>> {
    const text = await host.readFile(`/opt/openvidu/${file}`);
    return Object.fromEntries(
        text
            .split("\n")
            .filter((l) => /^[A-Z0-9_]+=/.test(l))
            .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
    );
}

/** systemctl calls on `openvidu` a host received since `from` (an index into its log): "start", "stop", "restart". */
export function serviceCalls(host: TestHost, from = 0): string[] {
    return host
        .systemctlCalls()
        .slice(from)
        .filter((c) => /^(start|stop|restart) openvidu$/.test(c))
        .map((c) => c.split(" ")[0]);
}

/**
 * An up run with the process table sampled, then checked for leaks: no secret of its config in any process's
 * argument list (the installer double's own argv aside, as the vendor installer takes flags), in any step's output,
 * or in a file of `hosts` outside the installer's own (/opt/openvidu, the double's records).
 */
export async function upWithoutLeaks(stack: Stack, spec: ClusterSpec, hosts: TestHost[], options: UpOptions = {}): Promise<UpResult> {
    const { result: up, samples } = await sampleProcesses(stack.up(spec, options));
    for (const secret of up.secrets) {
        assert.deepEqual(
            samples.containing(secret, isInstallerDouble).map((p) => p.args.slice(0, 80)),
            [],
            "a secret in a process argument list",
        );
        const shown = up.ran.find((r) => (r.stdout + r.stderr).includes(secret));
        assert.equal(shown?.name, undefined, "a secret in a step's output");
    }
    for (const host of hosts) {
        assert.deepEqual(
            (await filesHolding(host, up.secrets)).filter((f) => !INSTALLER_OWN_FILES.test(f)),
            [],
            `${host.name}: secrets in files`,
        );
    }
    return up;
}

/**
 * The exact stderr of a preflight step (`masters-<n>-preflight`, `<media>-preflight`) refusing a changed master
 * list on an installed node: a literal expectation (README, Day 2), written once for every test that re-addresses.
 */
export function masterListRefusal(stepName: string, configuredList: string): string {
    const node = stepName.replace(/^masters-(\d)-preflight$/, "master-$1").replace(/-preflight$/, "");
    return (
        `preflight failed on ${node}: masterNodes[].privateIp: this node was installed with other master private IPs than the configured ${configuredList}; ` +
        "a master's privateIp cannot change on an installed cluster (every node's configuration and MongoDB's replica set hold the master IP list): " +
        "restore the addresses the cluster was installed with, or deploy a new cluster\n" +
        `preflight failed on ${node}: 1 check(s) failed`
    );
}
