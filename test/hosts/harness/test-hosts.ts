// startTestHosts(): a bridge, N hosts booted in parallel, one client key and one
// test CA per run; teardown() removes all of it and reports anything left behind.
import * as fs from "fs";
import * as path from "path";
import { runOk } from "./sh";
import { cleanupLeftovers, createRun, findLeftovers, killAndWait, names, netnsPids, releaseRun, uptimeTicks } from "./run-context";
import { BridgeInfo, createBridge, createHostNetwork, deleteBridge, deleteHostNetwork } from "./netns";
import { createTestCa, TestCa } from "./test-ca";
import { fakeCpuinfo, fakeMeminfo } from "./proc-files";
import { TestHost, TestHostSpec } from "./test-host";

const FIXTURES = path.join(__dirname, "..", "fixtures");
const DOUBLES = ["systemctl-double", "docker-double", "openvidu-runtime-double"];

export interface TestHosts {
    runId: string;
    /** the run's directory on the real machine (/tmp/ovha-hosts/<runId>) */
    dir: string;
    bridge: BridgeInfo;
    hosts: TestHost[];
    /** OpenSSH private key accepted for root (and the extra user) on every host */
    privateKey: string;
    /** the CA every host trusts (as its whole /etc/ssl/certs/ca-certificates.crt) */
    ca: TestCa;
    /** leftovers removed from dead earlier runs before this one started */
    cleanedLeftovers: string[];
    /** Stops and removes everything; resolves to what is still left (empty = clean). */
    teardown(): Promise<string[]>;
}

function sshdConfig(address: string): string {
    return [
        `ListenAddress ${address}`,
        "Port 22",
        "HostKey /run/ovha-test-host/ssh/host_ed25519",
        "AuthorizedKeysFile /run/ovha-test-host/ssh/authorized_keys",
        "PermitRootLogin prohibit-password",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "UsePAM no",
        "StrictModes no",
        "PidFile /run/sshd.pid",
        "Subsystem sftp internal-sftp",
        "",
    ].join("\n");
}

async function prepareHostDir(host: TestHost, publicKey: string, ca: TestCa): Promise<void> {
    const st = host.stateDir;
    fs.mkdirSync(path.join(st, "ssh"), { recursive: true, mode: 0o755 });
    fs.chmodSync(st, 0o755);
    await runOk("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", host.name, "-f", path.join(st, "ssh", "host_ed25519")]);
    fs.writeFileSync(path.join(st, "ssh", "authorized_keys"), publicKey, { mode: 0o644 });
    fs.writeFileSync(path.join(st, "sshd_config"), sshdConfig(host.address));
    fs.writeFileSync(path.join(st, "cpuinfo"), fakeCpuinfo(host.spec.cpus));
    fs.writeFileSync(path.join(st, "meminfo"), fakeMeminfo(host.spec.memMb));
    fs.copyFileSync(ca.certPath, path.join(st, "ca.crt"));
    for (const d of DOUBLES) fs.cpSync(path.join(FIXTURES, d), path.join(st, "doubles", d), { recursive: true });
    for (const log of ["systemctl.log", "docker.log", "openvidu-runtime.log"]) {
        fs.writeFileSync(path.join(st, log), "");
        fs.chmodSync(path.join(st, log), 0o666); // doubles also log calls made by non-root users
    }
    fs.copyFileSync(path.join(__dirname, "host-boot.sh"), path.join(host.dir, "host-boot.sh"));
    const env = {
        HOST_NAME: host.name,
        HOST_ADDR: host.address,
        SYSTEMD: host.spec.systemd ? 1 : 0,
        SSHD: host.spec.sshd ? 1 : 0,
        EXTRA_USER: host.spec.extraUser ?? "",
        EXTRA_UID: 2000,
        EXTRA_USER_SUDO: host.spec.extraUserSudo ? 1 : 0,
    };
    fs.writeFileSync(
        path.join(host.dir, "host.env"),
        Object.entries(env)
            .map(([k, v]) => `${k}='${v}'\n`)
            .join(""),
    );
}

export async function startTestHosts(specs: TestHostSpec[]): Promise<TestHosts> {
    if (process.getuid?.() !== 0) throw new Error("test hosts need root: run with sudo");
    for (const s of specs) {
        if (s.extraUser !== undefined && !/^[a-z][a-z0-9-]{0,30}$/.test(s.extraUser)) {
            throw new Error(`bad extraUser ${s.extraUser}`);
        }
        if (s.name !== undefined && !/^[a-z0-9-]{1,63}$/.test(s.name)) throw new Error(`bad host name ${s.name}`);
    }
    const cleanedLeftovers = await cleanupLeftovers();
    const ctx = await createRun();
    const hosts: TestHost[] = [];
    let bridge: BridgeInfo | undefined;
    const teardown = async (): Promise<string[]> => {
        const startedBefore = uptimeTicks();
        await Promise.all(
            hosts.map(async (h) => {
                await h.kill();
                await killAndWait(await netnsPids(h.netns));
                await deleteHostNetwork(ctx.id, h.index);
            }),
        );
        await deleteBridge(ctx.id);
        releaseRun(ctx);
        return findLeftovers(
            ctx.id,
            hosts.flatMap((h) => h.nsIds),
            startedBefore,
        );
    };
    try {
        const keyPath = path.join(ctx.dir, "client_ed25519");
        await runOk("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "ovha-test-client", "-f", keyPath]);
        const privateKey = fs.readFileSync(keyPath, "utf8");
        const ca = await createTestCa(ctx.dir);
        bridge = await createBridge(ctx.id, ctx.octet);
        specs.forEach((s, i) => {
            const spec = {
                name: s.name ?? `ovha-h${i}`,
                cpus: s.cpus ?? 2,
                memMb: s.memMb ?? 4096,
                systemd: s.systemd ?? true,
                sshd: s.sshd ?? true,
                extraUser: s.extraUser,
                extraUserSudo: s.extraUserSudo ?? false,
            };
            hosts.push(new TestHost(i, spec.name, `10.213.${ctx.octet}.${10 + i}`, names.netns(ctx.id, i), path.join(ctx.dir, `h${i}`), spec, privateKey));
        });
        await Promise.all(
            hosts.map(async (h) => {
                await prepareHostDir(h, fs.readFileSync(`${keyPath}.pub`, "utf8"), ca);
                await createHostNetwork(ctx.id, h.index, h.address);
                await h.boot();
            }),
        );
        return { runId: ctx.id, dir: ctx.dir, bridge, hosts, privateKey, ca, cleanedLeftovers, teardown };
    } catch (e) {
        await teardown().catch(() => undefined);
        throw e;
    }
}
