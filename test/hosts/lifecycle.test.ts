// A whole cluster on test hosts with the program's commands: 4 masters and 2 media nodes with the host firewall.
// Every `pulumi up` after the first and every removal runs exactly what the engine would run (the engine model
// over two recorded runs: Deployment.upAfter / destroyAll): up, up again (nothing runs), a changed connection
// (every step updates and finds its work done), a reboot, a changed ruleset, removal (drain, stop, uninstall
// retain or purge, firewall removal), reinstall after a removal that kept the data, destroy.
// The first up runs once, in `before`; the hosts' disks are then saved (host-snapshot.ts) and every test that
// changes the cluster starts from them again, from the first up's engine state: any test runs alone (`--grep`)
// and in any order, and one failing leaves the next its starting state.
import { strict as assert } from "assert";
import { TestHost } from "./harness";
import { sleep } from "./harness/sh";
import { ClusterSpec, Deployment, EngineRun, hostSnapshot, installerRuns, KNOBS, setKnob } from "./deployment";
import { ClusterSnapshot } from "./host-snapshot";
import { useLab } from "./lab";

/** Connects from `from` to address:port (2 s bound): "open", "refused" or "timeout" (dropped). */
async function probe(from: TestHost, address: string, port: number): Promise<string> {
    const r = await from.exec(
        "python3 -c 'import socket, sys\n" +
            'try:\n    socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=2).close(); print("open")\n' +
            'except socket.timeout: print("timeout")\nexcept ConnectionRefusedError: print("refused")\' "$@"',
        { args: [address, String(port)] },
    );
    return r.stdout.trim() || r.stderr;
}

/** Starts a TCP listener on every address of the host at `port`; resolves to its pid. */
async function listen(host: TestHost, port: number): Promise<string> {
    const r = await host.exec(
        "python3 -c 'import socket, sys\ns = socket.socket(); " +
            's.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("0.0.0.0", int(sys.argv[1]))); s.listen(8)\n' +
            'while True: s.accept()[0].close()\' "$1" </dev/null >/dev/null 2>&1 & echo $!',
        { args: [String(port)] },
    );
    await sleep(300);
    return r.stdout.trim();
}

const lines = (s: string) => s.split("\n").filter(Boolean);
const isConverge = (step: string) => step.startsWith("converge-");
/** The provisioning steps of a list of "<step> <operation>" (the convergence chain's left out). */
const provisioning = (ran: string[]) => ran.filter((r) => !isConverge(r));

