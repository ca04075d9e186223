// Day 2 on AWS, run for real: 4 masters booted by the program's user data on test hosts (IMDS, S3, Secrets Manager
// fakes), then `pulumi up` writes new versions of the cluster secret and each master's converge watcher
// (converge-watch.sh, started as its systemd unit would start it) brings it there with the shared converge.sh:
// the upgrade 3.0.0 -> 3.8.0 through the 3.5.0 checkpoint with the updater double, a license (in place), a module
// set and Redis password (cluster-wide), a refused key, a failed health gate resumed, and a master replaced on its
// data volume. The masters meet at barriers (objects in the fake cluster-data bucket).
// Each test starts from a saved stage (stages.ts: the hosts' disks and data volumes with the fake AWS's secrets, S3
// objects and Auto Scaling state): booted on 3.0.0; upgraded to 3.8.0; then rtcEngine changed. A stage is reached
// once, by the first test that needs it, so every test runs alone (--grep) or in any order.
import { strict as assert } from "assert";
import { releaseLineOf } from "../../../components/core/release-lines";
import { CredentialKey } from "../../../components/core/types";
import { sampleProcesses, TestHost } from "../harness";
import { filesHolding, installerRuns, KNOBS, setKnob } from "../deployment";
import { envOf, serviceCalls, versionOf } from "../day2";
import { Stages } from "../stages";
import { AwsLab, AwsNode, CLUSTER_BUCKET, runUserData, SavedAwsLab, startAwsLab } from "./aws-lab";

const UPDATER_SECONDS = "/etc/openvidu-updater-double/seconds";
const PULL_SECONDS = 3;
const MIGRATE_SECONDS = 1;
const PREFIX = "openvidu-ha/converge";

