// The program under test, offline, pointed at test hosts: runs index.ts with a stack config whose hosts are
// test hosts and whose installerBaseUrl is the installer-double server, then executes the recorded inputs of
// each remote.Command (create/delete/stdin, secrets revealed, connection as recorded) over SSH, in the
// dependency order the engine would follow. Nothing here builds a command: every string comes from the program.
// A `pulumi up` after an earlier one (`upAfter`) and `pulumi destroy` (`destroyAll`) run exactly the commands
// the engine model (test/support/engine) plans from the two recorded runs, in its order.
import { strict as assert } from "assert";
import * as crypto from "crypto";
import * as path from "path";
import { CREDENTIAL_KEYS } from "../../components/core/types";
import { releaseLineOf } from "../../components/core/release-lines";
import { RecordedResource } from "../../tools/offline-runtime";
import { EnginePlan, EngineStep, planDestroy, planFirstUp, planUp, snapshotAfter, UpOptions } from "../support/engine";
import { ProgramRun, runProgram } from "../support/program";
import { parseInstallerStdin } from "../support/installer-args";
import { CommandFailedError, CommandSpec, goQuote, Operation, PreviousOutputs, RemoteConnection, RemoteResult, runRemoteCommand, TestHost } from "./harness";
import { run } from "./harness/sh";
import { Lab } from "./lab";

const COMMAND = "command:remote:Command";
export const STEP_KINDS = ["preflight", "firewall", "install", "start", "health"] as const;
/** "converge": the day-2 chain (converge-<label>-check, converge-<label>-<round>-<phase>); see test/hosts/day2.ts. */
export type StepKind = (typeof STEP_KINDS)[number] | "converge";

/** A per-run tag, so secret values are unique to this test process (other processes may run at once). */
export const RUN_TAG = `ovhat${crypto.randomBytes(4).toString("hex")}`;

/** One remote.Command of the program, as recorded. */
export interface Step {
    /** resource name, e.g. masters-1-install or media-10-213-5-14-health */
    name: string;
    urn: string;
    kind: StepKind;
    /** host label the program uses in messages, read from the command's first line (master-1, media-10-213-5-14) */
    label: string;
    host: TestHost;
    /** The recorded commands; the convergence chain's steps have no `create`, their command is `update`. */
    spec: CommandSpec;
    connection: RemoteConnection & { hostKey?: string };
    /** names of the commands this one waits for (directly) */
    dependsOn: string[];
}

/**
 * One command run. A failed one (exitCode not 0) is what the provider reports: `error`, one message holding the
 * command and the combined stdout+stderr (CommandFailedError); it has no stdout/stderr outputs, and reading them
 * throws, so no test reads a stream a user never sees on its own.
 */
export interface StepRun extends RemoteResult {
    step: string;
    op: Operation;
    /** the provider's error of a failed command; undefined when it succeeded */
    error?: string;
    /** of a failed command: its output after the provider's `running "<command>":` line */
    output?: string;
}

/** The StepRun of a failed command: the provider's error, and stdout/stderr that throw when read. */
function failedRun(e: CommandFailedError, step: string, op: Operation): StepRun {
    const run = {
        step,
        op,
        exitCode: e.exitCode,
        signal: e.signal,
        durationMs: 0,
        dialAttempts: e.dialAttempts,
        warnings: e.warnings,
        error: e.message,
        output: e.output,
    } as StepRun;
    for (const stream of ["stdout", "stderr"]) {
        Object.defineProperty(run, stream, {
            enumerable: false,
            get: () => {
                throw new Error(`${step} ${op} failed; the provider gives one error (read .error or .output), no ${stream}: ${e.message}`);
            },
        });
    }
    return run;
}

/**
 * The output of a failed run, after checking that its error is the provider's one error for this command
 * (commandOutputs.go `run`: `Process exited with status N: running "<command>":\n<stdout+stderr>`); one trailing
 * newline trimmed.
 */
