// A test host's disk saved once and put back before a test, so tests that change a deployed cluster each start
// from the same state instead of from what the previous test left. The disk is the host's overlay upper
// directories (everything it wrote to /etc, /var, /opt, ...) and its SSH host key (a test may give the host a new
// one, as a rebuilt machine); /run, /tmp, processes and the doubles' call logs are not saved: restoring reboots the
// host (same files, fresh /run and /tmp), starting the units that were active when it was saved (not every enabled
// one), so a test sees the same host whether it runs first, alone or after others. A host may also have a data
// volume (a block device, an AWS master's EBS volume in aws/aws-lab.ts): it is saved and put back with the disk.
import * as fs from "fs";
import * as path from "path";
import { TestHost } from "./harness";
import { run, waitFor } from "./harness/sh";

async function sh(cmd: string, args: string[]): Promise<void> {
    const r = await run("sh", ["-c", cmd, "sh", ...args]);
    if (r.exitCode !== 0) throw new Error(`${cmd}: ${r.stderr}`);
}

export class HostSnapshot {
    private constructor(
        readonly host: TestHost,
        private readonly saved: string,
        private readonly volume?: string,
    ) {}

    /**
     * Saves `host`'s disk as it is now and the units active on it, and its data `volume` if it has one. Its
     * processes are stopped (SIGSTOP) while the overlay's upper directory is copied, so no file changes during the
     * copy, and continue after: no reboot. The volume's filesystem, where mounted, is frozen (fsfreeze: written out,
     * writes held) while it is copied, so the copy is a clean filesystem.
     */
    static async take(host: TestHost, name: string, volume?: string): Promise<HostSnapshot> {
        const saved = path.join(host.dir, `snapshot-${name}`);
        const active = (await host.exec("ls /run/systemctl-double/active 2>/dev/null || true")).stdout;
        const mountedAt = volume ? (await host.exec('findmnt -rn -o TARGET -S "$1" || true', { args: [volume] })).stdout.split("\n").filter(Boolean) : [];
        const freeze = async (flag: "-f" | "-u") => {
            for (const m of mountedAt) {
                const r = await host.exec('fsfreeze "$1" "$2"', { args: [flag, m] });
                if (r.exitCode !== 0) throw new Error(`${host.name}: fsfreeze ${flag} ${m}: ${r.stderr}`);
            }
        };
        await freeze("-f");
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
            if (volume) await sh('cp --sparse=always "$1" "$2/volume.img"', [volume, saved]);
        } finally {
            await freeze("-u").finally(() => signal("SIGCONT"));
        }
        return new HostSnapshot(host, saved, volume);
    }

    /** Puts the saved disk back and boots the host on it. */
    async restore(): Promise<void> {
        await this.host.kill();
        await sh('rm -rf "$1/fs/upper" "$1/fs/work" "$1/state/ssh" && cp -a "$2/upper" "$1/fs/upper" && cp -a "$2/ssh" "$1/state/ssh"', [
            this.host.dir,
            this.saved,
        ]);
        if (this.volume) await this.restoreVolume(this.volume);
        await this.boot();
    }

    /**
     * Writes the saved volume back through its block device (the kernel's cache of it stays right), once the killed
     * host's mount of it is gone: a mounted device cannot be opened exclusively (O_EXCL on a block device).
     */
    private async restoreVolume(device: string): Promise<void> {
        await waitFor(
            `${this.host.name}'s ${device} to be unmounted`,
            () => {
                try {
                    fs.closeSync(fs.openSync(device, fs.constants.O_RDONLY | fs.constants.O_EXCL));
                    return true;
                } catch (e) {
                    if ((e as NodeJS.ErrnoException).code === "EBUSY") return undefined;
                    throw e;
                }
            },
            10_000,
            50,
        );
        await sh('dd if="$1/volume.img" of="$2" bs=1M conv=fsync status=none', [this.saved, device]);
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

    /** `volumeOf`: the data volume of a host that has one (its block device). */
    static async take(hosts: TestHost[], name: string, volumeOf?: (host: TestHost) => string | undefined): Promise<ClusterSnapshot> {
        return new ClusterSnapshot(await Promise.all(hosts.map((h) => HostSnapshot.take(h, name, volumeOf?.(h)))));
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
