// Where a lab lives and what `up` recorded about it: the hosts outlive the `up` command (a detached keeper process
// owns them, see keeper.ts), so `status`, `deploy` and `down` read this record instead of sharing a process.
import * as fs from "fs";
import * as path from "path";

/** The lab's directory: OVHA_LAB_DIR, default /var/lib/openvidu-ha-lab. */
export const labDir = (env: NodeJS.ProcessEnv = process.env): string => env.OVHA_LAB_DIR ?? "/var/lib/openvidu-ha-lab";
/** The stack file `up` writes: OVHA_LAB_STACK_FILE, default Pulumi.lab.yaml beside Pulumi.yaml (for `pulumi up --stack lab`). */
export const stackFile = (env: NodeJS.ProcessEnv = process.env): string => env.OVHA_LAB_STACK_FILE ?? path.join(__dirname, "..", "..", "Pulumi.lab.yaml");

export const files = (dir: string) => ({
    state: path.join(dir, "state.json"),
    failed: path.join(dir, "keeper-failed.txt"),
    leftovers: path.join(dir, "keeper-leftovers.json"),
    log: path.join(dir, "keeper.log"),
    passphrase: path.join(dir, "passphrase"),
    privateKey: path.join(dir, "client_ed25519"),
    caCert: path.join(dir, "doubles-ca.crt"),
    /** the engine state of the last `deploy` (and the one before it) */
    lastRun: path.join(dir, "runs", "last.json"),
    previousRun: path.join(dir, "runs", "previous.json"),
});

export interface LabHost {
    index: number;
    name: string;
    /** spare hosts are up but not in the stack: add one to mediaNodes to try a scale-out */
    role: "master" | "media" | "spare";
    address: string;
    netns: string;
    /** the host's directory on this machine */
    dir: string;
    /** "ssh-ed25519 AAAA... name", pinned in the stack */
    hostKey: string;
}

export interface LabState {
    /** the keeper process, owner of the harness run; its /proc start time tells a reused pid apart */
    keeperPid: number;
    keeperStartTime: string;
    runId: string;
    runDir: string;
    /** namespace ids of every host, for the leftover check of `down` */
    nsIds: string[];
    doublesUrl: string;
    hosts: LabHost[];
    createdAt: string;
}

export function readState(dir: string): LabState | undefined {
    try {
        return JSON.parse(fs.readFileSync(files(dir).state, "utf8")) as LabState;
    } catch {
        return undefined;
    }
}

export function procStartTime(pid: number): string | undefined {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
    } catch {
        return undefined;
    }
}

export const keeperAlive = (s: LabState): boolean => procStartTime(s.keeperPid) === s.keeperStartTime;

/** Writes `file` whole or not at all (readers never see half a record). */
export function writeAtomic(file: string, text: string, mode = 0o644): void {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, text, { mode });
    fs.renameSync(tmp, file);
}
