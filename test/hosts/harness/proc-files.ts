// Fake /proc/cpuinfo and /proc/meminfo bind-mounted into a host, so its scripts see
// the spec's CPU count and memory (this machine has 2 cores). Only these two files
// change: nproc, lscpu and cgroup limits still show the real machine.
import * as fs from "fs";

export function fakeCpuinfo(cpus: number): string {
    const real = fs.readFileSync("/proc/cpuinfo", "utf8");
    const first = real.split(/\n\n/)[0];
    const blocks: string[] = [];
    for (let i = 0; i < cpus; i++) {
        blocks.push(
            first
                .replace(/^processor\s*:.*$/m, `processor\t: ${i}`)
                .replace(/^(core id|apicid|initial apicid)(\s*):.*$/gm, `$1$2: ${i}`)
                .replace(/^(siblings|cpu cores)(\s*):.*$/gm, `$1$2: ${cpus}`),
        );
    }
    return blocks.join("\n\n") + "\n\n";
}

export function fakeMeminfo(memMb: number): string {
    const totalKb = memMb * 1024;
    const cap = Math.floor(totalKb * 0.9);
    return fs
        .readFileSync("/proc/meminfo", "utf8")
        .split("\n")
        .map((line) => {
            const m = /^(\w+):(\s+)(\d+) kB$/.exec(line);
            if (!m) return line;
            if (m[1] === "MemTotal") return `MemTotal:${m[2]}${totalKb} kB`;
            if (m[1] === "MemFree" || m[1] === "MemAvailable") {
                return `${m[1]}:${m[2]}${Math.min(Number(m[3]), cap)} kB`;
            }
            return line;
        })
        .join("\n");
}
