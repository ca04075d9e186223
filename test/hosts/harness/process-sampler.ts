// Samples the process table (`ps -eo pid,args`, all namespaces, run from the real
// machine) every ~50 ms while a promise runs, so tests can assert that a secret
// never shows up in any process's argument list.
import { run } from "./sh";

export interface SampledProcess {
    pid: number;
    args: string;
}

export interface ProcessSamples {
    /** number of completed `ps` snapshots */
    snapshots: number;
    /** every distinct (pid, args) seen */
    processes: SampledProcess[];
    /** Processes whose args contain `needle`, minus those `exclude` accepts. */
    containing(needle: string, exclude?: (p: SampledProcess) => boolean): SampledProcess[];
}

/**
 * Matches the vendor installer double's own process (and its subshells): a shell running
 * the downloaded script file, e.g. `sh /tmp/x/install_ov_master_node.sh --arg...`. Its argv
 * legitimately holds what it was given. Not matched: the same script piped into `sh -s`
 * (its argv does not name it), or any other process that merely mentions the name.
 */
export const isInstallerDouble = (p: SampledProcess): boolean => /^(\S*\/)?(ba|da)?sh (\S*\/)?install_ov_(master|media)_node\.sh( |$)/.test(p.args);

/**
 * Resolves to the samples and the promise's value once `during` settles (at least one
 * snapshot is taken after it settles). Rejects with the promise's error if it rejects.
 */
export async function sampleProcesses<T>(during: Promise<T>, intervalMs = 50): Promise<{ samples: ProcessSamples; result: T }> {
    const seen = new Map<string, SampledProcess>();
    let snapshots = 0;
    let done = false;
    const settled = during.finally(() => {
        done = true;
    });
    settled.catch(() => undefined);
    for (;;) {
        const last = done;
        const started = Date.now();
        const r = await run("ps", ["-eo", "pid=,args=", "--no-headers"]);
        for (const line of r.stdout.split("\n")) {
            const m = /^\s*(\d+)\s(.*)$/.exec(line);
            if (m) seen.set(`${m[1]} ${m[2]}`, { pid: Number(m[1]), args: m[2] });
        }
        snapshots++;
        if (last) break;
        await new Promise((res) => setTimeout(res, Math.max(0, intervalMs - (Date.now() - started))));
    }
    const processes = [...seen.values()];
    const samples: ProcessSamples = {
        snapshots,
        processes,
        containing: (needle, exclude) => processes.filter((p) => p.args.includes(needle) && !(exclude?.(p) ?? false)),
    };
    return { samples, result: await settled };
}
