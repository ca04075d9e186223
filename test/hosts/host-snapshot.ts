// A test host's disk saved once and put back before a test, so tests that change a deployed cluster each start
// from the same state instead of from what the previous test left. The disk is the host's overlay upper
// directories (everything it wrote to /etc, /var, /opt, ...); /run, /tmp and processes are not saved: taking
// and restoring both reboot the host (same files, fresh /run and /tmp, enabled units started, as host-boot.sh
// does), so a test sees the same host whether it runs first, alone or after others.
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

    /** Reboots `host` and saves its disk as it is then. */
    static async take(host: TestHost, name: string): Promise<HostSnapshot> {
        const saved = path.join(host.dir, `snapshot-${name}`);
        await host.kill(); // the overlay is unmounted: its upper directory is consistent
        await sh('rm -rf "$2" && cp -a "$1/fs/upper" "$2"', [host.dir, saved]);
        await host.boot();
        return new HostSnapshot(host, saved);
    }

    /** Puts the saved disk back and boots the host on it. */
    async restore(): Promise<void> {
        await this.host.kill();
        await sh('rm -rf "$1/fs/upper" "$1/fs/work" && cp -a "$2" "$1/fs/upper"', [this.host.dir, this.saved]);
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
        await Promise.all(this.snapshots.map((s) => s.restore()));
        this.changed = false;
    }
}