export function failureOutput(r: StepRun, command: string | undefined, exitCode = 1): string {
    assert.equal(r.exitCode, exitCode, r.error ?? "the command succeeded");
    assert.ok(command !== undefined, "a command that ran");
    assert.equal(r.error, `Process exited with status ${exitCode}: running ${goQuote(command)}:\n${r.output}`);
    return r.output!.replace(/\n$/, "");
}

/** What a user sees of a run: its outputs, or the provider's error when it failed. */
export function shownOf(r: StepRun): string {
    return r.error ?? `${r.stdout}\n${r.stderr}`;
}

/** What one engine-planned `pulumi up` or `pulumi destroy` ran. */
export interface EngineRun {
    plan: EnginePlan;
    /** Commands run, in the order they started (steps the plan allows in parallel may interleave). */
    ran: (StepRun & { host?: TestHost; engineStep: EngineStep; startedAt: number })[];
    /** "<step> <operation>" of the commands run on `host`, in the order they started. */
    on(host: TestHost): string[];
}

/** Which steps to run: those on `hosts` (default: every test host in the config), of `kinds` (default: all). */
export interface StepFilter {
    hosts?: TestHost[];
    kinds?: StepKind[];
}

export interface HostRole {
    host: TestHost;
    /** the privateIp to configure; the host's own address unless overridden (to test a wrong one) */
    privateIp?: string;
    /** the hostKey to configure; none by default (the key is recorded at the first connection) */
    hostKey?: string;
}

export interface ClusterSpec {
    /** exactly 4; a node may be an address no test dials (`{ address }`), when tests run other hosts only */
    masters: (TestHost | HostRole | { address: string })[];
    /** 1 or more */
    media: (TestHost | HostRole | { address: string })[];
    /** stack config keys to set or override (project keys without namespace) */
    config?: Record<string, unknown>;
}

/** Credential overrides for a release line: distinct values tagged with this run, recognisable anywhere. */
export function credentialValues(version: string, tag = RUN_TAG): Record<string, string> {
    const line = releaseLineOf(version);
    if (!line) throw new Error(`no release line for ${version}`);
    return Object.fromEntries(line.credentials.map((k) => [k, `${tag}-${k}-secret`]));
}

/**
 * A host key for addresses no test dials: configured keys need no first connection, so the program run (which
 * records the host keys of the other nodes at their first connection) never waits for them.
 */
const UNDIALLED_HOST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBk3Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MDEyMzQ1Njc4";

function hostEntry(entry: TestHost | HostRole | { address: string }): { publicIp: string; privateIp: string; hostKey?: string } {
    if (entry instanceof TestHost) return { publicIp: entry.address, privateIp: entry.address };
    if ("host" in entry) {
        return { publicIp: entry.host.address, privateIp: entry.privateIp ?? entry.host.address, ...(entry.hostKey ? { hostKey: entry.hostKey } : {}) };
    }
    return { publicIp: entry.address, privateIp: entry.address, hostKey: UNDIALLED_HOST_KEY };
}

/** The stack config a user would write for these hosts, with the test server as installer source. */
export function stackConfig(lab: Lab, spec: ClusterSpec): Record<string, unknown> {
    const version = (spec.config?.openviduVersion as string | undefined) ?? "3.8.0";
    return {
        target: "onprem",
        openviduVersion: version,
        domain: "openvidu.hosts.example.com",
        license: `${RUN_TAG}-LICENSE-secret`,
        certificateType: "selfsigned",
        masterNodes: spec.masters.map(hostEntry),
        mediaNodes: spec.media.map(hostEntry),
        sshUser: "root",
        sshPrivateKey: lab.hosts.privateKey,
        sshDialErrorLimit: 3,
        sshPerDialTimeout: 5,
        installerBaseUrl: `${lab.server.url}/pro/ha`,
        updaterBaseUrl: `${lab.server.url}/update`,
        dnsProvider: "none",
        healthTimeoutSeconds: 60,
        drainTimeoutMinutes: 1,
        ...credentialValues(version),
        ...spec.config,
    };
}

