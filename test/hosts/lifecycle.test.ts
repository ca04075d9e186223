// A whole cluster on test hosts with the program's commands: 4 masters and 2 media nodes with the host firewall,
// up in dependency order, up again, a reboot, removal (drain, stop, uninstall retain or purge, firewall removal)
// and reinstall after a removal that kept the data.
import { strict as assert } from "assert";
import { TestHost } from "./harness";
import { sleep } from "./harness/sh";
import { Deployment, hostSnapshot, installerRuns, KNOBS, setKnob, StepRun } from "./deployment";
import { useLab } from "./lab";

/** Connects from `from` to address:port (2 s bound): "open", "refused" or "timeout" (dropped). */
async function probe(from: TestHost, address: string, port: number): Promise<string> {
    const r = await from.exec("python3 -c 'import socket, sys\n" +
        "try:\n    socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=2).close(); print(\"open\")\n" +
        "except socket.timeout: print(\"timeout\")\nexcept ConnectionRefusedError: print(\"refused\")' \"$@\"",
    { args: [address, String(port)] });
    return r.stdout.trim() || r.stderr;
}

/** Starts a TCP listener on every address of the host at `port`; resolves to its pid. */
async function listen(host: TestHost, port: number): Promise<string> {
    const r = await host.exec("python3 -c 'import socket, sys\ns = socket.socket(); " +
        "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind((\"0.0.0.0\", int(sys.argv[1]))); s.listen(8)\n" +
        "while True: s.accept()[0].close()' \"$1\" </dev/null >/dev/null 2>&1 & echo $!", { args: [String(port)] });
    await sleep(300);
    return r.stdout.trim();
}

const lines = (s: string) => s.split("\n").filter(Boolean);

