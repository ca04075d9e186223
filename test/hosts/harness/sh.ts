// Small async process helpers. Always async: the installer-double HTTPS server runs
// in the test process, so a blocking spawnSync would stall a host's curl.
import { spawn } from "child_process";

export interface ExecResult {
    stdout: string;
    stderr: string;
    /** null when the process was killed by a signal */
    exitCode: number | null;
    signal: NodeJS.Signals | null;
}

export interface RunOptions {
    /** written to stdin, which is then closed (stdin is empty otherwise) */
    input?: string;
    /** SIGKILL the process after this long */
    timeoutMs?: number;
    env?: NodeJS.ProcessEnv;
}

export function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
        const child = spawn(cmd, args, { stdio: ["pipe", "pipe", "pipe"], env: opts.env ?? process.env });
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        child.stdout.on("data", (b: Buffer) => out.push(b));
        child.stderr.on("data", (b: Buffer) => err.push(b));
        child.stdin.on("error", () => undefined); // the child may exit without reading stdin
        const timer = opts.timeoutMs ? setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs) : undefined;
        child.on("error", (e) => {
            if (timer) clearTimeout(timer);
            reject(e);
        });
        child.on("close", (code, signal) => {
            if (timer) clearTimeout(timer);
            resolve({
                stdout: Buffer.concat(out).toString("utf8"),
                stderr: Buffer.concat(err).toString("utf8"),
                exitCode: code,
                signal,
            });
        });
        child.stdin.end(opts.input ?? "");
    });
}

/** Runs and returns stdout; throws with the command and its stderr on a non-zero exit. */
export async function runOk(cmd: string, args: string[], opts: RunOptions = {}): Promise<string> {
    const r = await run(cmd, args, opts);
    if (r.exitCode !== 0) {
        throw new Error(`${cmd} ${args.join(" ")} exited ${r.exitCode ?? r.signal}: ${r.stderr.trim()}`);
    }
    return r.stdout;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `check` every `everyMs` until it returns a value other than undefined. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000, everyMs = 25): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const v = await check();
        if (v !== undefined) return v;
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
        await sleep(everyMs);
    }
}