const SECRET_KEYS = ["license", "sshPrivateKey", "zerosslApiKey", "ownCertPrivateKey", "ownCertPublicKey", ...CREDENTIAL_KEYS];

/** The program run for one stack config, and its host steps. */
export class Deployment {
    /** every step run, in the order they finished (for log and leak checks) */
    readonly history: StepRun[] = [];
    private readonly byName = new Map<string, Step>();

    /**
     * The provider's state of each command this deployment created or updated: its last stdout/stderr, which an
     * update or delete offers as PULUMI_COMMAND_STDOUT/_STDERR unless addPreviousOutputInEnv is false.
     */
    readonly outputs = new Map<string, PreviousOutputs>();
    /** The engine's snapshot after this deployment's last engine run (upAfter/destroyAll), failed or not. */
    state?: RecordedResource[];

    private constructor(
        readonly config: Record<string, unknown>,
        readonly program: ProgramRun,
        readonly steps: Step[],
        private readonly hosts: TestHost[],
    ) {
        for (const s of steps) this.byName.set(s.name, s);
    }

    /**
     * Runs the real program offline with `stackConfig(lab, spec)` and reads its commands. Dynamic providers run
     * as the engine runs them: the host keys of nodes without hostKey are read from the hosts at this first run.
     */
    static async of(lab: Lab, spec: ClusterSpec): Promise<Deployment> {
        const config = stackConfig(lab, spec);
        const program = await runProgram(
            config,
            SECRET_KEYS.filter((k) => k in config),
            { runDynamicProviders: true },
        );
        return Deployment.fromProgram(config, program, lab.hosts.hosts);
    }

    /** The commands of a program already run (e.g. from a stack file, by tools/lab) on these hosts. */
    static fromProgram(config: Record<string, unknown>, program: ProgramRun, hosts: TestHost[]): Deployment {
        // By URN: registration order depends on when each host's key was read (the pins resolve asynchronously).
        const commands = program.ofType(COMMAND).sort((x, y) => (x.urn < y.urn ? -1 : x.urn > y.urn ? 1 : 0));
        const nameOf = new Map(commands.map((r) => [r.urn, r.name]));
        const steps = commands.map((r): Step => {
            const inputs = program.inputsOf(r.name, true);
            const m = /^converge-/.test(r.name) ? [r.name, r.name, "converge"] : /^(.*)-(preflight|firewall|install|start|health)$/.exec(r.name);
            if (!m) throw new Error(`unexpected command resource ${r.name}`);
            // The convergence chain's command is its `update` (it has no `create`).
            const label = /^# openvidu-ha \S+ on (\S+)\n/.exec(inputs.create ?? inputs.update)?.[1];
            if (!label) throw new Error(`${r.name}: no label in its command`);
            const connection = inputs.connection as Step["connection"];
            const host = hosts.find((h) => h.address === connection.host);
            return {
                name: r.name,
                urn: r.urn,
                kind: m[2] as StepKind,
                label,
                host: host ?? (undefined as unknown as TestHost), // never-dialled addresses have no host
                spec: {
                    create: inputs.create,
                    update: inputs.update,
                    delete: inputs.delete,
                    stdin: inputs.stdin,
                    addPreviousOutputInEnv: inputs.addPreviousOutputInEnv,
                },
                connection,
                dependsOn: r.dependsOn.map((u) => nameOf.get(u)).filter((n): n is string => n !== undefined),
            };
        });
        return new Deployment(config, program, steps, hosts);
    }

    step(name: string): Step {
        const s = this.byName.get(name);
        if (!s) throw new Error(`no step ${name}; steps: ${[...this.byName.keys()].join(", ")}`);
        return s;
    }

    /** The step of `kind` on `host`. */
    stepOf(host: TestHost, kind: StepKind): Step {
        const found = this.steps.filter((s) => s.host === host && s.kind === kind);
        if (found.length !== 1) throw new Error(`expected one ${kind} step on ${host.name}, found ${found.length}`);
        return found[0];
    }

