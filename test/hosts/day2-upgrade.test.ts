// Day 2 on test hosts, as sequences of `pulumi up`s through the engine model: 3.0.0 -> 3.8.0 through the 3.5.0
// checkpoint with the updater test double (known phase times), then config changes on the upgraded cluster.
import { strict as assert } from "assert";
import { sampleProcesses, TestHost } from "./harness";
import { ClusterSpec, filesHolding, installerRuns, RUN_TAG, setKnob } from "./deployment";
import { envOf, RanStep, SavedStack, serviceCalls, Stack, UpResult, upWithoutLeaks, versionOf } from "./day2";
import { useLab } from "./lab";
import { Stages } from "./stages";
import { outageWindowsMs } from "../../tools/bench/deploy-timing";

const UPDATER_SECONDS = "/etc/openvidu-updater-double/seconds";
/** Known phase times of the updater double: pulling its image (skipped when pre-pulled), migrating one step. */
const PULL_SECONDS = 3;
const MIGRATE_SECONDS = 1;

/** Names of the steps of an up that ran a command, with their host label, e.g. converge-master-1-final-stop. */
const ranNames = (u: UpResult) => u.ran.map((r) => r.name).sort();
const byName = (u: UpResult, name: string): RanStep => {
    const r = u.ran.find((x) => x.name === name);
    if (!r) throw new Error(`${name} did not run; ran: ${ranNames(u).join(", ")}`);
    return r;
};

