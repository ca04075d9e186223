// One test host: its own network namespace (address on the run's bridge), and a
// PID + mount + UTS namespace that host-boot.sh fills (overlays, fake /proc files,
// test doubles, sshd). Killing the host's PID 1 kills every process of the host.
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { ChildProcess, spawn } from "child_process";
import { run, ExecResult, waitFor } from "./sh";

export interface TestHostSpec {
    /** hostname inside the host; default `ovha-h<index>` */
    name?: string;
    /** processor entries in the host's /proc/cpuinfo; default 2 */
    cpus?: number;
    /** MemTotal of the host's /proc/meminfo, in MiB; default 4096 */
    memMb?: number;
    /** create /run/systemd/system (how scripts detect systemd); default true */
    systemd?: boolean;
    /** false: nothing listens and the host drops all incoming packets; default true */
    sshd?: boolean;
    /** an extra login user (same key as root), not in sudoers unless extraUserSudo */
    extraUser?: string;
    /** give extraUser passwordless sudo; default false */
    extraUserSudo?: boolean;
}

export interface HostExecOptions {
    /** written to the command's stdin, which is then closed */
    stdin?: string;
    /** run as this user instead of root */
    user?: string;
    /** extra positional arguments: "$1", "$2"... of the command */
    args?: string[];
    timeoutMs?: number;
}

/** Connection parameters in the shape of @pulumi/command's remote.Command `connection`. */
export interface HostConnection {
    host: string;
    port: number;
    user: string;
    privateKey: string;
}

const PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
const liveInits = new Set<number>();
process.on("exit", () => {
    for (const pid of liveInits)
        try {
            process.kill(pid, "SIGKILL");
        } catch {
            /* gone */
        }
});

export class TestHost {
    /** namespace ids ("net:[...]") of every boot, for leftover checks */
    readonly nsIds: string[] = [];
    private initPid = 0;
    private unshare?: ChildProcess;
    /** this boot's PID and mount namespace ids */
    private bootNs: string[] = [];

    constructor(
        readonly index: number,
        readonly name: string,
        readonly address: string,
        readonly netns: string,
        /** the host's directory on the real machine (overlay upperdirs in fs/, state in state/) */
        readonly dir: string,
        readonly spec: Required<Omit<TestHostSpec, "extraUser">> & { extraUser?: string },
        private readonly privateKey: string,
    ) {}

    readonly port = 22;
    /** the directory the host sees as /run/ovha-test-host (logs of the doubles, keys) */
    get stateDir(): string {
        return path.join(this.dir, "state");
    }
    get isUp(): boolean {
        return this.initPid !== 0;
    }

    connection(user = "root"): HostConnection {
        return { host: this.address, port: this.port, user, privateKey: this.privateKey };
    }