    /**
     * Steps on these hosts (default: every host of the lab in the config), of these kinds (default: the
     * provisioning steps; the day-2 chain only when "converge" is asked for).
     */
    select(only: StepFilter = {}): Step[] {
        return this.steps.filter(
            (s) => s.host !== undefined && (!only.hosts || only.hosts.includes(s.host)) && (only.kinds ? only.kinds.includes(s.kind) : s.kind !== "converge"),
        );
    }

    /** The values the program marks secret: license, SSH key and every "S" line of each install stdin. */
    secretValues(): string[] {
        const values = new Set<string>([String(this.config.license), String(this.config.sshPrivateKey)]);
        for (const s of this.steps.filter((x) => x.kind === "install")) {
            for (const a of parseInstallerStdin(s.spec.stdin ?? "")) if (a.secret && a.value) values.add(a.value);
        }
        return [...values];
    }

    /**
     * What install.sh must record for this install step, by install.sh's own formula (SHA-256 over the installer
     * URL, the expected checksum or "-", and the installer's argument lines on its stdin), not by the program's
     * functions.
     */
    fingerprintOf(step: Step): string {
        const role = step.label.startsWith("master-") ? "master" : "media";
        const sha = this.config[role === "master" ? "installerSha256Master" : "installerSha256Media"] as string | undefined;
        const url = `${String(this.config.installerBaseUrl)}/${String(this.config.openviduVersion)}/install_ov_${role}_node.sh`;
        return crypto
            .createHash("sha256")
            .update(`${url}\n${sha?.toLowerCase() ?? "-"}\n${installerLines(step.spec.stdin ?? "")}`)
            .digest("hex");
    }

    /** Runs one step's `op` (create by default) exactly as recorded, keeping its outputs as the provider would. */
    async run(step: Step | string, op: Operation = "create"): Promise<StepRun> {
        const s = typeof step === "string" ? this.step(step) : step;
        let r: RemoteResult | undefined;
        try {
            r = await runRemoteCommand(s.connection, s.spec, op, this.outputs.get(s.urn));
        } catch (e) {
            if (!(e instanceof CommandFailedError)) throw e;
            return this.record(s.urn, failedRun(e, s.name, op));
        }
        if (!r) throw new Error(`${s.name} has no ${op} command`);
        return this.record(s.urn, { ...r, step: s.name, op });
    }

    private record(urn: string, result: StepRun): StepRun {
        const { op } = result;
        this.history.push(result);
        if (result.error === undefined) {
            const r = result;
            if (op === "delete") this.outputs.delete(urn);
            else this.outputs.set(urn, { stdout: r.stdout, stderr: r.stderr });
        }
        return result;
    }

    /**
     * `pulumi up` of this program on a stack whose last `pulumi up` was `previous` (whose hosts ran its commands),
     * with `options.replace` as `--replace` URNs: runs exactly the commands the engine model plans, in its order
     * (parallel where it allows). Throws, naming the step, if a command fails. This deployment keeps the state.
     */
    async upAfter(previous: Pick<Deployment, "state" | "outputs"> | undefined, options: UpOptions = {}): Promise<EngineRun> {
        if (previous && !previous.state) throw new Error("the previous deployment has no engine run (upAfter) to follow");
        if (previous) for (const [urn, o] of previous.outputs) this.outputs.set(urn, o);
        const before = previous?.state ?? [];
        const plan = previous ? planUp(before, this.program.resources, options) : planFirstUp(this.program.resources);
        return this.execute(plan, before, this.program.resources);
    }

    /** `pulumi destroy` of what this deployment's last engine run left: the engine model's deletes, in its order. */
    async destroyAll(): Promise<EngineRun> {
        const before = this.state ?? this.program.resources;
        return this.execute(planDestroy(before), before, []);
    }