describe("day 2: upgrade 3.0.0 -> 3.8.0 and config changes, as pulumi ups (engine model)", function () {
    // A test run alone reaches its stage first (up to three ups on a loaded machine).
    this.timeout(600_000);
    const good = { cpus: 4, memMb: 8192 };
    const lab = useLab([good, good, good, good, good, good, good]);
    let masters: TestHost[], media: TestHost[], spare: TestHost, stack: Stack;
    let spec38: ClusterSpec;
    const labelOf = (h: TestHost) => (masters.includes(h) ? `master-${masters.indexOf(h) + 1}` : `media-${h.address.replace(/\./g, "-")}`);
    const all = () => [...masters, ...media];

    // Each test starts from a saved stage (hosts' disks with the stack's state, stages.ts): the first up on 3.0.0;
    // upgraded to 3.8.0. A stage is reached once, by the first test that needs it.
    const stages = new Stages(() => lab.hosts.hosts, {
        save: () => stack.save(),
        restore: (s) => stack.restore(s as SavedStack),
    });
    const spec30 = () => ({ masters, media, config: { openviduVersion: "3.0.0" } });
    const deployed = stages.define("deployed-3.0.0", () => stack.up(spec30()));
    /** The upgrade to 3.8.0 (processes sampled), with the service calls and the updater server's requests during it. */
    const upgraded = stages.define("upgraded-3.8.0", async () => {
        await stages.from(deployed);
        const calls = all().map((host) => host.systemctlCalls().length);
        const requests = lab.server.requests.length;
        const { result, samples } = await sampleProcesses(stack.up(spec38));
        return { upgrade: result, samples, calls, fetched: lab.server.requests.slice(requests).map((r) => r.path) };
    });

    before(async function () {
        const h = lab.hosts.hosts;
        masters = h.slice(0, 4);
        media = h.slice(4, 6);
        spare = h[6];
        stack = new Stack(lab);
        for (const host of h) await setKnob(host, UPDATER_SECONDS, `pull ${PULL_SECONDS} migrate ${MIGRATE_SECONDS}`);
        spec38 = { masters, media, config: { openviduVersion: "3.8.0" } };
    });
    afterEach(function () {
        if (this.currentTest?.state !== "passed") stages.forget();
    });

    it("first up on 3.0.0: installs every node; the convergence chain is created and runs nothing (its commands are updates)", async function () {
        const up = await stages.reach(deployed);
        assert.equal(up.failed, undefined, up.failed?.stderr);
        for (const host of all()) assert.equal(await versionOf(host), "3.0.0");
        assert.deepEqual(
            ranNames(up).filter((n) => n.startsWith("converge-")),
            [],
        );
        // Both rounds, so that the upgrade below updates the checkpoint round's steps (a create would run nothing).
        const created = up.plan.steps.filter((s) => s.op === "create" && /^converge-.+-(check|(checkpoint|final)-(stop|update|start))$/.test(s.name));
        assert.equal(created.length, all().length * 7);
    });

    it("up again unchanged: nothing runs", async function () {
        await stages.from(deployed, []);
        const up = await stack.up(spec30());
        assert.deepEqual(up.ran, []);
        assert.deepEqual(up.plan.describe(), []);
    });

    it("openviduVersion 3.8.0: every node upgraded through the 3.5.0 checkpoint, in the vendor's order", async function () {
        const { upgrade, samples, calls, fetched: served } = await stages.reach(upgraded);
        assert.equal(upgrade.failed, undefined, `${upgrade.failed?.name}: ${upgrade.failed?.stderr}`);
        for (const [i, host] of all().entries()) {
            assert.equal(await versionOf(host), "3.8.0", host.name);
            // Stopped and started twice: at the checkpoint (3.5.0) and at the end; the updater itself stops once per step.
            const service = serviceCalls(host, calls[i]).filter((c, j, list) => c !== list[j - 1]);
            assert.deepEqual(service, ["stop", "start", "stop", "start"], `${host.name}: ${serviceCalls(host, calls[i]).join(",")}`);
            // The updater's backups, one per step (<DATE>_<VERSION from>), kept.
            const backups = (await host.exec("ls /opt/openvidu/backups")).stdout
                .split("\n")
                .filter(Boolean)
                .map((b) => b.replace(/^\d{14}_/, ""));
            assert.deepEqual(backups.sort(), ["3.0.0", "3.1.0", "3.2.0", "3.3.0", "3.4.0", "3.4.1", "3.5.0", "3.6.0", "3.6.1", "3.7.0"]);
            assert.equal((await host.exec("systemctl is-active openvidu")).stdout.trim(), "active");
        }
        // The updater came from updaterBaseUrl (the test server), HTTPS, per leg and per intermediate step.
        const fetched = served.filter((p) => p.startsWith("/update/"));
        assert.equal(fetched.filter((p) => p === "/update/3.5.0/update.sh").length, 6);
        assert.equal(fetched.filter((p) => p === "/update/3.8.0/update.sh").length, 6);
        assert.equal(fetched.filter((p) => p === "/update/3.3.0/update-new.sh").length, 6);
        // Order: per round, every media node stopped before any master, every master started before any media node.
        for (const round of ["checkpoint", "final"]) {
            const t = (kind: string, hosts: TestHost[], at: "started" | "ended") =>
                hosts.map((h) => byName(upgrade, `converge-${labelOf(h)}-${round}-${kind}`)[at]);
            assert.ok(Math.max(...t("stop", media, "ended")) <= Math.min(...t("stop", masters, "started")), `${round}: media stop before masters`);
            assert.ok(Math.max(...t("stop", masters, "ended")) <= Math.min(...t("update", all(), "started")), `${round}: all stopped before updates`);
            assert.ok(Math.max(...t("update", all(), "ended")) <= Math.min(...t("start", masters, "started")), `${round}: updates before starts`);
            assert.ok(Math.max(...t("start", masters, "ended")) <= Math.min(...t("start", media, "started")), `${round}: masters healthy before media start`);
        }
        // Updates ran in parallel: the final round's updates overlap in time.
        const finals = all().map((h) => byName(upgrade, `converge-${labelOf(h)}-final-update`));
        assert.ok(Math.min(...finals.map((r) => r.ended)) > Math.max(...finals.map((r) => r.started)), "updates overlap");
        // What did not run: the installers (install.sh found the nodes installed and deferred).
        for (const host of all()) {
            assert.match(
                byName(upgrade, `${masters.includes(host) ? `masters-${masters.indexOf(host) + 1}` : labelOf(host)}-install`).stdout,
                /installed earlier with other inputs .* the converge steps apply the change$/,
            );
            assert.deepEqual((await host.exec("ls /var/log/openvidu-installer-double")).stdout.trim().split("\n"), ["001"]);
        }
        assert.ok(
            !upgrade.ran.some((r) => /-(preflight|start|health)$/.test(r.name) && !r.name.startsWith("converge-")),
            "no provisioning step but install ran",
        );
        // No secret in any process argument list (no installer ran), step output, or file outside /opt/openvidu.
        for (const secret of upgrade.secrets) {
            assert.deepEqual(samples.containing(secret), [], "a secret in a process argument list");
            assert.ok(!upgrade.ran.some((r) => (r.stdout + r.stderr).includes(secret)), "a secret in a step's output");
        }
        for (const host of all()) {
            const files = (await filesHolding(host, upgrade.secrets)).filter(
                (f) => !f.startsWith("/opt/openvidu/") && !f.startsWith("/var/log/openvidu-installer-double/"),
            );
            assert.deepEqual(files, [], `${host.name}: secrets in files`);
        }
        // Downtime: from the first master stop to the first master healthy, per outage (as `npm run bench` measures it).
        const outages = outageWindowsMs(upgrade.ran, masters.map(labelOf), ["checkpoint", "final"]);
        console.log(
            `      downtime (updater double: pull ${PULL_SECONDS}s pre-pulled, migrate ${MIGRATE_SECONDS}s per step; 6 steps to 3.5.0, 4 to 3.8.0): ` +
                `checkpoint outage ${(outages.checkpoint / 1000).toFixed(1)}s, final outage ${(outages.final / 1000).toFixed(1)}s`,
        );
        // Benchmark, not an assertion on time: the pull (pre-pulled while serving) is not inside an outage.
    });

    it("3.8.0 with a changed license: written on every master, master-1 restarted, nothing stopped elsewhere", async function () {
        await stages.from(upgraded);
        const calls = all().map((host) => host.systemctlCalls().length);
        const license = `${RUN_TAG}-RENEWED-LICENSE-secret`;
        const up = await upWithoutLeaks(stack, { ...spec38, config: { ...spec38.config, license } }, all());
        assert.equal(up.failed, undefined, up.failed?.stderr);
        for (const [i, host] of all().entries()) {
            assert.equal(await versionOf(host), "3.8.0", host.name);
            if (masters.includes(host)) assert.equal((await envOf(host, "config/cluster/openvidu.env")).OPENVIDU_PRO_LICENSE, license, host.name);
            assert.deepEqual(serviceCalls(host, calls[i]), host === masters[0] ? ["restart"] : [], host.name);
        }
        assert.match(byName(up, "converge-master-1-check").stdout, /: in-place \(applies --openvidu-pro-license\)$/);
        assert.match(byName(up, `converge-${labelOf(media[0])}-check`).stdout, /: in-place$/);
        // What did not run: no installer, no provisioning step (install.sh deferred to the chain).
        for (const host of all()) assert.deepEqual(await installerRuns(host), ["001"], host.name);
        assert.deepEqual(
            up.ran.filter((r) => !r.name.startsWith("converge-") && !r.name.endsWith("-install")).map((r) => r.name),
            [],
        );
        assert.ok(!up.ran.some((r) => (r.stdout + r.stderr).includes(license)));
    });

    /** A cluster-wide change: every node stopped once and started once, media first down and last up. */
    async function clusterRestart(config: Record<string, unknown>): Promise<UpResult> {
        await stages.from(upgraded);
        const calls = all().map((host) => host.systemctlCalls().length);
        const up = await upWithoutLeaks(stack, { ...spec38, config }, all());
        assert.equal(up.failed, undefined, up.failed?.stderr);
        for (const [i, host] of all().entries()) {
            assert.deepEqual(serviceCalls(host, calls[i]), ["stop", "start"], host.name);
            assert.equal(await versionOf(host), "3.8.0", host.name);
            assert.equal((await host.exec("systemctl is-active openvidu")).stdout.trim(), "active", host.name);
        }
        const phase = (hosts: TestHost[], kind: string) => hosts.map((h) => byName(up, `converge-${labelOf(h)}-final-${kind}`));
        assert.ok(Math.max(...phase(media, "stop").map((r) => r.ended)) <= Math.min(...phase(masters, "stop").map((r) => r.started)), "media down first");
        assert.ok(Math.max(...phase(masters, "start").map((r) => r.ended)) <= Math.min(...phase(media, "start").map((r) => r.started)), "media up last");
        // What did not run: the checkpoint round (a 3.8.0 cluster has nothing to do there), any installer.
        assert.deepEqual([...new Set(up.ran.filter((r) => r.name.includes("-checkpoint-")).map((r) => r.stdout.replace(/^.*: /, "")))].sort(), [
            "nothing to start (cluster)",
            "nothing to stop (cluster)",
            "nothing to update in this round",
        ]);
        for (const host of all()) assert.deepEqual(await installerRuns(host), ["001"], host.name);
        return up;
    }

    it("a changed module set: the cluster restarts, media first down and last up; the module list on every master", async function () {
        const up = await clusterRestart({ ...spec38.config, modules: ["observability", "openviduMeet"] });
        for (const host of masters) assert.equal((await envOf(host, "config/cluster/openvidu.env")).ENABLED_MODULES, "observability,openviduMeet", host.name);
        assert.match(byName(up, "converge-master-1-check").stdout, /: cluster \(applies --enabled-modules\)$/);
    });

    it("a changed Redis password: the cluster restarts; the new password on every node, masters and media", async function () {
        const redisPassword = `${RUN_TAG}-new-redis-secret`;
        await clusterRestart({ ...spec38.config, redisPassword });
        for (const host of all()) {
            const file = masters.includes(host) ? "config/node/master_node.env" : "config/node/media_node.env";
            assert.equal((await envOf(host, file)).REDIS_PASSWORD, redisPassword, host.name);
        }
    });

    it("a changed MongoDB replica-set key is refused by the masters' checks before any node is touched", async function () {
        await stages.from(upgraded);
        const calls = all().map((host) => host.systemctlCalls().length);
        const up = await stack.up({ ...spec38, config: { ...spec38.config, mongoReplicaSetKey: `${RUN_TAG}-other-replica-key` } });
        assert.ok(up.failed);
        assert.match(up.failed.name, /^converge-master-\d-check$/);
        assert.equal(
            up.failed.stderr,
            `converge check failed on ${up.failed.name.replace(/^converge-|-check$/g, "")}: nothing was changed on any node.\n` +
                "mongoReplicaSetKey (--mongo-replica-set-key) cannot change on a running cluster: the keyfile members of a running MongoDB replica set authenticate each other with; changing it on a running replica set splits it",
        );
        assert.ok(!up.ran.some((r) => /-(stop|update|start)$/.test(r.name)), "no stop, update or start ran");
        for (const [i, host] of all().entries()) assert.deepEqual(serviceCalls(host, calls[i]), [], host.name);
        // Reverted: the next up finds nothing to do on any node.
        const reverted = await stack.up(spec38);
        assert.equal(reverted.failed, undefined, reverted.failed?.stderr);
        for (const [i, host] of all().entries()) assert.deepEqual(serviceCalls(host, calls[i]), [], host.name);
    });

    it("a media node added and one removed in the same up: the new one installs 3.8.0, the old one drains; no other node touched", async function () {
        const removed = media[1];
        await stages.from(upgraded, [spare, removed]);
        const calls = all().map((host) => host.systemctlCalls().length);
        const up = await upWithoutLeaks(stack, { ...spec38, media: [media[0], spare] }, [...all(), spare]);
        assert.equal(up.failed, undefined, up.failed?.stderr);
        assert.equal(await versionOf(spare), "3.8.0");
        assert.equal((await spare.exec("systemctl is-active openvidu")).stdout.trim(), "active");
        assert.equal((await envOf(spare, "config/node/media_node.env")).REDIS_PASSWORD, up.config.redisPassword);
        assert.equal((await removed.exec("systemctl is-active openvidu")).stdout.trim(), "inactive");
        assert.ok(up.ran.some((r) => r.name === `${labelOf(removed)}-start` && r.operation === "delete" && /drained and stopped$/.test(r.stdout)));
        for (const [i, host] of all().entries()) {
            if (host !== removed) assert.deepEqual(serviceCalls(host, calls[i]), [], host.name);
        }
        assert.ok(
            up.ran.every((r) => r.host === spare.address || r.host === removed.address),
            up.ran.map((r) => r.name).join(", "),
        );
    });
});