describe("a cluster on test hosts (the program's commands)", function () {
    const good = { cpus: 4, memMb: 8192 };
    // 4 masters, 2 media nodes, and a host on the same network that is not in the cluster
    const lab = useLab([good, good, good, good, good, good, good]);
    let masters: TestHost[], media: TestHost[], outsider: TestHost, cluster: TestHost[];
    let keep: Deployment, purge: Deployment;

    before(async function () {
        const h = lab.hosts.hosts;
        masters = h.slice(0, 4);
        media = h.slice(4, 6);
        outsider = h[6];
        cluster = [...masters, ...media];
        keep = await Deployment.of(lab, { masters, media, config: { hostFirewall: true } });
        purge = await Deployment.of(lab, { masters, media, config: { hostFirewall: true, retainDataOnDestroy: false } });
    });

    const label = (host: TestHost) => keep.stepOf(host, "install").label;
    const active = async (host: TestHost) => (await host.exec("systemctl is-active openvidu")).stdout.trim();
    const enabled = async (host: TestHost, unit = "openvidu") =>
        (await host.exec("systemctl is-enabled \"$1\"", { args: [unit] })).stdout.trim();
    const firewallTable = (host: TestHost) => host.exec("nft list table inet openvidu_ha");

    it("up: preflight, firewall, install, start and health pass on 4 masters and 2 media nodes", async function () {
        const results = await keep.up();
        assert.equal(results.size, 6 * 5);
        for (const host of cluster) {
            for (const kind of ["preflight", "firewall", "install", "start", "health"] as const) {
                assert.equal(results.get(keep.stepOf(host, kind).name)?.exitCode, 0, `${host.name} ${kind}`);
            }
            const url = label(host).startsWith("master-") ? "http://127.0.0.1:7880/health/caddy" : "http://127.0.0.1:7880/";
            assert.match(results.get(keep.stepOf(host, "health").name)!.stdout, new RegExp(`^health on ${label(host)}: ${url.replace(/\./g, "\\.")} answers after \\d+s$`));
            assert.equal(await active(host), "active");
            assert.equal(await enabled(host), "enabled");
            assert.equal(await host.readFile("/var/lib/openvidu-ha/installed"), `${keep.fingerprintOf(keep.stepOf(host, "install"))}\n`);
            assert.deepEqual(await installerRuns(host), ["001"]);
        }
    });

    it("host firewall: the program's ruleset is loaded as table inet openvidu_ha and saved for boot", async function () {
        for (const host of cluster) {
            const ruleset = keep.stepOf(host, "firewall").spec.stdin!;
            const listed = await firewallTable(host);
            assert.equal(listed.exitCode, 0, listed.stderr);
            const drops = lines(ruleset).map((l) => l.trim()).filter((l) => l.endsWith(" drop"));
            assert.ok(drops.length > 0);
            assert.deepEqual(lines(listed.stdout).map((l) => l.trim()).filter((l) => l.endsWith(" drop")), drops, host.name);
            assert.equal((await host.exec("stat -c %a /etc/openvidu-ha/firewall.nft")).stdout, "600\n");
            assert.equal(await enabled(host, "openvidu-ha-firewall"), "enabled");
        }
    });

    it("host firewall: an internal port drops a source outside the cluster, not a member; a public port stays open", async function () {
        const [m1, m2] = masters;
        const redis = 7000; // masters' internal port for masters and media nodes
        const https = 443; // public on masters
        const rtmp = 1935; // media nodes' internal port for masters
        const pids = [await listen(m1, redis), await listen(m1, https), await listen(media[0], rtmp)];
        try {
            assert.equal(await probe(m2, m1.address, redis), "open");
            assert.equal(await probe(media[1], m1.address, redis), "open");
            assert.equal(await probe(outsider, m1.address, redis), "timeout");
            assert.equal(await probe(outsider, m1.address, https), "open");
            assert.equal(await probe(m2, media[0].address, rtmp), "open");
            assert.equal(await probe(media[1], media[0].address, rtmp), "timeout");
            assert.equal(await probe(outsider, media[0].address, rtmp), "timeout");
        } finally {
            await Promise.all([m1, m1, media[0]].map((h, i) => h.exec("kill \"$1\"", { args: [pids[i]] })));
        }
    });

    it("a reboot restores the firewall table and the service", async function () {
        const host = media[1];
        await host.restart();
        assert.equal((await firewallTable(host)).exitCode, 0);
        assert.equal(await active(host), "active");
        const health = await keep.run(keep.stepOf(host, "health"));
        assert.equal(health.exitCode, 0, health.stderr);
    });

    it("up again with the same inputs: every step finds its work done and writes nothing", async function () {
        const again = await Deployment.of(lab, { masters, media, config: { hostFirewall: true } });
        for (const s of keep.steps) assert.deepEqual(again.step(s.name).spec, s.spec, s.name);
        const before = await Promise.all(cluster.map(hostSnapshot));
        const calls = cluster.map((h) => h.systemctlCalls().length);
        const requests = lab.server.requests.length;
        const results = await again.up();
        assert.equal(results.size, 6 * 5);
        for (const [i, host] of cluster.entries()) {
            assert.deepEqual(await hostSnapshot(host), before[i], `${host.name}: files changed`);
            assert.deepEqual(await installerRuns(host), ["001"]);
            const restarts = host.systemctlCalls().slice(calls[i]).filter((c) => /^(start|stop|restart)\b/.test(c));
            assert.deepEqual(restarts, [], `${host.name}: the service was not restarted`);
            assert.match(results.get(again.stepOf(host, "install").name)!.stdout, /already installed with these inputs, nothing to do$/);
            assert.match(results.get(again.stepOf(host, "start").name)!.stdout, /openvidu already running$/);
        }
        assert.equal(lab.server.requests.length, requests);
    });

    it("host firewall: a changed ruleset (one more media node) is applied and saved for boot; changing back too", async function () {
        const grown = await Deployment.of(lab, { masters, media: [...media, outsider], config: { hostFirewall: true } });
        const m1 = masters[0];
        const pid = await listen(m1, 7000);
        try {
            assert.equal(await probe(outsider, m1.address, 7000), "timeout");
            await grown.up({ hosts: masters, kinds: ["firewall"] });
            assert.equal(await probe(outsider, m1.address, 7000), "open");
            assert.match(await m1.readFile("/etc/openvidu-ha/firewall.nft"), new RegExp(outsider.address.replace(/\./g, "\\.")));
            await keep.up({ hosts: masters, kinds: ["firewall"] });
            assert.equal(await probe(outsider, m1.address, 7000), "timeout");
            assert.ok(!(await m1.readFile("/etc/openvidu-ha/firewall.nft")).includes(outsider.address));
        } finally {
            await m1.exec("kill \"$1\"", { args: [pid] });
        }
    });

    it("removing a media node drains it (SIGQUIT, waits for its containers), stops it, keeps its data, removes the firewall", async function () {
        const host = media[0];
        await setKnob(host, KNOBS.drainSeconds, "3");
        await host.exec("echo kept > /opt/openvidu/data/recording-1");
        const running = lines((await host.exec("docker ps -q --filter status=running")).stdout).sort();
        assert.equal(running.length, 4);
        const dockerCalls = host.dockerCalls().length;
        const systemctlCalls = host.systemctlCalls().length;
        // Watch the host while it drains: containers and service state, every 200 ms.
        let draining = true;
        const seen: string[] = [];
        const watch = (async () => {
            while (draining) {
                const r = await host.exec("docker ps -a --format '{{.Names}} {{.Status}}' | sort; systemctl is-active openvidu");
                seen.push(r.stdout);
                await sleep(200);
            }
        })();
        let results: Map<string, StepRun>;
        try {
            results = await keep.destroy({ hosts: [host] });
        } finally {
            draining = false;
            await watch;
        }
        const drain = results.get(keep.stepOf(host, "start").name)!;
        assert.deepEqual(lines(drain.stdout), [
            `drain on ${label(host)}: sending SIGQUIT to 4 container(s)`, `drain on ${label(host)}: drained and stopped`]);
        assert.ok(drain.durationMs >= 3000, `drained in ${drain.durationMs} ms`);
        const kills = host.dockerCalls().slice(dockerCalls).filter((c) => c.startsWith("kill"));
        assert.equal(kills.length, 1, kills.join("\n"));
        assert.deepEqual(kills[0].split(" ").slice(2).sort(), running);
        assert.equal(kills[0].split(" ")[1], "--signal=SIGQUIT");
        // Every container ended by draining (exit 0) while the service was still up; then the service stopped.
        assert.ok(seen.some((s) => /^(\S+ Exited \(0\) .*\n){4}active\n$/.test(s)), seen.join("---\n"));
        const after = host.systemctlCalls().slice(systemctlCalls);
        assert.ok(after.includes("stop openvidu"), after.join("\n"));
        // uninstall, retain
        assert.equal(await active(host), "inactive");
        assert.equal(await enabled(host), "disabled");
        assert.equal(await host.readFile("/opt/openvidu/data/recording-1"), "kept\n");
        assert.equal(await host.fileExists("/var/lib/openvidu-ha/retained"), true);
        assert.equal(await host.fileExists("/var/lib/openvidu-ha/installed"), false);
        // firewall removed
        assert.notEqual((await firewallTable(host)).exitCode, 0);
        assert.equal(await host.fileExists("/etc/openvidu-ha/firewall.nft"), false);
        assert.equal(await host.fileExists("/etc/systemd/system/openvidu-ha-firewall.service"), false);
    });

    it("a media node removed with its data kept installs again", async function () {
        const host = media[0];
        const results = await keep.up({ hosts: [host] });
        assert.match(results.get(keep.stepOf(host, "install").name)!.stdout,
            new RegExp(`^install on ${label(host)}: reinstalling over data kept from a previous removal$`, "m"));
        assert.deepEqual(await installerRuns(host), ["001", "002"]);
        assert.equal(await host.readFile("/opt/openvidu/data/recording-1"), "kept\n");
        assert.equal(await host.readFile("/var/lib/openvidu-ha/installed"), `${keep.fingerprintOf(keep.stepOf(host, "install"))}\n`);
        assert.equal(await active(host), "active");
        assert.equal((await firewallTable(host)).exitCode, 0);
    });

    it("with retainDataOnDestroy false, removal purges /opt/openvidu, the unit and the state; the node installs fresh", async function () {
        const host = media[1];
        // Changing retainDataOnDestroy changes only the install step's delete command: its update finds the work done.
        assert.equal(purge.stepOf(host, "install").spec.create, keep.stepOf(host, "install").spec.create);
        const update = await purge.run(purge.stepOf(host, "install"), "update");
        assert.match(update.stdout, /already installed with these inputs, nothing to do$/);
        const results = await purge.destroy({ hosts: [host] });
        assert.match(results.get(purge.stepOf(host, "install").name)!.stdout, /: openvidu removed, data purged$/);
        for (const f of ["/opt/openvidu", "/etc/systemd/system/openvidu.service", "/var/lib/openvidu-ha"]) {
            assert.equal(await host.fileExists(f), false, f);
        }
        assert.notEqual((await firewallTable(host)).exitCode, 0);
        await purge.up({ hosts: [host] });
        assert.deepEqual(await installerRuns(host), ["001", "002"]);
        assert.equal(await active(host), "active");
    });

    it("destroy: media nodes drain, masters stop without draining, data stays, firewalls go", async function () {
        const docker = cluster.map((h) => h.dockerCalls().length);
        const results = await keep.destroy();
        for (const [i, host] of cluster.entries()) {
            const stop = results.get(keep.stepOf(host, "start").name)!;
            const kills = host.dockerCalls().slice(docker[i]).filter((c) => c.startsWith("kill"));
            if (masters.includes(host)) {
                assert.equal(stop.stdout, `stop on ${label(host)}: openvidu stopped`);
                assert.deepEqual(kills, [], `${host.name} was not drained`);
            } else {
                assert.match(stop.stdout, /drained and stopped$/);
                assert.equal(kills.length, 1);
            }
            assert.equal(await active(host), "inactive");
            assert.equal(await enabled(host), "disabled");
            assert.equal(await host.fileExists("/opt/openvidu/deployment-info.yaml"), true);
            assert.notEqual((await firewallTable(host)).exitCode, 0);
        }
    });
});
