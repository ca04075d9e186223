// `pulumi up --replace <urn>` of one step of a node, on test hosts: the commands are exactly those the engine
// model plans from two recorded runs (Deployment.upAfter with `replace`), and the node ends installed, started
// and healthy, a media node drained before its uninstall.
import { strict as assert } from "assert";
import { TestHost } from "./harness";
import { Deployment, EngineRun, installerRuns, KNOBS, setKnob, StepKind } from "./deployment";
import { useLab } from "./lab";
import { Stages } from "./stages";

describe("pulumi up --replace of one step of a node, on test hosts", function () {
    // A test run alone reaches its stage first (up to three ups on a loaded machine).
    this.timeout(600_000);
    const good = { cpus: 4, memMb: 8192 };
    const lab = useLab([good, good, good, good, good, good]);
    let masters: TestHost[], media: TestHost[], cluster: TestHost[];
    /** what the running test's last engine run left deployed (the stack's state) */
    let current: Deployment;
    // Every test starts from the first up, saved once (hosts' disks, stages.ts) with its deployment; a test puts
    // back only the hosts it replaced a step on.
    const stages = new Stages(() => cluster);
    const deployed = stages.define("deployed", async () => {
        const first = await Deployment.of(lab, { masters, media });
        const run = await first.upAfter(undefined);
        assertNoWarnings(run);
        assert.deepEqual(
            run.ran.filter((r) => r.exitCode !== 0).map((r) => r.step),
            [],
        );
        return first;
    });
    /** The first up, for a test that runs `--replace` on `hosts`. */
    async function deployedFor(...hosts: TestHost[]): Promise<void> {
        current = await stages.from(deployed, hosts);
    }

    before(function () {
        const h = lab.hosts.hosts;
        masters = h.slice(0, 4);
        media = h.slice(4, 6);
        cluster = h;
    });
    afterEach(function () {
        if (this.currentTest?.state !== "passed") stages.forget();
    });

    /** No command warned that it could not set PULUMI_COMMAND_STDOUT/_STDERR (the program sets addPreviousOutputInEnv: false). */
    function assertNoWarnings(run: EngineRun): void {
        assert.deepEqual(
            run.ran.flatMap((r) => r.warnings),
            [],
        );
    }

    /** `pulumi up --replace <urn of kind on host>` with the same stack config. */
    async function replace(host: TestHost, kind: StepKind): Promise<EngineRun> {
        const next = await Deployment.of(lab, { masters, media });
        const run = await next.upAfter(current, { replace: [current.stepOf(host, kind).urn] });
        current = next;
        assertNoWarnings(run);
        return run;
    }

    const name = (host: TestHost, kind: StepKind) => current.stepOf(host, kind).name;
    const label = (host: TestHost) => current.stepOf(host, "install").label;
    const active = async (host: TestHost) => (await host.exec("systemctl is-active openvidu")).stdout.trim();
    const result = (run: EngineRun, step: string, op: string) => run.ran.find((r) => r.step === step && r.op === op)!;

    /** Nothing ran on any host but `host`. */
    function onlyOn(run: EngineRun, host: TestHost): void {
        for (const other of cluster.filter((h) => h !== host)) assert.deepEqual(run.on(other), [], other.name);
    }

    async function assertHealthy(host: TestHost): Promise<void> {
        assert.equal(await active(host), "active");
        const health = await current.run(current.stepOf(host, "health"));
        assert.equal(health.exitCode, 0, health.stderr);
    }

    it("--replace of a master's install: stop, uninstall keeping the data, install, start, health on that master only", async function () {
        const host = masters[0];
        await deployedFor(host);
        await host.exec("echo kept > /opt/openvidu/data/master-data");
        const calls = host.systemctlCalls().length;
        const run = await replace(host, "install");
        const [start, install, health] = [name(host, "start"), name(host, "install"), name(host, "health")];
        assert.deepEqual(run.on(host), [`${start} delete`, `${install} delete`, `${install} create`, `${start} create`, `${health} create`]);
        onlyOn(run, host);
        assert.equal(result(run, start, "delete").stdout, `stop on ${label(host)}: openvidu stopped`);
        assert.match(result(run, install, "create").stdout, /reinstalling over data kept from a previous removal$/m);
        assert.equal(result(run, health, "create").exitCode, 0);
        const service = host
            .systemctlCalls()
            .slice(calls)
            .filter((c) => /^(start|stop) openvidu$/.test(c));
        assert.deepEqual(service, ["stop openvidu", "stop openvidu", "start openvidu"]); // stop step, uninstall's own stop, start
        assert.deepEqual(await installerRuns(host), ["001", "002"]);
        assert.equal(await host.readFile("/opt/openvidu/data/master-data"), "kept\n");
        await assertHealthy(host);
    });

    it("--replace of a media node's install: drain (SIGQUIT, containers exit) before the uninstall, then install, start, health", async function () {
        const host = media[1];
        await deployedFor(host);
        await setKnob(host, KNOBS.drainSeconds, "2");
        const running = (await host.exec("docker ps -q --filter status=running")).stdout.split("\n").filter(Boolean);
        assert.equal(running.length, 4);
        const docker = host.dockerCalls().length;
        const run = await replace(host, "install");
        const [start, install, health] = [name(host, "start"), name(host, "install"), name(host, "health")];
        assert.deepEqual(run.on(host), [`${start} delete`, `${install} delete`, `${install} create`, `${start} create`, `${health} create`]);
        onlyOn(run, host);
        assert.match(result(run, start, "delete").stdout, new RegExp(`^drain on ${label(host)}: drained and stopped$`, "m"));
        const kills = host
            .dockerCalls()
            .slice(docker)
            .filter((c) => c.startsWith("kill"));
        assert.equal(kills.length, 1, kills.join("\n"));
        assert.equal(kills[0].split(" ")[1], "--signal=SIGQUIT");
        assert.deepEqual(await installerRuns(host), ["001", "002"]);
        await assertHealthy(host);
    });

    it("--replace of start: a media node drains and starts again, a master stops and starts again; then health; no reinstall", async function () {
        await deployedFor(media[0], masters[2]);
        for (const [host, undo] of [
            [media[0], /drained and stopped$/],
            [masters[2], /openvidu stopped$/],
        ] as const) {
            const run = await replace(host, "start");
            const [start, health] = [name(host, "start"), name(host, "health")];
            assert.deepEqual(run.on(host), [`${start} delete`, `${start} create`, `${health} create`]);
            onlyOn(run, host);
            assert.match(result(run, start, "delete").stdout, undo);
            assert.deepEqual(await installerRuns(host), ["001"]);
            await assertHealthy(host);
        }
    });

    it("--replace of health or preflight runs that check again, nothing else", async function () {
        await deployedFor(masters[1], media[0]);
        for (const [host, kind] of [
            [masters[1], "health"],
            [media[0], "preflight"],
        ] as const) {
            const run = await replace(host, kind);
            assert.deepEqual(run.on(host), [`${name(host, kind)} create`]);
            onlyOn(run, host);
            await assertHealthy(host);
        }
    });
});