describe("a cluster on test hosts (the program's commands)", function () {
    const good = { cpus: 4, memMb: 8192 };
    // 4 masters, 2 media nodes, and a host on the same network that is not in the cluster
    const lab = useLab([good, good, good, good, good, good, good]);
    let masters: TestHost[], media: TestHost[], outsider: TestHost, cluster: TestHost[];
    /** the first up's deployment: its engine state is where every test starts */
    let deployed: Deployment;
    let firstRun: EngineRun;
    /** the hosts' disks after the first up */
    let snapshot: ClusterSnapshot;
    /** what the running test's last engine run left deployed (the stack's state) */
    let current: Deployment;

    /** The program for `spec`, host firewall on (stack config keys in `spec.config` added). */
    function program(spec: Partial<ClusterSpec> & { config?: Record<string, unknown> } = {}): Promise<Deployment> {
        return Deployment.of(lab, { masters, media: spec.media ?? media, config: { hostFirewall: true, ...spec.config } });
    }

    /** No command warned that it could not set PULUMI_COMMAND_STDOUT/_STDERR (the program sets addPreviousOutputInEnv: false). */
    function assertNoWarnings(run: EngineRun): void {
        assert.deepEqual(
            run.ran.flatMap((r) => r.warnings),
            [],
        );
    }

    /** `pulumi up` of `next` after the current state; `next` becomes the current state. */
    async function up(next: Deployment): Promise<EngineRun> {
        const run = await next.upAfter(current);
        current = next;
        assertNoWarnings(run);
        return run;
    }

    /** The result of the command run for `kind` on `host` in `run` with `op` (exactly one). */
    function ranOn(run: EngineRun, host: TestHost, kind: string, op: string) {
        const found = run.ran.filter((r) => r.host === host && !isConverge(r.step) && r.step.endsWith(`-${kind}`) && r.op === op);
        assert.equal(found.length, 1, `${host.name} ${kind} ${op}: ${run.on(host).join(", ")}`);
        return found[0];
    }

    before(async function () {
        const h = lab.hosts.hosts;
        masters = h.slice(0, 4);
        media = h.slice(4, 6);
        outsider = h[6];
        cluster = [...masters, ...media];
        deployed = await program();
        firstRun = await deployed.upAfter(undefined);
        snapshot = await ClusterSnapshot.take(h, "deployed");
    });

    beforeEach(async function () {
        await snapshot.restore();
        current = deployed;
    });

    afterEach(function () {
        // A failed test may have left anything behind.
        if (this.currentTest?.state !== "passed") snapshot.dirty();
    });

    const label = (host: TestHost) => current.stepOf(host, "install").label;
    const name = (host: TestHost, kind: string) => current.stepOf(host, kind as "install").name;
    const active = async (host: TestHost) => (await host.exec("systemctl is-active openvidu")).stdout.trim();
    const enabled = async (host: TestHost, unit = "openvidu") => (await host.exec('systemctl is-enabled "$1"', { args: [unit] })).stdout.trim();
    const firewallTable = (host: TestHost) => host.exec("nft list table inet openvidu_ha");

    it("up: preflight, firewall, install, start and health pass on 4 masters and 2 media nodes", async function () {
        const run = firstRun;
        assertNoWarnings(run);
        // The day-2 convergence chain (7 steps per node, README "Upgrades and config changes") is created and runs
        // nothing: its commands are updates.
        assert.equal(run.ran.filter((r) => !isConverge(r.step)).length, 6 * 5);
        assert.deepEqual(
            run.ran.filter((r) => isConverge(r.step)).map((r) => r.step),
            [],
        );
        for (const host of cluster) {
            assert.deepEqual(
                provisioning(run.on(host)),
                ["preflight", "firewall", "install", "start", "health"].map((k) => `${name(host, k)} create`),
            );
            const url = label(host).startsWith("master-") ? "http://127.0.0.1:7880/health/caddy" : "http://127.0.0.1:7880/";
            assert.match(
                ranOn(run, host, "health", "create").stdout,
                new RegExp(`^health on ${label(host)}: ${url.replace(/\./g, "\\.")} answers after \\d+s$`),
            );
            assert.equal(await active(host), "active");
            assert.equal(await enabled(host), "enabled");
            assert.equal(await host.readFile("/var/lib/openvidu-ha/installed"), `${current.fingerprintOf(current.stepOf(host, "install"))}\n`);
            assert.deepEqual(await installerRuns(host), ["001"]);
        }
    });

    it("host firewall: the program's ruleset is loaded as table inet openvidu_ha and saved for boot", async function () {
        for (const host of cluster) {
            const ruleset = current.stepOf(host, "firewall").spec.stdin!;
            const listed = await firewallTable(host);
            assert.equal(listed.exitCode, 0, listed.stderr);
            const drops = lines(ruleset)
                .map((l) => l.trim())
                .filter((l) => l.endsWith(" drop"));
            assert.ok(drops.length > 0);
            assert.deepEqual(
                lines(listed.stdout)
                    .map((l) => l.trim())
                    .filter((l) => l.endsWith(" drop")),
                drops,
                host.name,
            );
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
            await Promise.all([m1, m1, media[0]].map((h, i) => h.exec('kill "$1"', { args: [pids[i]] })));
        }
    });

    it("a reboot restores the firewall table and the service", async function () {
        const host = media[1];
        await host.restart();
        assert.equal((await firewallTable(host)).exitCode, 0);
        assert.equal(await active(host), "active");
        const again = await program(); // its own outputs: the first up's deployment stays as it was
        const health = await again.run(again.stepOf(host, "health"));
        assert.equal(health.exitCode, 0, health.error);
    });

    it("up again with the same inputs: the engine runs nothing, nothing changes on any host", async function () {
        const before = await Promise.all(cluster.map(hostSnapshot));
        const calls = cluster.map((h) => h.systemctlCalls().length);
        const requests = lab.server.requests.length;
        const run = await up(await program());
        assert.deepEqual(run.plan.describe(), []);
        assert.deepEqual(run.ran, []);
        for (const [i, host] of cluster.entries()) {
            assert.deepEqual(await hostSnapshot(host), before[i], `${host.name}: files changed`);
            assert.deepEqual(host.systemctlCalls().slice(calls[i]), [], `${host.name}: systemctl was called`);
        }
        assert.equal(lab.server.requests.length, requests);
    });

    it("a changed connection (sshPerDialTimeout): every step updates (its create again; the chain its update), finds its work done, writes only the chain's records", async function () {
        const before = await Promise.all(cluster.map(hostSnapshot));
        const calls = cluster.map((h) => h.systemctlCalls().length);
        const requests = lab.server.requests.length;
        const appliedBefore = await Promise.all(cluster.map(async (h) => (await h.readFile("/var/lib/openvidu-ha/applied")).split("\n").filter(Boolean)));
        // install.sh recorded each node's own arguments and, on media nodes, the masters' settings it joined with.
        assert.deepEqual(
            appliedBefore.map((lines) => lines.length > 0 && lines.some((l) => l.startsWith("cluster:"))),
            cluster.map((h) => media.includes(h)),
        );
        const run = await up(await program({ config: { sshPerDialTimeout: 6 } }));
        assert.equal(run.ran.length, 6 * (5 + 7)); // the convergence chain's steps too: it finds its plan done
        assert.ok(
            run.ran.every((r) => r.engineStep.op === "update" && r.op === "update"),
            run.plan.describe().join("\n"),
        );
        for (const [i, host] of cluster.entries()) {
            // The chain's first run on these nodes (the first up created it without running it) records its plan
            // and each phase's done mark under /var/lib/openvidu-ha/converge, and writes `applied` again: the same
            // lines install.sh wrote (on a media node with the masters' settings, compared below).
            const chainRecords = (l: string) => / \/var\/lib\/openvidu-ha(\/converge(\/.*)?|\/applied)?$/.test(l);
            const applied = (await host.readFile("/var/lib/openvidu-ha/applied")).split("\n").filter(Boolean);
            assert.deepEqual(applied, appliedBefore[i], `${host.name}: applied`);
            const now = await hostSnapshot(host);
            assert.deepEqual(
                now.filter((l) => !chainRecords(l)),
                before[i].filter((l) => !chainRecords(l)),
                `${host.name}: files changed`,
            );
            assert.deepEqual(
                now
                    .filter((l) => /^f .*\/converge\/[0-9a-f]+\/(plan|done-[a-z-]+)$/.test(l))
                    .map((l) => l.split("/").pop())
                    .sort(),
                ["done-checkpoint-start", "done-checkpoint-stop", "done-checkpoint-update", "done-final-start", "done-final-stop", "done-final-update", "plan"],
                host.name,
            );
            assert.deepEqual(await installerRuns(host), ["001"]);
            const restarts = host
                .systemctlCalls()
                .slice(calls[i])
                .filter((c) => /^(start|stop|restart)\b/.test(c));
            assert.deepEqual(restarts, [], `${host.name}: the service was not restarted`);
            assert.match(ranOn(run, host, "install", "update").stdout, /already installed with these inputs, nothing to do$/);
            assert.match(ranOn(run, host, "start", "update").stdout, /openvidu already running$/);
        }
        assert.equal(lab.server.requests.length, requests);
    });

    it("host firewall: a media node added updates every ruleset and provisions only the new host; removing it again too", async function () {
        snapshot.dirty();
        const m1 = masters[0];
        const pid = await listen(m1, 7000);
        try {
            assert.equal(await probe(outsider, m1.address, 7000), "timeout");
            const grown = await up(await program({ media: [...media, outsider] }));
            // A master's ruleset lists every cluster member; a media node's lists the masters only.
            const updated = (host: TestHost) => (masters.includes(host) ? [`${name(host, "firewall")} update`] : []);
            for (const host of cluster) assert.deepEqual(grown.on(host), updated(host), host.name);
            assert.deepEqual(
                provisioning(grown.on(outsider)),
                ["preflight", "firewall", "install", "start", "health"].map((k) => `${name(outsider, k)} create`),
            );
            assert.equal(await probe(outsider, m1.address, 7000), "open");
            assert.match(await m1.readFile("/etc/openvidu-ha/firewall.nft"), new RegExp(outsider.address.replace(/\./g, "\\.")));

            const outsiderSteps = (kind: string) => name(outsider, kind);
            const [start, install, firewall] = ["start", "install", "firewall"].map(outsiderSteps);
            const shrunk = await up(await program());
            for (const host of cluster) assert.deepEqual(shrunk.on(host), updated(host), host.name);
            assert.deepEqual(shrunk.on(outsider), [`${start} delete`, `${install} delete`, `${firewall} delete`]);
            assert.equal(await probe(outsider, m1.address, 7000), "timeout");
            assert.ok(!(await m1.readFile("/etc/openvidu-ha/firewall.nft")).includes(outsider.address));
            assert.equal(await active(outsider), "inactive");
        } finally {
            await m1.exec('kill "$1"', { args: [pid] });
        }
    });

    it("removing a media node drains it (SIGQUIT, waits for its containers), stops it, keeps its data, removes the firewall", async function () {
        snapshot.dirty();
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
        const steps = ["start", "install", "firewall"].map((k) => name(host, k));
        const hostLabel = label(host); // the host leaves the deployment
        let run: EngineRun;
        try {
            run = await up(await program({ media: [media[1]] }));
        } finally {
            draining = false;
            await watch;
        }
        assert.deepEqual(run.on(host), [`${steps[0]} delete`, `${steps[1]} delete`, `${steps[2]} delete`]);
        const drain = run.ran.find((r) => r.step === steps[0])!;
        assert.deepEqual(lines(drain.stdout), [`drain on ${hostLabel}: sending SIGQUIT to 4 container(s)`, `drain on ${hostLabel}: drained and stopped`]);
        assert.ok(drain.durationMs >= 3000, `drained in ${drain.durationMs} ms`);
        const kills = host
            .dockerCalls()
            .slice(dockerCalls)
            .filter((c) => c.startsWith("kill"));
        assert.equal(kills.length, 1, kills.join("\n"));
        assert.deepEqual(kills[0].split(" ").slice(2).sort(), running);
        assert.equal(kills[0].split(" ")[1], "--signal=SIGQUIT");
        // Every container ended by draining (exit 0) while the service was still up; then the service stopped.
        assert.ok(
            seen.some((s) => /^(\S+ Exited \(0\) .*\n){4}active\n$/.test(s)),
            seen.join("---\n"),
        );
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
        snapshot.dirty();
        const host = media[0];
        await host.exec("echo kept > /opt/openvidu/data/recording-1");
        await up(await program({ media: [media[1]] })); // removed, data kept (the test above)
        const run = await up(await program());
        assert.match(
            ranOn(run, host, "install", "create").stdout,
            new RegExp(`^install on ${label(host)}: reinstalling over data kept from a previous removal$`, "m"),
        );
        assert.deepEqual(await installerRuns(host), ["001", "002"]);
        assert.equal(await host.readFile("/opt/openvidu/data/recording-1"), "kept\n");
        assert.equal(await host.readFile("/var/lib/openvidu-ha/installed"), `${current.fingerprintOf(current.stepOf(host, "install"))}\n`);
        assert.equal(await active(host), "active");
        assert.equal((await firewallTable(host)).exitCode, 0);
    });

    it("with retainDataOnDestroy false, removal purges /opt/openvidu, the unit and the state; the node installs fresh", async function () {
        snapshot.dirty();
        const host = media[1];
        const purge = { retainDataOnDestroy: false };
        // Changing retainDataOnDestroy changes only the install steps' delete command: they update, finding the work done.
        const changed = await up(await program({ config: purge }));
        assert.deepEqual(
            changed.plan.describe(),
            cluster.map((h) => `update ${name(h, "install")} [update]`),
        );
        for (const h of cluster) assert.match(ranOn(changed, h, "install", "update").stdout, /already installed with these inputs, nothing to do$/);
        const removed = await up(await program({ media: [media[0]], config: purge }));
        assert.match(ranOn(removed, host, "install", "delete").stdout, /: openvidu removed, data purged$/);
        for (const f of ["/opt/openvidu", "/etc/systemd/system/openvidu.service", "/var/lib/openvidu-ha"]) {
            assert.equal(await host.fileExists(f), false, f);
        }
        assert.notEqual((await firewallTable(host)).exitCode, 0);
        await up(await program({ config: purge }));
        assert.deepEqual(await installerRuns(host), ["001", "002"]);
        assert.equal(await active(host), "active");
        const back = await up(await program());
        assert.deepEqual(
            back.plan.describe(),
            cluster.map((h) => `update ${name(h, "install")} [update]`),
        );
    });

    it("destroy: media nodes drain, masters stop without draining, data stays, firewalls go", async function () {
        snapshot.dirty();
        // destroyAll replaces its deployment's state: destroy a stack whose last up is this program's, not the first up.
        await up(await program());
        const docker = cluster.map((h) => h.dockerCalls().length);
        const run = await current.destroyAll();
        assertNoWarnings(run);
        for (const [i, host] of cluster.entries()) {
            assert.deepEqual(
                run.on(host),
                ["start", "install", "firewall"].map((k) => `${name(host, k)} delete`),
            );
            const stop = ranOn(run, host, "start", "delete");
            const kills = host
                .dockerCalls()
                .slice(docker[i])
                .filter((c) => c.startsWith("kill"));
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