describe("AWS day 2 on test hosts: the masters' converge watcher against new versions of the cluster secret", function () {
    // A test run alone reaches its stage first (up to the boot, the upgrade and a convergence on a loaded machine).
    this.timeout(900_000);
    let lab: AwsLab;
    let masters: AwsNode[];
    const hosts = () => masters.map((m) => m.host);

    const stages = new Stages(
        () => hosts(),
        { save: () => lab.save(), restore: (s) => lab.restore(s as SavedAwsLab) },
        (host) => lab.volumeOf(host),
    );

    before(async function () {
        lab = await startAwsLab(4, (h) => h.slice(0, 4).map((x) => x.address), "3.0.0");
        masters = [];
        for (const [i, host] of lab.hosts.hosts.entries()) {
            await setKnob(host, UPDATER_SECONDS, `pull ${PULL_SECONDS} migrate ${MIGRATE_SECONDS}`);
            masters.push(await lab.master(host, `master-${i + 1}`));
        }
    });
    afterEach(function () {
        if (this.currentTest?.state !== "passed") stages.forget();
    });
    after(async function () {
        if (lab) assert.deepEqual(await lab.teardown(), [], "leftovers after teardown");
    });

    /** The converge service's ExecStart, as the timer starts it (barrier polls every second instead of 5). */
    const watch = (node: AwsNode) =>
        node.host.exec(
            "line=$(sed -n 's/^ExecStart=//p' /etc/systemd/system/openvidu-ha-converge.service) && " +
                'OPENVIDU_HA_BARRIER_POLL_SECONDS=1 OPENVIDU_HA_BARRIER_TIMEOUT_SECONDS=240 exec sh -c "$line" 2>&1',
            { timeoutMs: 400_000 },
        );
    const watchAll = () => Promise.all(masters.map(watch));
    const object = (key: string) => lab.aws.objects.get(CLUSTER_BUCKET)?.get(key)?.toString("utf8");
    /** When each master's barrier object of a step was written (the fake S3's clock). */
    const putTimes = (generation: string, step: string) =>
        masters.map((_, i) => {
            const puts = lab.aws.requests.filter(
                (x) => x.action === "s3:PutObject" && x.status === 200 && x.resource.endsWith(`/${PREFIX}/${generation}/${step}/master-${i + 1}`),
            );
            assert.ok(puts.length > 0, `no ${step} object of master-${i + 1}`);
            return puts[puts.length - 1].at!;
        });
    /** Outage of a round: the last master passing the previous barrier (all stop right after) to the first healthy. */
    const outage = (generation: string, before: string, round: string) =>
        (Math.min(...putTimes(generation, `${round}-start`)) - Math.max(...putTimes(generation, before))) / 1000;
    /** Credentials of a release line: the ones already set kept, new ones generated. */
    const credentialsFor = (version: string): Partial<Record<CredentialKey, string>> => {
        const line = releaseLineOf(version)!;
        return Object.fromEntries(line.credentials.map((k) => [k, lab.clusterInput.credentials[k] ?? `${lab.hosts.runId}-${k}-secret-38`]));
    };
    const noSecretLeft = async (samples: Awaited<ReturnType<typeof sampleProcesses>>["samples"], outputs: string[]) => {
        for (const secret of lab.secretValues) {
            assert.deepEqual(
                samples.containing(secret).map((p) => p.args.slice(0, 120)),
                [],
                "a secret in a process argument list",
            );
            assert.ok(!outputs.some((o) => o.includes(secret)), `a secret in the journal: ${secret.slice(0, 12)}...`);
        }
        for (const host of hosts()) {
            const files = (await filesHolding(host, lab.secretValues)).filter(
                (f) => !f.startsWith("/opt/openvidu/") && !f.startsWith("/var/log/openvidu-installer-double/"),
            );
            assert.deepEqual(files, [], `${host.name}: secrets in files outside /opt/openvidu`);
        }
        for (const [key, value] of lab.aws.objects.get(CLUSTER_BUCKET) ?? []) {
            if (key.startsWith(PREFIX)) assert.ok(!lab.secretValues.some((s) => value.toString("utf8").includes(s)), `a secret in s3 ${key}`);
        }
    };

    /** The 4 masters' first boot (user data) on 3.0.0. */
    const booted = stages.define("booted-3.0.0", async () => {
        const runs = await Promise.all(masters.map(runUserData));
        for (const [i, b] of runs.entries()) if (b.exitCode !== 0) throw new Error(`master-${i + 1}'s boot failed:\n${b.output}`);
    });
    /**
     * pulumi up with openviduVersion 3.8.0 and every watcher run (master-4's updater migrating 3 times slower):
     * the watchers' results and processes, and what each host's systemctl double and the fakes recorded meanwhile.
     */
    const upgraded = stages.define("upgraded-3.8.0", async () => {
        await stages.from(booted);
        const calls = hosts().map((h) => h.systemctlCalls().length);
        const timedCalls = hosts().map((h) => h.systemctlCallTimes().length);
        const requests = lab.aws.requests.length;
        const downloads = lab.server.requests.length;
        const generation = lab.putClusterSecret({
            openviduVersion: "3.8.0",
            line: releaseLineOf("3.8.0")!,
            modules: releaseLineOf("3.8.0")!.defaultModules,
            credentials: credentialsFor("3.8.0"),
        });
        // master-4's updater migrates 3 times slower: without the meetings the other three would start (and stop
        // again) while it still updates.
        const slow = hosts()[3];
        await setKnob(slow, UPDATER_SECONDS, `pull ${PULL_SECONDS} migrate ${MIGRATE_SECONDS * 3}`);
        const { samples, result } = await sampleProcesses(watchAll()).finally(() =>
            setKnob(slow, UPDATER_SECONDS, `pull ${PULL_SECONDS} migrate ${MIGRATE_SECONDS}`),
        );
        return {
            generation,
            samples,
            result,
            service: hosts().map((h, i) => serviceCalls(h, calls[i])),
            timedCalls: hosts().map((h, i) => h.systemctlCallTimes().slice(timedCalls[i])),
            requests: lab.aws.requests.slice(requests),
            downloads: lab.server.requests.slice(downloads),
        };
    });
    /** From the upgrade (every watcher converged), pulumi up with rtcEngine mediasoup, every watcher converged. */
    const mediasoup = stages.define("rtc-engine-mediasoup", async () => {
        const { result } = await stages.from(upgraded);
        for (const [i, r] of result.entries()) if (r.exitCode !== 0) throw new Error(`master-${i + 1}'s upgrade failed:\n${r.stdout}`);
        lab.putClusterSecret({ rtcEngine: "mediasoup" });
        for (const [i, r] of (await watchAll()).entries()) if (r.exitCode !== 0) throw new Error(`master-${i + 1}'s convergence failed:\n${r.stdout}`);
    });
    /** Tests that change the upgraded cluster start from it, its upgrade having succeeded. */
    const fromUpgraded = async () => {
        const { result } = await stages.from(upgraded);
        for (const [i, r] of result.entries()) assert.equal(r.exitCode, 0, `master-${i + 1}'s upgrade failed:\n${r.stdout}`);
    };

    it("booted masters: the converge timer is enabled, each reported its status, and the watcher finds nothing new", async function () {
        await stages.reach(booted);
        for (const [i, m] of masters.entries()) {
            assert.ok(m.host.systemctlCalls().includes("enable openvidu-ha-converge.timer"), m.host.name);
            assert.match(object(`${PREFIX}/status/master-${i + 1}`)!, /^generation=[0-9a-f]{16}\nversion=3\.0\.0\n$/);
        }
        const runs = await watchAll();
        for (const r of runs) assert.deepEqual([r.exitCode, r.stdout], [0, ""]);
    });

    it("openviduVersion 3.8.0: every master upgraded through the 3.5.0 checkpoint, the 4 meeting after each phase; backups kept", async function () {
        const { generation, samples, result, service: serviceOf, timedCalls, requests: ran, downloads } = await stages.reach(upgraded);
        for (const [i, r] of result.entries()) {
            assert.equal(r.exitCode, 0, r.stdout);
            assert.match(
                r.stdout,
                new RegExp(`converge watch on master-${i + 1}: converged to the cluster secret version ${generation} \\(OpenVidu 3\\.8\\.0\\)`),
            );
        }
        for (const [i, host] of hosts().entries()) {
            assert.equal(await versionOf(host), "3.8.0");
            const service = serviceOf[i].filter((c, j, list) => c !== list[j - 1]);
            assert.deepEqual(service, ["stop", "start", "stop", "start"], host.name);
            const backups = (await host.exec("ls /opt/openvidu/backups")).stdout
                .split("\n")
                .filter(Boolean)
                .map((b) => b.replace(/^\d{14}_/, ""));
            assert.deepEqual(backups.sort(), ["3.0.0", "3.1.0", "3.2.0", "3.3.0", "3.4.0", "3.4.1", "3.5.0", "3.6.0", "3.6.1", "3.7.0"]);
            assert.equal((await host.exec("systemctl is-active openvidu")).stdout.trim(), "active");
            assert.deepEqual(await installerRuns(host), ["001"], "no reinstall");
            assert.match(object(`${PREFIX}/status/master-${i + 1}`)!, /\nversion=3\.8\.0\n$/);
        }
        const steps = ["check", "checkpoint-stop", "checkpoint-update", "checkpoint-start", "final-stop", "final-update", "final-start"];
        // The meetings (converge-watch.sh `barrier`): after each phase, each master read every master's object of
        // that phase (a listing that returned it), written before, and only then wrote its next one (the status
        // object after the last phase).
        for (const [j, m] of masters.entries()) {
            const own = ran.filter((r) => r.instanceId === m.instance.spec.instanceId && r.status === 200);
            const putAt = (key: string) => own.find((r) => r.action === "s3:PutObject" && r.resource.endsWith(`/${key}`))?.at;
            for (const [s, step] of steps.entries()) {
                const next = putAt(s + 1 < steps.length ? `${PREFIX}/${generation}/${steps[s + 1]}/master-${j + 1}` : `${PREFIX}/status/master-${j + 1}`)!;
                for (const [i, written] of putTimes(generation, step).entries()) {
                    const key = `${PREFIX}/${generation}/${step}/master-${i + 1}`;
                    assert.ok(
                        own.some((r) => r.action === "s3:ListBucket" && r.listed!.includes(key) && r.at! >= written && r.at! <= next),
                        `master-${j + 1} went on after ${step} without reading master-${i + 1}'s object`,
                    );
                }
            }
        }
        // Barriers: all 4 passed every phase, in order; no master updated before all had stopped.
        for (let s = 1; s < steps.length; s++) {
            assert.ok(Math.max(...putTimes(generation, steps[s - 1])) <= Math.min(...putTimes(generation, steps[s])), `${steps[s - 1]} before ${steps[s]}`);
        }
        // What the meetings promise, from the hosts' own records: per round, no master stopped before every master
        // had finished the previous phase, and none started before every master's update had finished.
        const service = timedCalls.map((calls) => calls.filter((c) => /^(start|stop) openvidu$/.test(c.call)));
        const starts = service.map((calls) => calls.filter((c) => c.call === "start openvidu").map((c) => c.at));
        const finalStops = service.map((calls, i) => calls.find((c) => c.call === "stop openvidu" && c.at > starts[i][0])!.at);
        const earliest = (times: number[]) => Math.min(...times);
        const last = (step: string) => Math.max(...putTimes(generation, step));
        assert.ok(earliest(service.map((calls) => calls[0].at)) >= last("check"), "a master stopped before every master's check finished");
        assert.ok(earliest(starts.map((t) => t[0])) >= last("checkpoint-update"), "a master started before every master's checkpoint update finished");
        assert.ok(earliest(finalStops) >= last("checkpoint-start"), "a master stopped again before every master had started at the checkpoint");
        assert.ok(earliest(starts.map((t) => t[1])) >= last("final-update"), "a master started before every master's final update finished");
        // The updater came from updaterBaseUrl over HTTPS, fetched during the check (before the outage).
        const fetched = downloads.filter((r) => r.path.startsWith("/update/")).map((r) => r.path);
        assert.equal(fetched.filter((p) => p === "/update/3.5.0/update.sh").length, 4);
        assert.equal(fetched.filter((p) => p === "/update/3.8.0/update.sh").length, 4);
        await noSecretLeft(
            samples,
            result.map((r) => r.stdout),
        );
        const outages = [outage(generation, "check", "checkpoint"), outage(generation, "checkpoint-start", "final")];
        console.log(
            `      downtime on AWS (updater double: pull ${PULL_SECONDS}s pre-pulled, migrate ${MIGRATE_SECONDS}s per step; barrier poll 1s): ` +
                `checkpoint outage ${outages[0].toFixed(1)}s (6 steps), final outage ${outages[1].toFixed(1)}s (4 steps)`,
        );
    });

    it("a renewed license: written on every master, master-1 restarted and health-gated, nothing stopped elsewhere", async function () {
        await fromUpgraded();
        const calls = hosts().map((h) => h.systemctlCalls().length);
        const license = `${lab.hosts.runId}-RENEWED-LICENSE-secret`;
        lab.putClusterSecret({ license });
        const { samples, result } = await sampleProcesses(watchAll());
        for (const r of result) assert.equal(r.exitCode, 0, r.stdout);
        assert.match(
            result[0].stdout,
            /converge check \(final\) on master-1: installed 3\.8\.0, configured 3\.8\.0: in-place \(applies --openvidu-pro-license\)/,
        );
        assert.match(result[0].stdout, /restarted \(applies the change to every master\)\n.*healthy after \d+s/);
        for (const [i, host] of hosts().entries()) {
            assert.equal((await envOf(host, "config/cluster/openvidu.env")).OPENVIDU_PRO_LICENSE, license, host.name);
            assert.deepEqual(serviceCalls(host, calls[i]), i === 0 ? ["restart"] : [], host.name);
        }
        await noSecretLeft(
            samples,
            result.map((r) => r.stdout),
        );
    });

    it("a changed module set and Redis password: the whole cluster stops and starts (health-gated); values on every master", async function () {
        await fromUpgraded();
        const calls = hosts().map((h) => h.systemctlCalls().length);
        const redisPassword = `${lab.hosts.runId}-new-redis-secret`;
        const generation = lab.putClusterSecret({
            modules: ["observability", "openviduMeet"],
            credentials: { ...lab.clusterInput.credentials, redisPassword },
        });
        const { samples, result } = await sampleProcesses(watchAll());
        for (const r of result) assert.equal(r.exitCode, 0, r.stdout);
        for (const [i, host] of hosts().entries()) {
            assert.deepEqual(serviceCalls(host, calls[i]), ["stop", "start"], host.name);
            assert.equal((await envOf(host, "config/cluster/openvidu.env")).ENABLED_MODULES, "observability,openviduMeet");
            assert.equal((await envOf(host, "config/node/master_node.env")).REDIS_PASSWORD, redisPassword);
        }
        await noSecretLeft(
            samples,
            result.map((r) => r.stdout),
        );
        console.log(
            `      downtime on AWS of a cluster-wide config change (Redis password, modules): ${outage(generation, "checkpoint-start", "final").toFixed(1)}s`,
        );
    });

    it("a changed MongoDB replica-set key is refused by every master's check before anything is stopped; reverting it changes nothing", async function () {
        await fromUpgraded();
        const calls = hosts().map((h) => h.systemctlCalls().length);
        const kept = lab.clusterInput.credentials;
        const generation = lab.putClusterSecret({ credentials: { ...kept, mongoReplicaSetKey: `${lab.hosts.runId}-other-replica-key` } });
        const result = await watchAll();
        for (const [i, r] of result.entries()) {
            assert.equal(r.exitCode, 1, r.stdout);
            assert.match(r.stdout, /mongoReplicaSetKey \(--mongo-replica-set-key\) cannot change on a running cluster/);
            assert.match(object(`${PREFIX}/${generation}/failed/master-${i + 1}`)!, /converge check failed on master-\d: nothing was changed on any node\./);
            assert.equal(object(`${PREFIX}/${generation}/checkpoint-stop/master-${i + 1}`), undefined);
        }
        for (const [i, host] of hosts().entries()) assert.deepEqual(serviceCalls(host, calls[i]), [], host.name);
        lab.putClusterSecret({ credentials: kept });
        for (const r of await watchAll()) assert.equal(r.exitCode, 0, r.stdout);
        for (const [i, host] of hosts().entries()) assert.deepEqual(serviceCalls(host, calls[i]), [], host.name);
    });

    it("a master whose health gate fails records it; the others stop waiting; the next run resumes and completes", async function () {
        await fromUpgraded();
        const failing = masters[2];
        // Its OpenVidu answers only 45 s after a start: the first health gate (30 s) fails, the resumed one passes.
        await setKnob(failing.host, KNOBS.health, "delay 45");
        const generation = lab.putClusterSecret({ rtcEngine: "mediasoup" });
        const first = await watchAll();
        for (const r of first) assert.equal(r.exitCode, 1, r.stdout);
        assert.match(object(`${PREFIX}/${generation}/failed/master-3`)!, /did not answer within 30s/);
        assert.match(first[0].stdout, /master-3 failed, stopping after final-start/);
        const again = await watchAll();
        await setKnob(failing.host, KNOBS.health, "up");
        for (const r of again) assert.equal(r.exitCode, 0, r.stdout);
        assert.match(again[2].stdout, /converge start \(final\) on master-3: started/);
        assert.match(again[0].stdout, /converge stop \(final\) on master-1: done before/);
        for (const host of hosts()) assert.equal((await envOf(host, "config/cluster/openvidu.env")).OPENVIDU_RTC_ENGINE, "mediasoup");
    });

    it("a master replaced (new instance, same data volume) boots on its kept volume, reinstalls over it and converges", async function () {
        const node = masters[1];
        const host: TestHost = node.host;
        await stages.from(mediasoup);
        assert.equal((await host.exec("echo kept > /opt/openvidu/data/replaced-master-marker")).exitCode, 0);
        const uuid = (await host.exec(`blkid -o value -s UUID ${node.loop}`)).stdout.trim();
        // A new instance: a fresh root disk (nothing of the old one's /var/lib/openvidu-ha, /etc, units) and an empty
        // /run (no unit active), the same data volume.
        const wipe = await host.exec(
            "systemctl stop openvidu; umount /opt/openvidu && rm -rf /var/lib/openvidu-ha /etc/openvidu-ha /etc/systemd/system/openvidu* " +
                "/etc/systemd/system/multi-user.target.wants/openvidu* /run/systemctl-double/active/openvidu* /run/openvidu-ha* && " +
                "sed -i '\\# /opt/openvidu #d' /etc/fstab",
        );
        assert.equal(wipe.exitCode, 0, wipe.stderr);
        const boot = await runUserData(node);
        assert.equal(boot.exitCode, 0, boot.output);
        assert.doesNotMatch(boot.output, /formatting/);
        assert.match(boot.output, /install on master-2: reinstalling over data kept from a previous removal/);
        assert.equal((await host.exec(`blkid -o value -s UUID ${node.loop}`)).stdout.trim(), uuid);
        assert.equal(await host.readFile("/opt/openvidu/data/replaced-master-marker"), "kept\n");
        assert.equal(await versionOf(host), "3.8.0");
        assert.equal((await envOf(host, "config/cluster/openvidu.env")).OPENVIDU_RTC_ENGINE, "mediasoup", "the cluster secret's current configuration");
        // It installed from the current version: its watcher has nothing to do, the others neither.
        for (const r of await watchAll()) assert.deepEqual([r.exitCode, r.stdout], [0, ""]);
    });
});