    /** Boots the host (again): same filesystem, fresh /run, /tmp and processes. */
    async boot(): Promise<void> {
        fs.rmSync(path.join(this.stateDir, "booted"), { force: true });
        const log = fs.openSync(path.join(this.dir, "boot.log"), "a");
        const child = spawn(
            "ip",
            [
                "netns",
                "exec",
                this.netns,
                "unshare",
                "--mount",
                "--propagation",
                "private",
                "--pid",
                "--fork",
                "--kill-child",
                "--mount-proc",
                "--uts",
                "--",
                "/bin/sh",
                path.join(this.dir, "host-boot.sh"),
                this.dir,
            ],
            { stdio: ["ignore", log, log] },
        );
        fs.closeSync(log);
        let exited = false;
        child.on("exit", () => {
            exited = true;
        });
        this.unshare = child;
        await waitFor(
            `${this.name} to boot`,
            () => {
                if (exited) throw new Error(`${this.name} failed to boot:\n${this.bootLog()}`);
                return fs.existsSync(path.join(this.stateDir, "booted")) ? true : undefined;
            },
            // The boot runs the enabled oneshot units (a resumed installation on AWS masters): minutes on a loaded machine.
            60_000,
            20,
        );
        const children = fs.readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, "utf8");
        this.initPid = Number(children.trim().split(" ")[0]);
        liveInits.add(this.initPid);
        const ns = ["net", "pid", "mnt"].map((t) => fs.readlinkSync(`/proc/${this.initPid}/ns/${t}`));
        this.nsIds.push(...ns.filter((n) => !this.nsIds.includes(n)));
        this.bootNs = ns.slice(1);
        fs.writeFileSync(path.join(this.dir, "init.json"), JSON.stringify({ pid: this.initPid, pidNs: ns[1] }));
        if (this.spec.sshd) await waitFor(`sshd of ${this.name}`, () => this.sshListening(), 10_000, 20);
    }

    bootLog(): string {
        return fs.readFileSync(path.join(this.dir, "boot.log"), "utf8");
    }

    private sshListening(): Promise<true | undefined> {
        return new Promise((resolve) => {
            const s = net.connect({ host: this.address, port: this.port, timeout: 500 });
            s.once("connect", () => {
                s.destroy();
                resolve(true);
            });
            s.once("error", () => resolve(undefined));
            s.once("timeout", () => {
                s.destroy();
                resolve(undefined);
            });
        });
    }

    /**
     * Runs `sh -c cmd` as root (or opts.user) inside all the host's namespaces, without SSH.
     * Resolves when stdout and stderr close: redirect the output of background processes.
     */
    exec(cmd: string, opts: HostExecOptions = {}): Promise<ExecResult> {
        if (!this.isUp) return Promise.reject(new Error(`host ${this.name} is down`));
        const home = opts.user ? `/home/${opts.user}` : "/root";
        const shell = ["/usr/bin/env", "-i", `PATH=${PATH}`, `HOME=${home}`, "LANG=C.UTF-8", "/bin/sh", "-c", cmd, "sh", ...(opts.args ?? [])];
        const asUser = opts.user ? ["runuser", "-u", opts.user, "--", ...shell] : shell;
        return run("nsenter", ["-t", String(this.initPid), "-m", "-n", "-p", "-u", "--wd=/", ...asUser], { input: opts.stdin, timeoutMs: opts.timeoutMs });
    }

    /** Contents of `file` as the host sees it; throws if it cannot be read. */
    async readFile(file: string): Promise<string> {
        const r = await this.exec('cat -- "$1"', { args: [file] });
        if (r.exitCode !== 0) throw new Error(`${this.name}: cannot read ${file}: ${r.stderr.trim()}`);
        return r.stdout;
    }

    async fileExists(file: string): Promise<boolean> {
        return (await this.exec('test -e "$1"', { args: [file] })).exitCode === 0;
    }

    /** Calls recorded by the systemctl double, one string per call (arguments joined by spaces). */
    systemctlCalls(): string[] {
        return this.logLines("systemctl.log");
    }
    /** The same calls with when each was made (ms since the epoch, the host's clock is this machine's). */
    systemctlCallTimes(): { at: number; call: string }[] {
        if (!fs.existsSync(path.join(this.stateDir, "systemctl-times.log"))) return [];
        return this.logLines("systemctl-times.log").map((l) => ({ at: Number(l.slice(0, l.indexOf(" "))), call: l.slice(l.indexOf(" ") + 1) }));
    }
    /** Calls recorded by the docker double. */
    dockerCalls(): string[] {
        return this.logLines("docker.log");
    }

    private logLines(file: string): string[] {
        return fs.readFileSync(path.join(this.stateDir, file), "utf8").split("\n").filter(Boolean);
    }

    /** Simulates the host dying: SIGKILL to its PID 1 kills every process, SSH sessions included. */
    async kill(): Promise<void> {
        if (!this.isUp) return;
        const child = this.unshare;
        const exited = new Promise<void>((r) => (child && child.exitCode === null ? child.once("exit", () => r()) : r()));
        try {
            process.kill(this.initPid, "SIGKILL");
        } catch {
            /* already gone */
        }
        liveInits.delete(this.initPid);
        this.initPid = 0;
        await exited;
        await waitFor(
            `${this.name}'s processes to exit`,
            async () => {
                const r = await run("ip", ["netns", "pids", this.netns]);
                return r.stdout.trim() === "" ? true : undefined;
            },
            5_000,
            20,
        );
        // That boot's PID and mount namespaces are gone: the kernel reuses their numbers for new namespaces (another
        // run's hosts), so they no longer identify this host's processes. The network namespace stays the host's.
        this.nsIds.splice(0, this.nsIds.length, ...this.nsIds.filter((n) => !this.bootNs.includes(n)));
    }

    /** The host's SSH public key as authorized_keys/known_hosts carry it ("ssh-ed25519 AAAA... <name>"). */
    hostKey(): string {
        return fs.readFileSync(path.join(this.stateDir, "ssh", "host_ed25519.pub"), "utf8").trim();
    }

    /** Gives the host a new SSH host key (a rebuilt host, or another machine at its address): reboots it. */
    async replaceHostKey(): Promise<void> {
        const key = path.join(this.stateDir, "ssh", "host_ed25519");
        fs.rmSync(key, { force: true });
        fs.rmSync(`${key}.pub`, { force: true });
        await run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", this.name, "-f", key]);
        await this.restart();
    }

    /** Brings the host back with the same filesystem (after kill(), or as a reboot). */
    async restart(): Promise<void> {
        await this.kill();
        await this.boot();
    }
}
