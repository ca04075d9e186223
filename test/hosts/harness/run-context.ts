// One "run" = one startTestHosts() call. Every kernel object and file it creates
// carries the run id, so parallel runs do not clash and leftovers of dead runs
// (their owner process is gone) can be found and removed.
import * as fs from "fs";
import * as path from "path";
import * as crypto from "crypto";
import { run } from "./sh";

export const HARNESS_ROOT = "/tmp/ovha-hosts";
const SUBNETS = path.join(HARNESS_ROOT, "subnets");

// Interface names are limited to 15 characters: "ovha" + 3-char id + suffix.
export const names = {
    bridge: (rid: string) => `ovha${rid}b`,
    vethRoot: (rid: string, i: number) => `ovha${rid}h${i}`,
    vethPeer: (rid: string, i: number) => `ovha${rid}p${i}`,
    netns: (rid: string, i: number) => `ovha-${rid}-h${i}`,
};
const NETNS_RE = /^ovha-([a-z0-9]{3})-h\d+$/;
const LINK_RE = /^ovha([a-z0-9]{3})(b|h\d+|p\d+)$/;

export interface RunContext {
    id: string;
    dir: string;
    /** third octet of 10.213.X.0/24 */
    octet: number;
}

function procStartTime(pid: number): string | undefined {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
    } catch {
        return undefined;
    }
}

function ownerAlive(rid: string): boolean {
    try {
        const o = JSON.parse(fs.readFileSync(path.join(HARNESS_ROOT, rid, "owner.json"), "utf8"));
        return procStartTime(o.pid) === o.startTime;
    } catch {
        return false;
    }
}

export async function listNetns(): Promise<string[]> {
    const r = await run("ip", ["netns", "list"]);
    return r.stdout
        .split("\n")
        .map((l) => l.split(" ")[0])
        .filter(Boolean);
}

export async function listLinks(): Promise<string[]> {
    const r = await run("ip", ["-o", "link", "show"]);
    return r.stdout
        .split("\n")
        .map((l) => (l.split(": ")[1] ?? "").split("@")[0])
        .filter(Boolean);
}

/** Pids of every process whose network namespace is `netns`. */
export async function netnsPids(netns: string): Promise<number[]> {
    const r = await run("ip", ["netns", "pids", netns]);
    return r.stdout.split("\n").filter(Boolean).map(Number);
}

export async function killAndWait(pids: number[], timeoutMs = 5000): Promise<void> {
    for (const pid of pids) {
        try {
            process.kill(pid, "SIGKILL");
        } catch {
            /* already gone */
        }
    }
    const deadline = Date.now() + timeoutMs;
    while (pids.some((p) => fs.existsSync(`/proc/${p}`)) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
    }
}

/** Kills the host PID 1s recorded in each host's init.json (and so their PID namespaces). */
async function killRecordedInits(runDir: string): Promise<void> {
    const pids: number[] = [];
    for (const h of fs.readdirSync(runDir)) {
        try {
            const rec = JSON.parse(fs.readFileSync(path.join(runDir, h, "init.json"), "utf8"));
            if (fs.readlinkSync(`/proc/${rec.pid}/ns/pid`) === rec.pidNs) pids.push(rec.pid);
        } catch {
            /* no record, or that process is gone */
        }
    }
    await killAndWait(pids);
}

/** Removes everything left by runs whose owner process is dead. Returns what it removed. */
export async function cleanupLeftovers(): Promise<string[]> {
    const removed: string[] = [];
    for (const ns of await listNetns()) {
        const m = NETNS_RE.exec(ns);
        if (!m || ownerAlive(m[1])) continue;
        await killAndWait(await netnsPids(ns));
        await run("ip", ["netns", "del", ns]);
        removed.push(`netns ${ns}`);
    }
    for (const link of await listLinks()) {
        const m = LINK_RE.exec(link);
        if (!m || ownerAlive(m[1])) continue;
        await run("ip", ["link", "del", link]);
        removed.push(`link ${link}`);
    }
    const entries = fs.existsSync(HARNESS_ROOT) ? fs.readdirSync(HARNESS_ROOT) : [];
    for (const rid of entries.filter((e) => /^[a-z0-9]{3}$/.test(e) && !ownerAlive(e))) {
        await killRecordedInits(path.join(HARNESS_ROOT, rid));
        fs.rmSync(path.join(HARNESS_ROOT, rid), { recursive: true, force: true });
        removed.push(`dir ${path.join(HARNESS_ROOT, rid)}`);
    }
    for (const octet of fs.existsSync(SUBNETS) ? fs.readdirSync(SUBNETS) : []) {
        const rid = fs.readFileSync(path.join(SUBNETS, octet), "utf8").trim();
        if (!ownerAlive(rid)) fs.rmSync(path.join(SUBNETS, octet), { force: true });
    }
    return removed;
}

