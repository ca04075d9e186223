// Failures on test hosts, with the program's commands: an unreachable host, a service that never answers its
// health gate, and hosts that die mid-run (`pulumi up`, `--replace`), after which the next `pulumi up` runs
// exactly what the engine would (engine model, from the state the failed run left) and completes the node.
// Each test sets up what it needs on hosts of its own or on hosts put back to fresh (host-snapshot.ts), so each
// runs alone and in any order.
import { strict as assert } from "assert";
import { DialError, RemoteCommandError, TestHost } from "./harness";
import { waitFor } from "./harness/sh";
import { Deployment, EngineRun, failureOutput, filesHolding, INSTALLER_OWN_FILES, installerRuns, KNOBS, setKnob, STEP_KINDS } from "./deployment";
import { ClusterSnapshot } from "./host-snapshot";
import { useLab } from "./lab";

describe("failures on test hosts (the program's commands)", function () {
    const good = { cpus: 4, memMb: 8192 };
    const lab = useLab([{ ...good, sshd: false }, good, good]);
    let h: TestHost[];
    let d: Deployment;

    before(async function () {
        h = lab.hosts.hosts;
        d = await Deployment.of(lab, {
            // h0's key is configured: with nothing answering, a first-use pin would stop the run before any step.
            masters: [h[1], h[2], { address: "10.99.3.1" }, { address: "10.99.3.2" }],
            media: [{ host: h[0], hostKey: h[0].hostKey() }],
            config: { sshDialErrorLimit: 2, sshPerDialTimeout: 2, healthTimeoutSeconds: 30 },
        });
    });

    it("an unreachable host fails after sshDialErrorLimit + 1 dials of sshPerDialTimeout, naming the host (connection.go dialWithRetry)", async function () {
        const step = d.stepOf(h[0], "preflight");
        // The bound the program gives the provider, from the stack config.
        assert.equal(step.connection.dialErrorLimit, 2);
        assert.equal(step.connection.perDialTimeout, 2);
        const started = Date.now();
        const error = await d.run(step).then(
            () => undefined,
            (e: unknown) => e,
        );
        const ms = Date.now() - started;
        assert.ok(error instanceof DialError, String(error));
        // The provider stops when dials > dialErrorLimit, and its message counts the retries (try = dials - 1).
        assert.equal(error.attempts, 3);
        assert.equal(error.message, `after 2 failed attempts: dial tcp ${h[0].address}:22: i/o timeout`);
        // Each of the 3 dials ran its full perDialTimeout (the host drops packets): a lower bound, never early.
        assert.ok(ms >= 3 * 2000, `took ${ms} ms`);
    });

    it("the health gate fails within healthTimeoutSeconds, naming the host, when the service never answers", async function () {
        const host = h[2];
        await d.up({ hosts: [host], kinds: ["preflight", "install"] });
        await setKnob(host, KNOBS.health, "down");
        const start = await d.run(d.stepOf(host, "start"));
        assert.equal(start.exitCode, 0, start.stderr);
        const started = Date.now();
        const step = d.stepOf(host, "health");
        const r = await d.run(step);
        const s = (Date.now() - started) / 1000;
        assert.match(
            failureOutput(r, step.spec.create),
            new RegExp(
                "^health gate failed on master-2: http://127\\.0\\.0\\.1:7880/health/caddy did not " +
                    "answer within 30s \\(openvidu service: active; last error: curl: \\(7\\) .*\\)$",
            ),
        );
        // One poll every 5 s, each bounded by curl's 5 s: the gate ends within a poll of its timeout.
        assert.ok(s >= 30 && s <= 30 + 10 + 2, `took ${s} s`);
    });
});

