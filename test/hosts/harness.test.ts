// Self-tests of the test-host harness: real hosts, real sshd, real commands.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import {
    cleanupLeftovers, DialError, HARNESS_ROOT, InstallerDoubleServer, isInstallerDouble, RemoteCommandError,
    runRemote, runRemoteCommand, sampleProcesses, shq, startInstallerDoubleServer, startTestHosts, TestHost, TestHosts,
} from "./harness";
import { run, waitFor } from "./harness/sh";

describe("test-host harness", function () {
    let lab: TestHosts;
    let server: InstallerDoubleServer;
    let h0: TestHost; // systemd, 4 CPUs, 8 GiB, extra user "deploy"
    let h1: TestHost; // no systemd, 1 CPU, 2 GiB
    let h2: TestHost; // unreachable: no sshd, drops packets
    let tornDown = false;
    const ssh = (h: TestHost, cmd: string, stdin?: string, user = "root") => runRemote(h.connection(user), cmd, stdin);
    const installUrl = (role: string) => `${server.url}/pro/ha/3.8.0/install_ov_${role}_node.sh`;

    before(async function () {
        lab = await startTestHosts([
            { cpus: 4, memMb: 8192, systemd: true, extraUser: "deploy" },
            { cpus: 1, memMb: 2048, systemd: false },
            { sshd: false },
        ]);
        [h0, h1, h2] = lab.hosts;
        server = await startInstallerDoubleServer({ address: lab.bridge.address, ca: lab.ca, dir: lab.dir });
    });

    after(async function () {
        if (server) await server.close();
        if (lab && !tornDown) await lab.teardown();
    });

    describe("hosts", function () {
        it("log in over SSH and report their own address", async function () {
            for (const h of [h0, h1]) {
                const r = await ssh(h, "hostname -I; hostname");
                assert.equal(r.exitCode, 0, r.stderr);
                assert.deepEqual(r.stdout.split(/\s+/), [h.address, h.name]);
            }
        });

        it("keep /opt and /etc writes to themselves", async function () {
            const f = `ovha-isolation-${lab.runId}`;
            const r = await ssh(h0, `echo h0 > /opt/${f} && echo h0 > /etc/${f}`);
            assert.equal(r.exitCode, 0, r.stderr);
            assert.equal(await h0.readFile(`/opt/${f}`), "h0\n");
            assert.equal(await h0.readFile(`/etc/${f}`), "h0\n");
            for (const dir of ["/opt", "/etc"]) {
                assert.equal(fs.existsSync(`${dir}/${f}`), false, `${dir}/${f} leaked to the real machine`);
                assert.equal(await h1.fileExists(`${dir}/${f}`), false, `${dir}/${f} leaked to ${h1.name}`);
            }
        });

        it("show the spec's CPU count and memory", async function () {
            for (const [h, cpus, kb] of [[h0, 4, 8192 * 1024], [h1, 1, 2048 * 1024]] as const) {
                const r = await ssh(h, "grep -c ^processor /proc/cpuinfo; awk '/^MemTotal:/ {print $2}' /proc/meminfo");
                assert.deepEqual(r.stdout.split("\n").map(Number), [cpus, kb]);
            }
        });

        it("have /run/systemd/system only when the spec says systemd", async function () {
            assert.equal((await ssh(h0, "test -d /run/systemd/system")).exitCode, 0);
            assert.equal((await ssh(h1, "test -d /run/systemd/system")).exitCode, 1);
        });

        it("give the extra user no passwordless sudo", async function () {
            const r = await ssh(h0, "id -un; sudo -n true", undefined, "deploy");
            assert.equal(r.stdout, "deploy");
            assert.notEqual(r.exitCode, 0);
            assert.match(r.stderr, /password is required/);
        });
    });

    describe("installer double server", function () {
        it("serves the installer double over verified HTTPS to hosts", async function () {
            const before = server.requests.length;
            const r = await ssh(h0, `curl -fsS ${installUrl("master")}`);
            assert.equal(r.exitCode, 0, r.stderr);
            assert.match(r.stdout, /^OVHA_DOUBLE_ROLE=master$/m);
            assert.match(r.stdout, /^OVHA_DOUBLE_VERSION=3\.8\.0$/m);
            assert.deepEqual(server.requests.slice(before).map((q) => [q.path, q.status, q.remoteAddress]),
                [["/pro/ha/3.8.0/install_ov_master_node.sh", 200, h0.address]]);
        });

        it("is not trusted without the test CA, and does not serve plain HTTP", async function () {
            const untrusted = await run("curl", ["-sS", "--cacert", "/etc/ssl/certs/ca-certificates.crt",
                "--max-time", "5", installUrl("master")]);
            assert.equal(untrusted.exitCode, 60, untrusted.stderr); // peer certificate cannot be authenticated
            const before = server.requests.length;
            const r = await ssh(h0, `curl -sS --max-time 5 ${installUrl("master").replace("https:", "http:")}`);
            assert.notEqual(r.exitCode, 0);
            assert.equal(server.requests.length, before);
        });
    });

    describe("installer double", function () {
        const args = ["--domain-name=openvidu.example.test", "an argument with spaces", `it's "quoted"`, "",
            "--openvidu-pro-license=LICENSE-123"];
        const stdin = "first line\nsecret from stdin: s3cr3t\n\nno newline at the end";

        it("records argv and stdin exactly and writes the installed layout", async function () {
            const cmd = `curl -fsS ${installUrl("master")} -o /tmp/i.sh && sh /tmp/i.sh ${args.map(shq).join(" ")}`;
            const r = await ssh(h0, cmd, stdin);
            assert.equal(r.exitCode, 0, r.stderr);
            assert.match(r.stdout, /OpenVidu HA 'Master Node' Installation Finished Successfully!/);
            const rec = "/var/log/openvidu-installer-double/001";
            assert.equal(await h0.readFile(`${rec}/argv`), args.map((a) => a + "\n").join(""));
            assert.equal(await h0.readFile(`${rec}/stdin`), stdin);
            assert.equal(await h0.readFile(`${rec}/status`), "finished\n");
            const info = await h0.readFile("/opt/openvidu/deployment-info.yaml");
            assert.match(info, /^version: 3\.8\.0$/m);
            assert.match(info, /^environment: on_premise$/m);
            assert.match(await h0.readFile("/opt/openvidu/config/cluster/openvidu.env"),
                /^OPENVIDU_PRO_LICENSE=LICENSE-123$/m);
            for (const f of ["/opt/openvidu/config/node/master_node.env", "/opt/openvidu/data", "/opt/openvidu/.env",
                "/opt/openvidu/docker-compose.yml", "/etc/systemd/system/openvidu.service"]) {
                assert.ok(await h0.fileExists(f), `${f} missing`);
            }
            assert.equal(await h0.fileExists("/opt/openvidu/config/node/media_node.env"), false);
        });

        it("fails on request, printing its arguments, and refuses non-root", async function () {
            await h1.exec("mkdir -p /etc/openvidu-installer-double && echo fail > /etc/openvidu-installer-double/behaviour");
            const r = await ssh(h1, `curl -fsS ${installUrl("media")} | sh -s -- --x=LEAKME`);
            assert.equal(r.exitCode, 1);
            assert.match(r.stdout, /--x=LEAKME/);
            assert.match(r.stderr, /--x=LEAKME/);
            await h1.exec("rm /etc/openvidu-installer-double/behaviour");
            const u = await ssh(h0, `curl -fsS ${installUrl("media")} | sh -s -- --y=1`, undefined, "deploy");
            assert.equal(u.exitCode, 1);
            assert.match(u.stderr, /must be run as root/);
        });
    });

    describe("systemctl and docker doubles", function () {
        it("start the fake OpenVidu only when its unit exists", async function () {
            assert.equal((await ssh(h0, "systemctl start nonexistent")).exitCode, 5);
            const r = await ssh(h0, "systemctl enable --now openvidu && systemctl is-active openvidu && " +
                "curl -fsS http://127.0.0.1:7880/health/caddy");
            assert.equal(r.exitCode, 0, r.stderr);
            assert.equal(r.stdout, "active\nOK");
            assert.ok(h0.systemctlCalls().includes("enable --now openvidu"));
            const no = await ssh(h1, "systemctl is-active openvidu");
            assert.equal(no.exitCode, 1);
            assert.match(no.stderr, /not been booted with systemd/);
        });

        it("list the containers and drain openvidu after SIGQUIT", async function () {
            await h0.exec("mkdir -p /etc/docker-double && echo 1 > /etc/docker-double/drain-seconds");
            const names = await ssh(h0, "docker ps --format '{{.Names}}' | sort");
            assert.equal(names.stdout, "agent-speech-processing\negress\ningress\nopenvidu");
            assert.match((await ssh(h0, "docker ps -q --filter label=openvidu-agent=true")).stdout, /^[0-9a-f]{12}$/);
            const started = Date.now();
            assert.equal((await ssh(h0, "docker kill --signal=SIGQUIT openvidu")).stdout, "openvidu");
            assert.equal((await ssh(h0, "docker ps -q --filter name=^openvidu$ | wc -l")).stdout, "1");
            await waitFor("openvidu to drain", async () =>
                (await ssh(h0, "docker ps -q --filter name=^openvidu$")).stdout === "" ? true : undefined);
            assert.ok(Date.now() - started >= 900, "exited before the drain delay");
            const state = JSON.parse((await ssh(h0, "docker inspect openvidu")).stdout)[0].State;
            assert.deepEqual([state.Running, state.ExitCode], [false, 0]);
        });

        it("restart the enabled unit when the host comes back", async function () {
            await h0.restart();
            const r = await ssh(h0, "systemctl is-active openvidu; curl -fsS http://127.0.0.1:7880/");
            assert.equal(r.stdout, "active\nOK");
            assert.ok(h0.systemctlCalls().includes("boot: start openvidu.service"));
        });
    });

    describe("remote runner", function () {
        it("passes stdin through and returns exit codes", async function () {
            const c = h1.connection();
            assert.equal((await runRemoteCommand(c, { create: "cat", stdin: "a\nb c\n" }))?.stdout, "a\nb c");
            assert.equal((await runRemoteCommand(c, { create: "exit 7" }))?.exitCode, 7);
            const upd = await runRemoteCommand(c, { create: "echo create", delete: "echo delete" }, "update");
            assert.equal(upd?.stdout, "create");
            assert.equal(await runRemoteCommand(c, { create: "true" }, "delete"), undefined);
        });

        it("gives up on an unreachable host after dialErrorLimit dials of perDialTimeout", async function () {
            const started = Date.now();
            const err = await runRemote({ ...h2.connection(), dialErrorLimit: 3, perDialTimeout: 1 }, "true")
                .then(() => undefined, (e: unknown) => e);
            const ms = Date.now() - started;
            assert.ok(err instanceof DialError, String(err));
            assert.match(err.message, new RegExp(`${h2.address.replace(/\./g, "\\.")}:22 .*after 3 attempt`));
            assert.ok(ms >= 3000 && ms <= 3000 + 250 + 1500, `took ${ms} ms`);
        });

        it("reports a host killed mid-install; the host restarts with the same files", async function () {
            await h1.exec("mkdir -p /etc/openvidu-installer-double && " +
                "echo hang-after-partial > /etc/openvidu-installer-double/behaviour");
            const install = ssh(h1, `curl -fsS ${installUrl("media")} | sh -s -- --a=b`)
                .then(() => undefined, (e: unknown) => e);
            await waitFor("the install to hang", async () => (await h1.exec(
                "cat /var/log/openvidu-installer-double/*/status")).stdout.includes("hanging") ? true : undefined);
            await h1.kill();
            assert.ok((await install) instanceof RemoteCommandError);
            await assert.rejects(runRemote({ ...h1.connection(), dialErrorLimit: 1 }, "true"), /ECONNREFUSED/);
            await h1.restart();
            const r = await ssh(h1, "cat /opt/openvidu/config/cluster/openvidu.env; test -e /opt/openvidu/deployment-info.yaml");
            assert.match(r.stdout, /^A=b$/m);
            assert.equal(r.exitCode, 1);
        });
    });

    describe("process sampler", function () {
        it("sees a secret in the installer's arguments, and not one passed on stdin", async function () {
            await h0.exec("mkdir -p /etc/openvidu-installer-double && echo 'slow 1' > /etc/openvidu-installer-double/behaviour");
            const cmd = `curl -fsS ${installUrl("master")} -o /tmp/install_ov_master_node.sh && ` +
                "sh /tmp/install_ov_master_node.sh --license=ARGV-SECRET-1";
            const { samples, result } = await sampleProcesses(ssh(h0, cmd, "STDIN-SECRET-2"));
            assert.equal(result.exitCode, 0, result.stderr);
            assert.ok(samples.snapshots >= 10, `${samples.snapshots} snapshots`);
            // the installer (and its subshells, which share its argv) and the session's command line
            const seen = samples.containing("ARGV-SECRET-1");
            assert.ok(seen.some((p) => p.args.startsWith("sh /tmp/install_ov")), JSON.stringify(seen));
            assert.deepEqual([...new Set(seen.filter((p) => !isInstallerDouble(p)).map((p) => p.args))], [`bash -c ${cmd}`]);
            assert.deepEqual(samples.containing("STDIN-SECRET-2"), []);
            const rec = (await h0.exec("ls /var/log/openvidu-installer-double | tail -1")).stdout.trim();
            assert.equal(await h0.readFile(`/var/log/openvidu-installer-double/${rec}/stdin`), "STDIN-SECRET-2");
        });
    });

    describe("runs", function () {
        it("get their own subnet when run in parallel", async function () {
            const other = await startTestHosts([{}]);
            try {
                assert.notEqual(other.bridge.address, lab.bridge.address);
                assert.equal((await runRemote(other.hosts[0].connection(), "hostname -I")).stdout.trim(),
                    other.hosts[0].address);
            } finally {
                assert.deepEqual(await other.teardown(), []);
            }
        });

        it("remove leftovers of dead runs", async function () {
            const rid = "zz" + lab.runId[0];
            fs.mkdirSync(path.join(HARNESS_ROOT, rid), { recursive: true });
            await run("ip", ["netns", "add", `ovha-${rid}-h0`]);
            await run("ip", ["link", "add", `ovha${rid}b`, "type", "bridge"]);
            const removed = (await cleanupLeftovers()).filter((r) => r.includes(rid));
            assert.deepEqual(removed.sort(), [`dir ${HARNESS_ROOT}/${rid}`, `link ovha${rid}b`, `netns ovha-${rid}-h0`]);
        });

        it("tear down completely", async function () {
            await server.close();
            const ns = lab.hosts.map((h) => h.netns);
            tornDown = true;
            assert.deepEqual(await lab.teardown(), []);
            const list = (await run("ip", ["netns", "list"])).stdout + (await run("ip", ["-o", "link"])).stdout;
            for (const n of ns) assert.ok(!list.includes(n), `${n} still exists`);
            assert.ok(!list.includes(`ovha${lab.runId}`));
            assert.equal(fs.existsSync(lab.dir), false);
        });
    });
});
