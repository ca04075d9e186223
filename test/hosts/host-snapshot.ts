// A test host's disk saved once and put back before a test, so tests that change a deployed cluster each start
// from the same state instead of from what the previous test left. The disk is the host's overlay upper
// directories (everything it wrote to /etc, /var, /opt, ...) and its SSH host key (a test may give the host a new
// one, as a rebuilt machine); /run, /tmp, processes and the doubles' call logs are not saved: restoring reboots the
// host (same files, fresh /run and /tmp), starting the units that were active when it was saved (not every enabled
// one), so a test sees the same host whether it runs first, alone or after others.
import * as path from "path";
import { TestHost } from "./harness";
import { run } from "./harness/sh";

async function sh(cmd: string, args: string[]): Promise<void> {
    const r = await run("sh", ["-c", cmd, "sh", ...args]);
    if (r.exitCode !== 0) throw new Error(`${cmd}: ${r.stderr}`);
}

export class HostSnapshot {
    private constructor(
        readonly host: TestHost,
        private readonly saved: string,
    ) {}

    /**
     * Saves `host`'s disk as it is now and the units active on it. Its processes are stopped (SIGSTOP) while the
     * overlay's upper directory is copied, so no file changes during the copy, and continue after: no reboot.
     */
    static async take(host: TestHost, name: string): Promise<HostSnapshot> {
        const saved = path.join(host.dir, `snapshot-${name}`);
        const active = (await host.exec("ls /run/systemctl-double/active 2>/dev/null || true")).stdout;
        const pids = (await run("ip", ["netns", "pids", host.netns])).stdout.split(/\s+/).filter(Boolean).map(Number);
        const signal = (sig: NodeJS.Signals) => {
            for (const pid of pids) {
                try {
                    process.kill(pid, sig);
                } catch {
                    /* exited meanwhile */
                }
            }
        };
        signal("SIGSTOP");
        try {
            await sh('rm -rf "$2" && mkdir "$2" && cp -a "$1/fs/upper" "$1/state/ssh" "$2/" && printf %s "$3" > "$2/active-units"', [host.dir, saved, active]);
        } finally {
            signal("SIGCONT");
        }
        return new HostSnapshot(host, saved);
    }

    /** Puts the saved disk back and boots the host on it. */
    async restore(): Promise<void> {
        await this.host.kill();
        await sh('rm -rf "$1/fs/upper" "$1/fs/work" "$1/state/ssh" && cp -a "$2/upper" "$1/fs/upper" && cp -a "$2/ssh" "$1/state/ssh"', [
            this.host.dir,
            this.saved,
        ]);
        await this.boot();
    }

    /**
     * Boots with the units that were active when the disk was saved started (host-boot.sh reads boot-units once),
     * not every enabled one: a service stopped by a failed upgrade stays stopped, as without the reboot.
     */
    private async boot(): Promise<void> {
        await sh('cp "$2/active-units" "$1/boot-units"', [this.host.dir, this.saved]);
        await this.host.boot();
    }
}

/**
 * Snapshots of several hosts, restored only when a test changed them: `dirty()` at the start of a test that may
 * change a host, `restore()` (in `beforeEach`) puts back those changed since the last restore.
 */
export class ClusterSnapshot {
    private changed = false;

    private constructor(private readonly snapshots: HostSnapshot[]) {}

    static async take(hosts: TestHost[], name: string): Promise<ClusterSnapshot> {
        return new ClusterSnapshot(await Promise.all(hosts.map((h) => HostSnapshot.take(h, name))));
    }

    /** The running test may change the hosts: the next restore() puts them back. */
    dirty(): void {
        this.changed = true;
    }

    async restore(): Promise<void> {
        if (!this.changed) return;
        await this.restoreHosts(this.snapshots.map((s) => s.host));
        this.changed = false;
    }

    /** Puts back the saved disks of `hosts` (all of them by default), whether changed or not. */
    async restoreHosts(hosts: TestHost[]): Promise<void> {
        await Promise.all(this.snapshots.filter((s) => hosts.includes(s.host)).map((s) => s.restore()));
    }
}