describe("a host dying mid-run, completed by the next pulumi up (engine model)", function () {
    const good = { cpus: 4, memMb: 8192 };
    const lab = useLab([good, good, good, good, good]);
    let h: TestHost[];
    let current: Deployment;
    let fresh: ClusterSnapshot;

    before(async function () {
        h = lab.hosts.hosts;
        fresh = await ClusterSnapshot.take(h, "fresh");
    });
    beforeEach(() => fresh.restore());
    afterEach(() => fresh.dirty()); // every test deploys

    const program = () => Deployment.of(lab, { masters: h.slice(0, 4), media: [h[4]] });
    /** The provisioning steps of a list of "<step> <operation>" (the day-2 convergence chain's left out). */
    const provisioning = (ran: string[]) => ran.filter((r) => !r.startsWith("converge-"));
    const name = (host: TestHost, kind: string) => current.stepOf(host, kind as "install").name;
    const active = async (host: TestHost) => (await host.exec("systemctl is-active openvidu")).stdout.trim();

    /** Starts `run`, kills `host` once its installer run `record` hangs, restarts it; resolves to the run's error. */
    async function killDuringInstall(host: TestHost, record: string, run: Promise<EngineRun>): Promise<unknown> {
        const failed = run.then(
            () => undefined,
            (e: unknown) => e,
        );
        await waitFor("the installer to hang", async () =>
            (await host.exec('cat "$1" 2>/dev/null', { args: [`/var/log/openvidu-installer-double/${record}/status`] })).stdout.includes("hanging")
                ? true
                : undefined,
        );
        await host.kill();
        const error = await failed;
        await host.restart();
        await setKnob(host, KNOBS.installer, "");
        return error;
    }

    it("a master dying mid-install fails the run; the next up runs only what is missing, with no secret left behind", async function () {
        const m1 = h[0];
        await Promise.all(h.map((host) => setKnob(host, KNOBS.installer, host === m1 ? "hang-after-partial" : "")));
        const first = await program();
        const error = await killDuringInstall(m1, "001", first.upAfter(undefined));
        assert.ok(error instanceof RemoteCommandError, String(error));
        current = first;
        // The state the failed run left: m1's preflight, not its install (a failed create saves nothing); the other
        // masters' installs, which were running, completed; no start began.
        const saved = new Set(first.state!.map((r) => r.name));
        assert.ok(saved.has(name(m1, "preflight")) && !saved.has(name(m1, "install")));
        for (const host of h.slice(1, 4)) assert.ok(saved.has(name(host, "install")), host.name);
        assert.ok(!first.state!.some((r) => /-(start|health)$/.test(r.name)));
        // What the crash left: a partial /opt/openvidu, no finished installation, and no secret outside the
        // installer's own files (the arguments were on tmpfs).
        assert.equal(await m1.fileExists("/opt/openvidu/config/cluster/openvidu.env"), true);
        assert.equal(await m1.fileExists("/var/lib/openvidu-ha/installed"), false);
        assert.deepEqual(
            (await filesHolding(m1, first.secretValues())).filter((f) => !INSTALLER_OWN_FILES.test(f)),
            [],
        );

        const next = await program();
        const run = await next.upAfter(first);
        // Exactly the steps the failed run did not complete, in order, on each host.
        for (const host of h) {
            const missing = STEP_KINDS.filter((k) => k !== "firewall" && !saved.has(name(host, k))).map((k) => `${name(host, k)} create`);
            assert.deepEqual(provisioning(run.on(host)), missing, host.name);
        }
        assert.deepEqual(
            provisioning(run.on(m1)),
            ["install", "start", "health"].map((k) => `${name(m1, k)} create`),
        );
        for (const host of h.slice(1, 4))
            assert.deepEqual(
                provisioning(run.on(host)),
                ["start", "health"].map((k) => `${name(host, k)} create`),
            );
        // The convergence chain, never created by the failed run, is created now and runs nothing (its commands are updates).
        assert.ok(run.plan.steps.some((s) => s.name === "converge-master-1-check" && s.op === "create"));
        assert.deepEqual(
            run.ran.filter((r) => r.step.startsWith("converge-")).map((r) => r.step),
            [],
        );
        const install = run.ran.find((r) => r.step === name(m1, "install"))!;
        assert.match(install.stdout, /^install on master-1: completing an installation that was interrupted \(fresh\)$/m);
        assert.deepEqual(await installerRuns(m1), ["001", "002"]);
        assert.equal(await m1.readFile("/var/lib/openvidu-ha/installed"), `${next.fingerprintOf(next.stepOf(m1, "install"))}\n`);
        for (const host of h) assert.equal(await active(host), "active", host.name);
    });

    it("a --replace whose reinstall dies keeps the data; the next up installs, starts and checks that node only", async function () {
        const m1 = h[0];
        current = await program();
        await current.upAfter(undefined); // a healthy cluster
        await m1.exec("echo recording > /opt/openvidu/data/kept-recording");
        await setKnob(m1, KNOBS.installer, "hang-after-partial");
        const replacing = await program();
        const error = await killDuringInstall(m1, "002", replacing.upAfter(current, { replace: [current.stepOf(m1, "install").urn] }));
        assert.ok(error instanceof RemoteCommandError, String(error));
        // Before the install died: stop, then uninstall (the failed install itself is not in the history).
        assert.deepEqual(
            replacing.history.map((r) => `${r.step} ${r.op}`),
            [`${name(m1, "start")} delete`, `${name(m1, "install")} delete`],
        );
        // The host's recorded key (its HostKeyPin) and preflight remain.
        assert.deepEqual(
            replacing.state!.filter((r) => r.name.startsWith("masters-1-")).map((r) => r.name),
            [`${name(m1, "preflight").replace(/-preflight$/, "")}-host-key`, name(m1, "preflight")],
        );

        const next = await program();
        const run = await next.upAfter(replacing);
        assert.deepEqual(
            run.on(m1),
            ["install", "start", "health"].map((k) => `${name(m1, k)} create`),
        );
        for (const host of h.slice(1)) assert.deepEqual(run.on(host), [], host.name);
        assert.match(run.ran[0].stdout, /completing an installation that was interrupted \(reinstall\)/);
        assert.equal(await m1.readFile("/opt/openvidu/data/kept-recording"), "recording\n");
        assert.deepEqual(await installerRuns(m1), ["001", "002", "003"]);
        assert.equal(await active(m1), "active");
    });
});