    /**
     * Runs the plan's commands, each once the steps it waits for completed. After a failure no further step
     * starts (the engine cancels); steps already running finish. The snapshot left is kept in `state`.
     */
    private async execute(plan: EnginePlan, before: RecordedResource[], after: RecordedResource[]): Promise<EngineRun> {
        const ran: EngineRun["ran"] = [];
        const done: Promise<void>[] = [];
        const completed = new Set<number>();
        let failed = false;
        for (const step of plan.steps) {
            done[step.id] = (async () => {
                await Promise.all(step.after.map((id) => done[id]));
                if (failed) throw new Error(`${step.name}: not started, the run failed`);
                if (!step.run) {
                    completed.add(step.id);
                    return;
                }
                const { operation, command, inputs } = step.run;
                const connection = inputs.connection as RemoteConnection;
                const entry = {
                    host: this.hosts.find((h) => h.address === connection.host),
                    engineStep: step,
                    startedAt: Date.now(),
                } as EngineRun["ran"][number];
                ran.push(entry);
                const spec: CommandSpec = { [operation]: command, stdin: inputs.stdin, addPreviousOutputInEnv: inputs.addPreviousOutputInEnv };
                try {
                    let r: StepRun;
                    try {
                        const ok = await runRemoteCommand(connection, spec, operation, this.outputs.get(step.urn));
                        r = this.record(step.urn, { ...ok!, step: step.name, op: operation });
                    } catch (e) {
                        if (!(e instanceof CommandFailedError)) throw e;
                        r = this.record(step.urn, failedRun(e, step.name, operation));
                    }
                    Object.defineProperties(entry, Object.getOwnPropertyDescriptors(r));
                    if (r.error !== undefined) throw new Error(`${step.op} ${step.name} (${operation}): ${r.error}`);
                } catch (e) {
                    failed = true;
                    throw e;
                }
                completed.add(step.id);
            })();
        }
        const all = await Promise.allSettled(done);
        this.state = snapshotAfter(before, after, plan, completed);
        // The first failure in step order is the cause; later ones only say they did not start.
        const failure = all.find(
            (x): x is PromiseRejectedResult => x.status === "rejected" && !/: not started, the run failed$/.test(String(x.reason?.message)),
        );
        if (failure) throw failure.reason;
        return { plan, ran, on: (host) => ran.filter((r) => r.host === host).map((r) => `${r.step} ${r.op}`) };
    }

    /**
     * Creates the steps (all, or those on `hosts`) like `pulumi up`: each starts once the steps it depends on
     * among them succeeded, independent ones in parallel. Throws, naming the step, if one fails.
     */
    async up(only: StepFilter = {}): Promise<Map<string, StepRun>> {
        return this.inOrder(this.select(only), "create");
    }

    /** Deletes like `pulumi destroy`: the reverse order, running each step's delete command (if any). */
    async destroy(only: StepFilter = {}): Promise<Map<string, StepRun>> {
        return this.inOrder(this.select(only), "delete");
    }

    private async inOrder(steps: Step[], op: Operation): Promise<Map<string, StepRun>> {
        const names = new Set(steps.map((s) => s.name));
        // create: wait for dependencies; delete: wait for dependents.
        const waitsFor = (s: Step): string[] =>
            op === "delete" ? steps.filter((o) => o.dependsOn.includes(s.name)).map((o) => o.name) : s.dependsOn.filter((d) => names.has(d));
        const results = new Map<string, StepRun>();
        const done = new Map<string, Promise<void>>();
        const start = (s: Step): Promise<void> => {
            let p = done.get(s.name);
            if (!p) {
                p = (async () => {
                    await Promise.all(waitsFor(s).map((d) => start(this.step(d))));
                    if (op === "delete" && s.spec.delete === undefined) return;
                    const r = await this.run(s, op);
                    results.set(s.name, r);
                    if (r.error !== undefined) throw new Error(`${s.name} ${op}: ${r.error}`);
                })();
                done.set(s.name, p);
            }
            return p;
        };
        const all = await Promise.allSettled(steps.map(start));
        const failed = all.find((x): x is PromiseRejectedResult => x.status === "rejected");
        if (failed) throw failed.reason;
        return results;
    }
}

