// AWS nodes that fail the way real nodes fail, and what the boot scripts and the masters' converge watcher do
// about it: a master and a media node whose OpenVidu answers 503 (the health gate holds the boot; the media node is
// replaced), and a converge watcher whose converge.sh prints secret values and fails (its journal and the failure
// object it shares with the other masters are masked; what it keeps while it runs is root-only). Each test has its
// own host and boots it itself.
import { strict as assert } from "assert";
import { TestHost } from "../harness";
import { installerRuns, KNOBS, setKnob } from "../deployment";
import { AwsLab, CLUSTER_BUCKET, runUserData, startAwsLab } from "./aws-lab";

const H = { watcher: 0, master: 1, media: 2, meetings: 3 };
const PREFIX = "openvidu-ha/converge";

/** "<mode> <owner:group> <type> <path>" lines that any user but root could read, or that root does not own. */
const readableByOthers = (lines: string[]) =>
    lines.filter((l) => {
        const [mode, owner] = l.split(" ");
        return owner !== "root:root" || !/^[0-7]?[0-7]00$/.test(mode);
    });

describe("AWS nodes that fail like real nodes (boot scripts and converge watcher on test hosts)", function () {
    this.timeout(240_000);
    let lab: AwsLab;
    let h: TestHost[];

    before(async function () {
        // The secrets' master list: the watcher's host and three addresses no host has.
        lab = await startAwsLab(4, (hosts) => [hosts[H.watcher].address, "10.99.8.2", "10.99.8.3", "10.99.8.4"]);
        h = lab.hosts.hosts;
    });
    after(async function () {
        if (lab) assert.deepEqual(await lab.teardown(), [], "leftovers after teardown");
    });

    const object = (key: string) => lab.aws.objects.get(CLUSTER_BUCKET)?.get(key)?.toString("utf8");
    const calls = (instanceId: string) => lab.aws.requests.filter((r) => r.instanceId === instanceId);

    it("the converge watcher: nothing to do on the secret it booted from; a converge.sh printing secrets is masked; its files root-only", async function () {
        const node = await lab.master(h[H.watcher], "master-1");
        const host = node.host;
        const booted = await runUserData(node);
        assert.equal(booted.exitCode, 0, booted.output);
        const watch = (bootDir?: string) =>
            host.exec(`${bootDir ? `OPENVIDU_HA_BOOT_DIR=${bootDir} ` : ""}exec sh /var/lib/openvidu-ha/boot/converge-watch.sh 2>&1`, { timeoutMs: 120_000 });
        // The version it installed from: nothing to do, nothing written.
        const writes = () => calls(node.instance.spec.instanceId).filter((r) => r.action === "s3:PutObject").length;
        const before = writes();
        assert.deepEqual(await watch().then((r) => [r.exitCode, r.stdout]), [0, ""]);
        assert.equal(writes(), before, "the watcher wrote to S3 with nothing to do");

        // A converge.sh (as an updater might) prints the secret arguments it got on stdin, records what the watcher
        // keeps under /run/openvidu-ha at that moment, and fails. /run/openvidu-ha exists with loose modes.
        const stub = "/run/ovha-watch-stub";
        const setup = await host.exec(
            `rm -rf ${stub} && mkdir -p ${stub} && cp -a /var/lib/openvidu-ha/boot ${stub}/boot && ` +
                `printf '%s\\n' '#!/bin/sh' "find /run/openvidu-ha -exec stat -c '%a %U:%G %F %n' {} + > ${stub}/modes" ` +
                `'echo "converge stub: the arguments it got:"' 'cat' 'exit 1' > ${stub}/boot/converge.sh && ` +
                "mkdir -p /run/openvidu-ha && chmod 755 /run/openvidu-ha",
        );
        assert.equal(setup.exitCode, 0, setup.stderr);
        const generation = lab.putClusterSecret({ license: `${lab.hosts.runId}-RENEWED-LICENSE-secret` });
        const failed = await watch(`${stub}/boot`);
        assert.equal(failed.exitCode, 1, failed.stdout);
        assert.match(failed.stdout, /^converge stub: the arguments it got:$/m);
        assert.match(failed.stdout, /^S --openvidu-pro-license=\[secret\]$/m, "the stub's output reached the journal, masked");
        const shared = object(`${PREFIX}/${generation}/failed/master-1`);
        assert.ok(shared, "no failure object for the other masters");
        assert.match(shared, /^master-1: converge check \(final\) exited with 1$/m);
        assert.match(shared, /^S --openvidu-pro-license=\[secret\]$/m);
        for (const secret of lab.secretValues) {
            assert.ok(!failed.stdout.includes(secret), `a secret in the journal: ${secret.slice(0, 12)}...`);
            assert.ok(!shared.includes(secret), `a secret in the failure object: ${secret.slice(0, 12)}...`);
        }
        // While converge.sh ran: the watcher's arguments (every secret) 0600 root in 0700 root directories.
        const modes = (await host.readFile(`${stub}/modes`)).split("\n").filter(Boolean);
        assert.ok(modes.includes("700 root:root directory /run/openvidu-ha"), modes.join("\n"));
        assert.ok(
            modes.some((l) => /^600 root:root regular file \/run\/openvidu-ha\/watch\.\d+\/args$/.test(l)),
            modes.join("\n"),
        );
        assert.deepEqual(readableByOthers(modes), []);
        assert.equal((await host.exec("ls /run/openvidu-ha | grep '^watch\\.' || true")).stdout, "", "the watcher's secrets removed");
    });

    it("the converge watcher's meetings: one listing per poll, over several pages; it waits for every master and stops at another's failure", async function () {
        const node = await lab.master(h[H.meetings], "master-1");
        const host = node.host;
        const booted = await runUserData(node);
        assert.equal(booted.exitCode, 0, booted.output);
        // converge.sh stubbed (it succeeds): what is under test is the meeting between phases. The other three
        // masters are objects the test writes, as they would; S3 pages of 2 keys make each listing take several.
        const stub = "/run/ovha-meetings-stub";
        const setup = await host.exec(
            `rm -rf ${stub} && mkdir -p ${stub} && cp -a /var/lib/openvidu-ha/boot ${stub}/boot && printf '#!/bin/sh\\nexit 0\\n' > ${stub}/boot/converge.sh`,
        );
        assert.equal(setup.exitCode, 0, setup.stderr);
        const watch = (timeout: number) =>
            host.exec(
                `OPENVIDU_HA_BOOT_DIR=${stub}/boot OPENVIDU_HA_BARRIER_POLL_SECONDS=1 OPENVIDU_HA_BARRIER_TIMEOUT_SECONDS=${timeout} ` +
                    "exec sh /var/lib/openvidu-ha/boot/converge-watch.sh 2>&1",
                { timeoutMs: 120_000 },
            );
        const steps = ["check", "checkpoint-stop", "checkpoint-update", "checkpoint-start", "final-stop", "final-update", "final-start"];
        const others = (generation: string, upTo: string[], label: string) => {
            for (const step of upTo) lab.aws.putObject(CLUSTER_BUCKET, `${PREFIX}/${generation}/${step}/${label}`, `${label}\n`);
            // A failure record a retry cleared: empty, not a failure.
            lab.aws.putObject(CLUSTER_BUCKET, `${PREFIX}/${generation}/failed/${label}`, "");
        };
        const lists = () => calls(node.instance.spec.instanceId).filter((r) => r.action === "s3:ListBucket");
        lab.aws.listPageSize = 2;
        try {
            // Every other master there at every phase: it goes through, listing with continuation tokens.
            const first = lab.putClusterSecret({ license: `${lab.hosts.runId}-MEETINGS-LICENSE-secret` });
            for (const label of ["master-2", "master-3", "master-4"]) others(first, steps, label);
            const listed = lists().length;
            const passed = await watch(60);
            assert.equal(passed.exitCode, 0, passed.stdout);
            assert.match(passed.stdout, new RegExp(`converged to the cluster secret version ${first}`));
            const pages = lists().slice(listed);
            assert.ok(
                pages.every((r) => r.status === 200 && r.params?.["list-type"] === "2" && r.params.prefix === `${PREFIX}/${first}/`),
                JSON.stringify(pages),
            );
            assert.ok(
                pages.some((r) => r.params?.["continuation-token"] !== undefined),
                "no listing followed a continuation token",
            );
            assert.deepEqual(
                calls(node.instance.spec.instanceId).filter((r) => r.action === "s3:GetObject" && r.resource.includes(`/${PREFIX}/${first}/`)),
                [],
                "one GET per master instead of a listing",
            );

            // master-4 never checks in (its failure record cleared by a retry): it waits for it, and gives up at
            // the barrier timeout without going on.
            const waiting = lab.putClusterSecret({ license: `${lab.hosts.runId}-WAITING-LICENSE-secret` });
            for (const label of ["master-2", "master-3"]) others(waiting, steps, label);
            others(waiting, [], "master-4");
            const waited = await watch(3);
            assert.equal(waited.exitCode, 1, waited.stdout);
            assert.match(waited.stdout, /waited 3s after check for master-4; trying again later/);
            assert.equal(object(`${PREFIX}/${waiting}/checkpoint-stop/master-1`) ?? object(`${PREFIX}/${waiting}/final-stop/master-1`), undefined);

            // master-3 recorded a failure instead of its check: it stops and shows it.
            const failing = lab.putClusterSecret({ license: `${lab.hosts.runId}-FAILING-LICENSE-secret` });
            for (const label of ["master-2", "master-4"]) others(failing, steps, label);
            lab.aws.putObject(CLUSTER_BUCKET, `${PREFIX}/${failing}/failed/master-3`, "master-3: converge check (final) exited with 1\nits last line\n");
            const stopped = await watch(60);
            assert.equal(stopped.exitCode, 1, stopped.stdout);
            assert.match(
                stopped.stdout,
                /master-3 failed, stopping after check \(the next run resumes\):\n {4}master-3: converge check \(final\) exited with 1\n {4}its last line/,
            );
        } finally {
            lab.aws.listPageSize = 1000;
        }
    });

    it("a master whose OpenVidu answers 503: the boot fails at the health gate, is not marked complete, reports no status", async function () {
        const node = await lab.master(h[H.master], "master-2");
        await setKnob(node.host, KNOBS.health, "failing");
        const result = await runUserData(node);
        assert.notEqual(result.exitCode, 0, result.output);
        assert.match(result.output, /health gate failed on master-2: http:\/\/127\.0\.0\.1:7880\/health\/caddy did not answer within 30s/);
        assert.deepEqual(await installerRuns(node.host), ["001"]);
        assert.equal(await node.host.fileExists("/var/lib/openvidu-ha/boot-complete"), false, "a boot that failed resumes at the next boot");
        assert.equal(object(`${PREFIX}/status/master-2`), undefined, "new media nodes count an unhealthy master");
    });

    it("a media node whose OpenVidu answers 503: the health gate fails and it marks itself unhealthy (SetInstanceHealth)", async function () {
        // Its one master answers on Redis's port (a stand-in listener on the watcher's host), and no master has
        // reported a configuration (masters made before the converge watcher): the node does not wait for one.
        for (const m of [1, 2, 3, 4]) lab.aws.objects.get(CLUSTER_BUCKET)?.delete(`${PREFIX}/status/master-${m}`);
        const master = h[H.watcher];
        const redis = await master.exec(
            "setsid python3 -c 'import socket,sys; s=socket.create_server((sys.argv[1],7000)); [c.close() for c,_ in iter(s.accept, None)]' " +
                '"$1" </dev/null >/dev/null 2>&1 & echo $! > /run/redis-standin.pid',
            { args: [master.address] },
        );
        assert.equal(redis.exitCode, 0, redis.stderr);
        try {
            const node = await lab.media(h[H.media], { masterIps: [master.address], masterWaitSeconds: 60 });
            await setKnob(node.host, KNOBS.health, "failing");
            const result = await runUserData(node);
            const id = node.instance.spec.instanceId;
            assert.notEqual(result.exitCode, 0, result.output);
            assert.match(result.output, new RegExp(`boot failed on media-${id}: health gate; marking the instance unhealthy so it is replaced`));
            assert.deepEqual(await installerRuns(node.host), ["001"]);
            assert.deepEqual(
                calls(id)
                    .filter((r) => r.service === "autoscaling")
                    .map((r) => [r.action, r.params?.InstanceId, r.params?.HealthStatus, r.status]),
                [["autoscaling:SetInstanceHealth", id, "Unhealthy", 200]],
            );
            assert.equal(node.instance.health, "UNHEALTHY");
            assert.equal(await node.host.fileExists("/var/lib/openvidu-ha/boot-complete"), false);
        } finally {
            await master.exec('kill "$(cat /run/redis-standin.pid)"; rm -f /run/redis-standin.pid');
        }
    });
});
