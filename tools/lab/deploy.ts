// `npm run lab -- deploy`: what `pulumi up --stack lab` would run on the lab's hosts, without the Pulumi CLI.
// The program runs offline with Pulumi.lab.yaml as the CLI would hand it over (tools/plan/stack-config.ts), the
// engine model (test/support/engine) plans from the last recorded run, and test/hosts/deployment.ts runs the
// planned commands over SSH in the engine's order. The engine state is kept in <labDir>/runs for the next deploy.
import * as fs from "fs";
import * as path from "path";
import { RecordedResource } from "../offline-runtime";
import { readStackConfig } from "../plan/stack-config";
import { runCliConfig } from "../../test/support/program";
import { Deployment, EngineRun } from "../../test/hosts/deployment";
import { PreviousOutputs, TestHost } from "../../test/hosts/harness";
import { LabError, ownToInvokingUser } from "./errors";
import { files, keeperAlive, LabState, labDir, readState, stackFile, writeAtomic } from "./state";

interface RecordedRun {
    finishedAt: string;
    ok: boolean;
    /** the engine's snapshot after the run (the stack's state) */
    state: RecordedResource[];
    /** the provider's last stdout/stderr per command URN */
    outputs: [string, PreviousOutputs][];
    /** per host: "<step> <operation> <seconds>s exit <code>", in the order they started */
    byHost: Record<string, string[]>;
}

/** The lab's hosts as harness objects (not booted here: deploy only dials them over SSH). */
function labHosts(state: LabState, privateKey: string): TestHost[] {
    return state.hosts.map(
        (h) =>
            new TestHost(
                h.index,
                h.name,
                h.address,
                h.netns,
                h.dir,
                { name: h.name, cpus: 4, memMb: 8192, systemd: true, sshd: true, extraUserSudo: false },
                privateKey,
            ),
    );
}

/** What ran on each host, in order, with timings (seconds from the start of the run, and duration). */
export function report(run: Pick<EngineRun, "ran">, state: LabState, startedAt: number): Record<string, string[]> {
    const byHost: Record<string, string[]> = {};
    for (const h of state.hosts) byHost[h.name] = [];
    for (const r of run.ran) {
        const name = state.hosts.find((h) => h.address === r.host?.address)?.name ?? "(no lab host)";
        const at = ((r.startedAt - startedAt) / 1000).toFixed(1).padStart(5);
        const took = (r.durationMs / 1000).toFixed(1);
        (byHost[name] ??= []).push(`+${at}s ${r.step} ${r.op} (${took}s)${r.exitCode === 0 ? "" : ` exit ${r.exitCode ?? r.signal}`}`);
    }
    return byHost;
}

export async function deploy(): Promise<boolean> {
    const dir = labDir();
    const state = readState(dir);
    if (!state || !keeperAlive(state)) throw new LabError("no lab is up: `sudo npm run lab -- up` first");
    const f = files(dir);
    const stack = stackFile();
    let privateKey: string;
    try {
        privateKey = fs.readFileSync(f.privateKey, "utf8");
        fs.accessSync(f.passphrase, fs.constants.R_OK);
    } catch {
        throw new LabError(`cannot read the lab's key and passphrase in ${dir}: run \`sudo npm run lab -- deploy\``);
    }
    // The lab's passphrase, whatever PULUMI_CONFIG_PASSPHRASE the shell has.
    const cli = readStackConfig(path.join(__dirname, "..", ".."), stack, "lab", { env: { PULUMI_CONFIG_PASSPHRASE_FILE: f.passphrase } });
    const previous = fs.existsSync(f.lastRun) ? (JSON.parse(fs.readFileSync(f.lastRun, "utf8")) as RecordedRun) : undefined;
    const program = await runCliConfig(cli, "lab");
    const deployment = Deployment.fromProgram(cli.config, program, labHosts(state, privateKey));
    const startedAt = Date.now();
    let run: EngineRun | undefined;
    let failure: unknown;
    try {
        run = await deployment.upAfter(previous && { state: previous.state, outputs: new Map(previous.outputs) });
    } catch (e) {
        failure = e;
    }
    const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
    // The engine's snapshot is kept even after a failure: the next deploy continues from it, like `pulumi up`.
    const ran = run ?? { ran: deployment.history.map((h) => ({ ...h, startedAt, host: undefined })) };
    const byHost = report(ran as Pick<EngineRun, "ran">, state, startedAt);
    const record: RecordedRun = {
        finishedAt: new Date().toISOString(),
        ok: failure === undefined,
        state: deployment.state ?? [],
        outputs: [...deployment.outputs],
        byHost,
    };
    if (previous) writeAtomic(f.previousRun, JSON.stringify(previous), 0o600);
    writeAtomic(f.lastRun, JSON.stringify(record), 0o600);
    ownToInvokingUser([path.dirname(f.lastRun), f.lastRun, ...(previous ? [f.previousRun] : [])]);
    console.log(
        `lab deploy (${previous ? "after the previous deploy" : "first deploy"}, the engine model's \`pulumi up --stack lab\`):` +
            (run ? ` ${run.plan.steps.length} steps, ${run.ran.length} commands run` : "") +
            ` in ${seconds}s`,
    );
    for (const [host, lines] of Object.entries(byHost)) {
        console.log(`${host}${lines.length === 0 ? ": nothing ran" : ":"}`);
        for (const l of lines) console.log(`  ${l}`);
    }
    if (failure) {
        console.log(`deploy failed: ${failure instanceof Error ? failure.message : JSON.stringify(failure)}`);
        return false;
    }
    return true;
}

/** The per-host lines of the last deploy, for `status`. */
export function lastDeploy(dir: string): RecordedRun | undefined {
    try {
        return JSON.parse(fs.readFileSync(files(dir).lastRun, "utf8")) as RecordedRun;
    } catch {
        return undefined;
    }
}