async function usedOctets(): Promise<Set<number>> {
    const r = await run("ip", ["-o", "-4", "addr", "show"]);
    const used = new Set<number>();
    for (const m of r.stdout.matchAll(/inet 10\.213\.(\d+)\./g)) used.add(Number(m[1]));
    return used;
}

/** Creates the run directory and claims a free 10.213.X.0/24 (atomically, via a file). */
export async function createRun(): Promise<RunContext> {
    fs.mkdirSync(SUBNETS, { recursive: true });
    let id: string;
    do {
        id = crypto.randomBytes(8).readBigUInt64BE().toString(36).slice(-3).padStart(3, "0");
    } while (fs.existsSync(path.join(HARNESS_ROOT, id)));
    const dir = path.join(HARNESS_ROOT, id);
    fs.mkdirSync(dir);
    const owner = { pid: process.pid, startTime: procStartTime(process.pid) };
    fs.writeFileSync(path.join(dir, "owner.json"), JSON.stringify(owner));
    const used = await usedOctets();
    for (let octet = 0; octet < 255; octet++) {
        if (used.has(octet)) continue;
        try {
            fs.writeFileSync(path.join(SUBNETS, String(octet)), id, { flag: "wx" });
            return { id, dir, octet };
        } catch {
            /* claimed by another run */
        }
    }
    throw new Error("no free 10.213.X.0/24 subnet");
}

export function releaseRun(ctx: RunContext): void {
    fs.rmSync(ctx.dir, { recursive: true, force: true });
    fs.rmSync(path.join(SUBNETS, String(ctx.octet)), { force: true });
}

/** Now, in clock ticks since boot: the unit of a process's start time (/proc/<pid>/stat field 22). */
export function uptimeTicks(): number {
    return Math.floor(Number(fs.readFileSync("/proc/uptime", "utf8").split(" ")[0]) * 100); // USER_HZ is 100 on Linux
}

/** A process's start time in clock ticks since boot. */
function startTicks(pid: string): number {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]);
}

/**
 * Everything of run `rid` still visible on the machine; empty after a clean teardown. `startedBefore` (clock ticks,
 * uptimeTicks()): only processes started before it count as the run's, since the kernel gives the numbers of freed
 * namespaces to new ones at once (another run's hosts would otherwise look like leftovers).
 */
export async function findLeftovers(rid: string, nsInodes: string[], startedBefore = Infinity): Promise<string[]> {
    const left: string[] = [];
    const dir = path.join(HARNESS_ROOT, rid);
    for (const ns of await listNetns()) if (ns.startsWith(`ovha-${rid}-`)) left.push(`netns ${ns}`);
    for (const l of await listLinks()) if (l.startsWith(`ovha${rid}`)) left.push(`link ${l}`);
    if (fs.existsSync(dir)) left.push(`dir ${dir}`);
    for (const p of fs.readdirSync("/proc").filter((e) => /^\d+$/.test(e))) {
        try {
            const ns = ["net", "pid", "mnt"].map((t) => fs.readlinkSync(`/proc/${p}/ns/${t}`));
            if (ns.some((n) => nsInodes.includes(n)) && startTicks(p) < startedBefore) left.push(`process ${p} in a host namespace`);
            const mounts = fs.readFileSync(`/proc/${p}/mountinfo`, "utf8");
            if (mounts.includes(dir) || mounts.includes(`/run/netns/ovha-${rid}-`)) {
                left.push(`mount of run ${rid} seen by process ${p}`);
            }
        } catch {
            /* process exited meanwhile */
        }
    }
    return left;
}