/** Where the host steps keep what lasts (install.sh's scratch directory on tmpfs, /run/openvidu-ha, aside). */
export const STEP_PATHS = ["/opt/openvidu", "/etc/systemd/system", "/etc/openvidu-ha", "/var/lib/openvidu-ha", "/var/log/openvidu-ha"];

/**
 * What the steps left on a host: every file and directory under STEP_PATHS with type, mode, size, mtime
 * (nanoseconds) and, for files, a SHA-256 of the contents. Equal snapshots = nothing was written.
 */
export async function hostSnapshot(host: TestHost): Promise<string[]> {
    const r = await host.exec(
        'for d in "$@"; do [ -e "$d" ] || continue; ' + 'find "$d" -printf \'%y %m %s %T@ %p\\n\'; find "$d" -type f -exec sha256sum {} +; done | sort',
        { args: STEP_PATHS },
    );
    if (r.exitCode !== 0) throw new Error(`${host.name}: snapshot failed: ${r.stderr}`);
    return r.stdout.split("\n").filter(Boolean);
}

/** The installer double's runs on a host, oldest first: record directory names (001, 002, ...). */
export async function installerRuns(host: TestHost): Promise<string[]> {
    const r = await host.exec("ls /var/log/openvidu-installer-double 2>/dev/null || true");
    return r.stdout.split("\n").filter(Boolean);
}

/** Writes a knob file of a test double on the host (e.g. the installer double's behaviour); "" removes it. */
export async function setKnob(host: TestHost, file: string, value: string): Promise<void> {
    const r = await host.exec(value === "" ? 'rm -f "$1"' : 'mkdir -p "$(dirname "$1")" && printf "%s\\n" "$2" > "$1"', { args: [file, value] });
    if (r.exitCode !== 0) throw new Error(`${host.name}: cannot set ${file}: ${r.stderr}`);
}

export const KNOBS = {
    installer: "/etc/openvidu-installer-double/behaviour",
    health: "/etc/systemctl-double/openvidu-health",
    drainSeconds: "/etc/docker-double/drain-seconds",
};

/**
 * Files of a host that contain any of `needles` (each line of a multi-line value, e.g. a key, is searched):
 * everything the host wrote to disk (its overlay upper directories) and its /run and /tmp (tmpfs).
 */
export async function filesHolding(host: TestHost, needles: string[]): Promise<string[]> {
    const lines = needles.flatMap((n) => n.split("\n")).filter((l) => l.length >= 8 && !l.startsWith("-----"));
    const input = lines.join("\n") + "\n"; // patterns on stdin (grep -f -), never in an argument list
    const upper = path.join(host.dir, "fs", "upper");
    const disk = await run("grep", ["-rlF", "-f", "-", upper], { input });
    const tmpfs = await host.exec("grep -rlF -f - --exclude-dir=ovha-test-host /run /tmp", { stdin: input });
    for (const r of [disk, tmpfs]) assert.ok(r.exitCode === 0 || r.exitCode === 1, r.stderr);
    // upper/_var_log/x is the host's /var/log/x
    const fromUpper = disk.stdout
        .split("\n")
        .filter(Boolean)
        .map((f) => f.slice(upper.length + 1).replace(/^([^/]+)/, (d) => d.replace(/_/g, "/")));
    return [...fromUpper, ...tmpfs.stdout.split("\n").filter(Boolean)].sort();
}

/** Where the installer (double) itself keeps what it was given: its configuration and the double's run records. */
/** An install step's stdin without a media node's "H --flag=<sha256>" lines: the installer's arguments, which install.sh fingerprints. */
export const installerLines = (stdin: string): string => stdin.replace(/^H .*\n/gm, "");

export const INSTALLER_OWN_FILES = /^(\/opt\/openvidu\/|\/var\/log\/openvidu-installer-double\/)/;
