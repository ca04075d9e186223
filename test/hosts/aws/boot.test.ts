// The AWS boot path executed: the program's user data, boot-master.sh, boot-media.sh, aws-api.sh and
// lifecycle-watch.sh (with the shared node scripts), unmodified, on test hosts against faithful fakes of IMDSv2,
// S3, Secrets Manager and Auto Scaling that verify every SigV4 signature (see aws-lab.ts and fake-aws.ts).
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { bootObjectKey, bootRevision } from "../../../components/aws/plan/user-data";
import { isInstallerDouble, sampleProcesses, TestHost } from "../harness";
import { filesHolding, INSTALLER_OWN_FILES, installerRuns, KNOBS, setKnob } from "../deployment";
import { AwsLab, AwsNode, awsKeys, CLUSTER_BUCKET, HOOK_NAME, runUserData, startAwsLab, VOLUME_LATE } from "./aws-lab";
import { mediaGeneration } from "../../../components/aws/plan/cluster-secret";
import { waitFor } from "../harness/sh";

/** Hosts of the lab: 4 masters, 3 media nodes, and 3 stand-ins for the other masters' Redis port (7000). */
const H = {
    master: 0,
    masterReboot: 1,
    masterCreds: 2,
    mediaWait: 3,
    mediaAlone: 4,
    mediaScaleIn: 5,
    redis: [6, 7, 8],
    tampered: 9,
    mediaTampered: 10,
    mediaOld: 11,
};
const DOUBLE_RUNS = "/var/log/openvidu-installer-double";

describe("AWS boot on test hosts (user data and boot scripts against IMDS, S3, Secrets Manager and Auto Scaling fakes)", function () {
    this.timeout(240_000);
    let lab: AwsLab;
    let h: TestHost[];

    before(async function () {
        lab = await startAwsLab(12, (hosts) => [...H.redis.map((i) => hosts[i].address), hosts[H.master].address]);
        h = lab.hosts.hosts;
    });
    after(async function () {
        if (lab) assert.deepEqual(await lab.teardown(), [], "leftovers after teardown");
    });

    /** The 3 stand-ins answer (a TCP listener on 7000, as Redis on a master) or not. */
    const redis = async (up: boolean) => {
        for (const i of H.redis) {
            const r = await h[i].exec(
                up
                    ? '[ -s /run/redis-standin.pid ] && kill -0 "$(cat /run/redis-standin.pid)" 2>/dev/null || ' +
                          "{ setsid python3 -c 'import socket,sys; s=socket.create_server((sys.argv[1],7000)); [c.close() for c,_ in iter(s.accept, None)]' " +
                          '"$1" </dev/null >/dev/null 2>&1 & echo $! > /run/redis-standin.pid; }'
                    : '[ ! -s /run/redis-standin.pid ] || kill "$(cat /run/redis-standin.pid)" 2>/dev/null; rm -f /run/redis-standin.pid',
                { args: [h[i].address] },
            );
            assert.equal(r.exitCode, 0, r.stderr);
        }
        const probe =
            "import socket,sys\nfor ip in sys.argv[1:]:\n    try: socket.create_connection((ip, 7000), 1).close(); print(ip)\n    except OSError: pass";
        const want = up ? H.redis.map((i) => h[i].address).join("\n") + "\n" : "";
        await waitFor(
            `Redis stand-ins ${up ? "up" : "down"}`,
            async () =>
                (await h[H.master].exec('p=$1; shift; python3 -c "$p" "$@"', { args: [probe, ...H.redis.map((i) => h[i].address)] })).stdout === want
                    ? true
                    : undefined,
            10_000,
            100,
        );
    };

    const statusKey = (m: number) => `openvidu-ha/converge/status/master-${m}`;
    const status = (generation: string) => `generation=${generation}\nversion=3.8.0\n`;
    /**
     * The cluster a new media node joins: the masters answer on Redis and all 4 report the current media
     * configuration in their status objects (as converge-watch.sh writes them), whatever an earlier test left.
     */
    const mastersReady = async () => {
        await redis(true);
        for (const m of [1, 2, 3, 4]) lab.aws.putObject(CLUSTER_BUCKET, statusKey(m), status(mediaGeneration(lab.clusterInput)));
    };

    /** Every secret this node's boot handled: the cluster's, its role's AWS keys and its IMDS session tokens. */
    const secretsOf = (node: AwsNode) => [...lab.secretValues, ...awsKeys(node.instance), ...node.instance.imdsTokens];

    /**
     * Every curl the node runs goes through a wrapper first on PATH that records its argument list (what ps shows),
     * so a short-lived curl cannot slip between process samples.
     */
    const recordCurlArgv = async (node: AwsNode) => {
        const r = await node.host.exec(
            "printf '%s\\n' '#!/bin/sh' 'printf \"%s\\\\n\" \"$*\" >> /run/curl-argv.log' 'exec /usr/bin/curl \"$@\"' > /usr/local/bin/curl && chmod 755 /usr/local/bin/curl",
        );
        assert.equal(r.exitCode, 0, r.stderr);
    };
    const assertNoTokenInCurlArgv = async (node: AwsNode) => {
        const argv = await node.host.readFile("/run/curl-argv.log");
        assert.match(argv, /169\.254\.169\.254\/latest\/meta-data\/iam\/security-credentials\//, "the wrapper saw the IMDS calls");
        assert.ok(node.instance.imdsTokens.length > 0);
        // Neither a session token of IMDS nor the role's keys (secret key, session token) it handed out.
        for (const t of [...node.instance.imdsTokens, ...awsKeys(node.instance)])
            assert.ok(!argv.includes(t), `an IMDS token or role key on a curl command line: ${argv.split("\n").find((l) => l.includes(t))}`);
    };
    const callsOf = (node: AwsNode) => lab.aws.requests.filter((r) => r.instanceId === node.instance.spec.instanceId);

    /** No secret in any process argument list (but the vendor installer double's), the console/journal or a file outside tmpfs. */
    async function assertNoLeak(node: AwsNode, samples: Awaited<ReturnType<typeof sampleProcesses>>["samples"], journal: string) {
        for (const s of secretsOf(node)) {
            assert.deepEqual(
                samples.containing(s, isInstallerDouble).map((p) => p.args.slice(0, 120)),
                [],
                "a secret in an argument list",
            );
            assert.ok(!journal.includes(s), `a secret in the console/journal: ${s.slice(0, 12)}...`);
        }
        assert.ok(samples.snapshots > 3);
        const files = (await filesHolding(node.host, secretsOf(node))).filter((f) => !INSTALLER_OWN_FILES.test(f));
        assert.deepEqual(files, [], "secrets in files other than the installer's own");
    }

    it("the fakes refuse what AWS refuses: wrong region, service, secret key, date, expired or missing credentials, no IMDS token", async function () {
        const probe = await lab.media(h[H.redis[0]], { masterIps: lab.masterIps, masterWaitSeconds: 1 });
        const creds = probe.instance.credentials;
        const object = `https://${CLUSTER_BUCKET}.s3.eu-west-1.amazonaws.com/${bootObjectKey(bootRevision(lab.bootFiles), "aws-api.sh")}`;
        // curl signs as the scripts do (credentials on stdin); only the signing parameters vary.
        const curl = (sigv4: string, secret = creds.secretAccessKey, token = creds.sessionToken) =>
            probe.host.exec("curl -sS -o /dev/null -w '%{http_code}' -K - --aws-sigv4 \"$1\" -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' \"$2\"", {
                args: [sigv4, object],
                stdin: `user = "${creds.accessKeyId}:${secret}"\nheader = "x-amz-security-token: ${token}"\n`,
            });
        const last = () => lab.aws.requests[lab.aws.requests.length - 1];
        for (const [sigv4, secret, token, status, code] of [
            ["aws:amz:eu-west-1:s3", undefined, undefined, "200", undefined],
            ["aws:amz:us-east-1:s3", undefined, undefined, "400", "AuthorizationHeaderMalformed"],
            ["aws:amz:eu-west-1:secretsmanager", undefined, undefined, "400", "AuthorizationHeaderMalformed"],
            ["aws:amz:eu-west-1:s3", "c2VjcmV0LWtleS10aGF0LWlzLW5vdC10aGUtcm9sZXM=", undefined, "403", "SignatureDoesNotMatch"],
            ["aws:amz:eu-west-1:s3", undefined, "not-the-session-token", "400", "InvalidToken"],
        ] as const) {
            const r = await curl(sigv4, secret, token);
            assert.equal(r.stdout, status, `${sigv4} ${r.stderr}`);
            assert.equal(last().code, code, sigv4);
        }
        // Signed by AWS's signer from this process: a date 20 minutes off; other services' own codes; expired keys.
        const { signedRequest } = await import("./signed-request");
        const send = (service: string, opts: { date?: Date; region?: string; secret?: string; creds?: typeof creds } = {}) =>
            signedRequest(lab, service, opts.creds ?? creds, opts);
        assert.deepEqual(await send("s3", { date: new Date(Date.now() - 20 * 60_000) }), [403, "RequestTimeTooSkewed"]);
        assert.deepEqual(await send("secretsmanager"), [200, undefined]);
        assert.deepEqual(await send("secretsmanager", { region: "eu-central-1" }), [400, "InvalidSignatureException"]);
        assert.deepEqual(await send("secretsmanager", { date: new Date(Date.now() + 20 * 60_000) }), [400, "InvalidSignatureException"]);
        assert.deepEqual(await send("autoscaling"), [200, undefined]);
        assert.deepEqual(await send("autoscaling", { secret: "wrong-secret-key-0123456789" }), [403, "SignatureDoesNotMatch"]);
        probe.instance.expireCredentials();
        assert.deepEqual(await send("s3"), [400, "ExpiredToken"]);
        assert.deepEqual(await send("secretsmanager"), [400, "ExpiredTokenException"]);
        assert.deepEqual(await send("autoscaling"), [400, "ExpiredToken"]);
        assert.deepEqual(await send("secretsmanager", { creds: probe.instance.credentials }), [200, undefined], "the new credentials work");
        // IMDSv2: no token, no metadata; a token needs a TTL.
        const imds = await probe.host.exec(
            "curl -s -o /dev/null -w '%{http_code}' http://169.254.169.254/latest/meta-data/instance-id; echo; " +
                "curl -s -o /dev/null -w '%{http_code}' -X PUT http://169.254.169.254/latest/api/token",
        );
        assert.equal(imds.stdout, "401\n400");
    });

    it("master first boot: IMDSv2, signed S3 and Secrets Manager calls, volume formatted and mounted, installed, started, healthy", async function () {
        const node = await lab.master(h[H.master], "master-1");
        await recordCurlArgv(node);
        const { samples, result } = await sampleProcesses(runUserData(node));
        assert.equal(result.exitCode, 0, result.output);
        const host = node.host;
        assert.ok(await host.fileExists("/var/lib/openvidu-ha/boot-complete"), result.output);
        assert.match(result.output, /boot on master-1: master ready/);
        // The volume: formatted once, ext4, mounted at /opt/openvidu from the EBS device link, in fstab by UUID.
        assert.equal((await host.exec("findmnt -n -o SOURCE,FSTYPE /opt/openvidu")).stdout.trim(), `${node.loop} ext4`);
        const uuid = (await host.exec(`blkid -o value -s UUID ${node.loop}`)).stdout.trim();
        assert.match(await host.readFile("/etc/fstab"), new RegExp(`^UUID=${uuid} /opt/openvidu ext4 defaults,nofail 0 2$`, "m"));
        assert.equal(result.output.match(/formatting the new data volume/g)?.length, 1);
        // Installed from the cluster secret, then pointed at S3 as the vendor's config_s3.sh does.
        assert.deepEqual(await installerRuns(host), ["001"]);
        const env = await host.readFile("/opt/openvidu/config/cluster/openvidu.env");
        assert.match(env, /^EXTERNAL_S3_ENDPOINT=https:\/\/s3\.eu-west-1\.amazonaws\.com$/m);
        assert.match(env, new RegExp(`^EXTERNAL_S3_BUCKET_CLUSTER_DATA=${CLUSTER_BUCKET}$`, "m"));
        assert.match(await host.readFile(`${DOUBLE_RUNS}/001/argv`), new RegExp(`^--openvidu-pro-license=${lab.secretValues[0]}$`, "m"));
        // What it asked AWS for, every call signed as this instance and accepted.
        const calls = callsOf(node);
        const files = ["boot-master.sh", "aws-api.sh", "install.sh", "start.sh", "health.sh", "converge-watch.sh", "converge.sh"];
        assert.deepEqual(
            calls.map((r) => [r.action, r.resource.split("/").pop(), r.status]),
            [
                ...files.map((f) => ["s3:GetObject", f, 200]),
                ["secretsmanager:GetSecretValue", lab.clusterSecretArn.split("/").pop(), 200],
                // Its status for new media nodes, once healthy.
                ["s3:PutObject", "master-1", 200],
            ],
        );
        assert.equal(calls.at(-1)!.resource, `arn:aws:s3:::${CLUSTER_BUCKET}/openvidu-ha/converge/status/master-1`);
        // IMDSv2 only: every metadata GET carried a token.
        const imds = node.instance.imdsRequests;
        assert.ok(imds.some((r) => r.method === "PUT" && r.path === "/latest/api/token" && r.status === 200));
        assert.ok(
            imds.filter((r) => r.method === "GET").every((r) => r.withToken && r.status === 200),
            JSON.stringify(imds.filter((r) => r.status !== 200)),
        );
        await assertNoLeak(node, samples, result.output);
        await assertNoTokenInCurlArgv(node);
        // A reboot of the booted master runs nothing again (ConditionPathExists) and the volume is mounted at boot by
        // fstab's UUID (the boot hook mounts fstab's entry, as systemd would).
        const before = calls.length;
        await host.restart();
        assert.ok(host.systemctlCalls().includes("boot: start openvidu-ha-boot.service"));
        assert.equal(callsOf(node).length, before, "the boot service did not run again");
        assert.equal((await host.exec('blkid -o value -s UUID "$(findmnt -n -o SOURCE /opt/openvidu)"')).stdout.trim(), uuid);
        assert.deepEqual(await installerRuns(host), ["001"]);
    });

    it("a master rebooted mid-install resumes at boot: same volume (not formatted again), installation completed", async function () {
        const node = await lab.master(h[H.masterReboot], "master-2");
        const host = node.host;
        await setKnob(host, KNOBS.installer, "slow 60");
        const firstBoot = runUserData(node);
        await waitFor("the installer to start", async () => ((await installerRuns(host)).length === 1 ? true : undefined), 60_000, 200);
        const uuid = (await host.exec(`blkid -o value -s UUID ${node.loop}`)).stdout.trim();
        assert.equal((await host.exec("echo kept > /opt/openvidu/data-before-reboot")).exitCode, 0);
        await host.kill();
        const console = (await firstBoot).output;
        fs.rmSync(path.join(host.dir, "fs", "upper", "_etc", "openvidu-installer-double", "behaviour"));
        // The volume comes up after local-fs (nofail): the boot service finds it unmounted and must mount, not format, it.
        fs.writeFileSync(path.join(host.stateDir, VOLUME_LATE), "");
        const journalBefore = host.bootLog().length;
        const { samples } = await sampleProcesses(host.boot());
        const journal = host.bootLog().slice(journalBefore);
        assert.ok(await host.fileExists("/var/lib/openvidu-ha/boot-complete"), journal);
        assert.match(journal, /install on master-2: completing an installation that was interrupted/);
        assert.match(journal, /boot on master-2: master ready/);
        assert.doesNotMatch(journal, /formatting/);
        assert.equal((await host.exec(`blkid -o value -s UUID ${node.loop}`)).stdout.trim(), uuid);
        assert.equal(await host.readFile("/opt/openvidu/data-before-reboot"), "kept\n");
        assert.deepEqual(await installerRuns(host), ["001", "002"]);
        assert.equal(await host.readFile(`${DOUBLE_RUNS}/002/status`), "finished\n");
        assert.ok(host.systemctlCalls().includes("boot: start openvidu-ha-boot.service"));
        await assertNoLeak(node, samples, console + journal);
    });

    it("a media node waits for a majority of masters, then installs from the media secret with its own IP", async function () {
        await redis(false);
        const node = await lab.media(h[H.mediaWait], { masterIps: lab.masterIps, masterWaitSeconds: 60 });
        const host = node.host;
        await recordCurlArgv(node);
        const boot = sampleProcesses(runUserData(node));
        await waitFor(
            "the media node to wait for the masters",
            async () => ((await host.exec("pgrep -f '^python3 - '")).exitCode === 0 ? true : undefined),
            60_000,
            200,
        );
        assert.deepEqual(await installerRuns(host), [], "nothing installed while the masters are down");
        // The masters answer, but report another configuration (still converging): the node waits for a majority.
        for (const m of [1, 2, 3, 4]) lab.aws.putObject(CLUSTER_BUCKET, statusKey(m), status("0123456789abcdef"));
        await redis(true);
        await waitFor(
            "the media node to read the masters' status objects",
            () =>
                callsOf(node).filter((r) => r.action === "s3:GetObject" && r.resource.includes("/openvidu-ha/converge/status/")).length >= 8 ? true : undefined,
            60_000,
            200,
        );
        assert.deepEqual(await installerRuns(host), [], "nothing installed while the masters run another configuration");
        const generation = mediaGeneration(lab.clusterInput);
        for (const m of [1, 2]) lab.aws.putObject(CLUSTER_BUCKET, statusKey(m), status(generation));
        const reads = callsOf(node).length;
        await waitFor("another round of status reads", () => (callsOf(node).length >= reads + 8 ? true : undefined), 60_000, 200);
        assert.deepEqual(await installerRuns(host), [], "2 of 4 masters are no majority");
        lab.aws.putObject(CLUSTER_BUCKET, statusKey(3), status(generation));
        const { samples, result } = await boot;
        assert.match(result.output, new RegExp(`waiting up to 60s for a majority of masters to run configuration ${generation}`));
        assert.equal(result.exitCode, 0, result.output);
        assert.match(result.output, new RegExp(`masters answering on Redis: ${lab.masterIps.slice(0, 3).join(", ")}`));
        assert.match(result.output, new RegExp(`boot on media-${node.instance.spec.instanceId}: media node ready`));
        const argv = await host.readFile(`${DOUBLE_RUNS}/001/argv`);
        assert.match(argv, new RegExp(`^--private-ip=${host.address.replace(/\./g, "\\.")}$`, "m"), "its IP from IMDS local-ipv4");
        assert.match(argv, new RegExp(`^--master-node-private-ip-list=${lab.masterIps.join(",")}$`, "m"));
        assert.ok(!argv.includes(lab.secretValues[0]), "no license on a media node");
        const secretCalls = callsOf(node).filter((r) => r.service === "secretsmanager");
        assert.deepEqual(
            secretCalls.map((r) => [r.resource, r.status]),
            [[lab.mediaSecretArn, 200]],
        );
        assert.ok(await host.fileExists("/etc/systemd/system/multi-user.target.wants/openvidu-ha-lifecycle.service"));
        await assertNoLeak(node, samples, result.output);
        await assertNoTokenInCurlArgv(node);
    });

    it("a media node whose masters never answer marks itself unhealthy (SetInstanceHealth) and installs nothing", async function () {
        const silent = [H.master, H.masterReboot, H.masterCreds, H.mediaAlone].map((i) => h[i].address);
        const node = await lab.media(h[H.mediaAlone], { masterIps: silent, masterWaitSeconds: 2 });
        const result = await runUserData(node);
        const id = node.instance.spec.instanceId;
        assert.match(
            result.output,
            new RegExp(`boot failed on media-${id}: the masters did not answer in time; marking the instance unhealthy so it is replaced`),
        );
        const calls = callsOf(node).filter((r) => r.service !== "s3");
        assert.deepEqual(
            calls.map((r) => [r.action, r.params?.InstanceId, r.params?.HealthStatus, r.params?.ShouldRespectGracePeriod, r.status]),
            [["autoscaling:SetInstanceHealth", id, "Unhealthy", "false", 200]],
        );
        assert.equal(node.instance.health, "UNHEALTHY");
        assert.deepEqual(await installerRuns(node.host), []);
        assert.equal(await node.host.fileExists("/var/lib/openvidu-ha/boot-complete"), false);
    });

    it("scale-in: the watcher drains with heartbeats and completes the hook with CONTINUE", async function () {
        await mastersReady();
        const node = await lab.media(h[H.mediaScaleIn], { masterIps: lab.masterIps, masterWaitSeconds: 60, heartbeatSeconds: 1, drainTimeoutSeconds: 120 });
        const host = node.host;
        const booted = await runUserData(node);
        assert.equal(booted.exitCode, 0, booted.output);
        await setKnob(host, KNOBS.drainSeconds, "12");
        // systemd starts the enabled watcher unit: its ExecStart, as written by boot-media.sh.
        const watcher = await host.exec(
            "line=$(sed -n 's/^ExecStart=//p' /etc/systemd/system/openvidu-ha-lifecycle.service) && " +
                'setsid sh -c "$line" </dev/null >/run/lifecycle.log 2>&1 & echo $!',
        );
        assert.equal(watcher.exitCode, 0, watcher.stderr);
        const id = node.instance.spec.instanceId;
        lab.aws.terminate(id);
        await waitFor("CompleteLifecycleAction", () => (node.instance.lifecycleState === "Terminating:Proceed" ? true : undefined), 120_000, 200);
        const as = callsOf(node)
            .filter((r) => r.service === "autoscaling")
            .map((r) => [r.action.replace("autoscaling:", ""), r.status]);
        const group = node.instance.spec.autoScalingGroup!;
        assert.deepEqual(as[0], ["DescribeAutoScalingInstances", 200]);
        assert.deepEqual(as[as.length - 1], ["CompleteLifecycleAction", 200]);
        const beats = as.slice(1, -1);
        assert.ok(beats.length >= 1 && beats.every((b) => b[0] === "RecordLifecycleActionHeartbeat" && b[1] === 200), JSON.stringify(as));
        const complete = callsOf(node).find((r) => r.action === "autoscaling:CompleteLifecycleAction")!;
        assert.deepEqual(complete.params, {
            Action: "CompleteLifecycleAction",
            Version: "2011-01-01",
            AutoScalingGroupName: group.name,
            LifecycleHookName: HOOK_NAME,
            InstanceId: id,
            LifecycleActionResult: "CONTINUE",
        });
        await waitFor(
            "the watcher to exit",
            async () => ((await host.exec(`kill -0 ${watcher.stdout.trim()}`)).exitCode !== 0 ? true : undefined),
            20_000,
            100,
        );
        const log = await host.readFile("/run/lifecycle.log");
        assert.match(log, /drain on media-.*: sending SIGQUIT to 4 container\(s\)/);
        assert.match(log, /lifecycle on media-.*: drained; termination continues/);
        assert.ok(host.dockerCalls().some((c) => c.startsWith("kill --signal=SIGQUIT")));
        assert.equal((await host.exec("docker ps -q")).stdout, "", "containers drained before the hook completed");
        assert.equal((await host.exec("systemctl is-active openvidu")).stdout.trim(), "inactive");
    });

    it("credentials that expire mid-boot are fetched again from IMDS for every call: no request uses an expired key", async function () {
        const node = await lab.master(h[H.masterCreds], "master-3");
        const id = node.instance.spec.instanceId;
        // Each accepted call of this instance expires the key it used (stricter than AWS's hourly rotation).
        lab.aws.onRequest = (r) => {
            if (r.instanceId === id && r.status === 200) node.instance.expireCredentials();
        };
        try {
            const { samples, result } = await sampleProcesses(runUserData(node));
            assert.equal(result.exitCode, 0, result.output);
            const calls = callsOf(node);
            assert.equal(calls.length, 9);
            assert.deepEqual(
                calls.map((r) => r.status),
                [200, 200, 200, 200, 200, 200, 200, 200, 200],
                JSON.stringify(calls),
            );
            assert.deepEqual(
                calls.map((r) => r.accessKeyId),
                node.instance.issued.slice(0, 9).map((c) => c.accessKeyId),
                "a fresh key for each call",
            );
            assert.ok(await node.host.fileExists("/var/lib/openvidu-ha/boot-complete"));
            await assertNoLeak(node, samples, result.output);
        } finally {
            lab.aws.onRequest = undefined;
        }
    });

    it("boot runs only the scripts the user data names by SHA-256, and no node can overwrite them", async function () {
        const node = await lab.master(h[H.tampered], "master-4");
        const key = bootObjectKey(bootRevision(lab.bootFiles), "install.sh");
        const original = lab.aws.objects.get(CLUSTER_BUCKET)!.get(key)!;
        lab.aws.putObject(CLUSTER_BUCKET, key, original.toString("utf8") + "\ntouch /tmp/tampered\n");
        try {
            const result = await runUserData(node);
            assert.equal(result.exitCode, 1);
            assert.match(result.output, /install\.sh: FAILED/);
            assert.match(
                result.output,
                new RegExp(
                    `openvidu-ha boot: the boot scripts in s3://ovha-test-cluster-data/openvidu-ha/boot/${bootRevision(lab.bootFiles)} differ from this node's user data; not booting`,
                ),
            );
            assert.equal((await node.host.exec("ls /var/lib/openvidu-ha/boot")).stdout, "", "the fetched scripts are removed");
            assert.equal(await node.host.fileExists("/etc/systemd/system/openvidu-ha-boot.service"), false);
        } finally {
            lab.aws.putObject(CLUSTER_BUCKET, key, original);
        }
        // The master role may write its bucket, but not the boot prefix (the role policy's explicit Deny).
        const put = (k: string) =>
            node.host.exec(
                '. /etc/openvidu-ha/boot.env && f=$(mktemp) && cat > "$f" && . "$f" && aws_request s3 "https://$OPENVIDU_HA_BOOT_BUCKET.s3.eu-west-1.amazonaws.com/$1" ' +
                    "-X PUT -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' --data-binary x -o /dev/null -w '%{http_code}'",
                { args: [k], stdin: lab.bootFiles.find((f) => f.name === "aws-api.sh")!.content },
            );
        const denied = await put(key);
        assert.equal(denied.exitCode, 22, denied.stderr);
        assert.deepEqual([callsOf(node).at(-1)!.action, callsOf(node).at(-1)!.status, callsOf(node).at(-1)!.code], ["s3:PutObject", 403, "AccessDenied"]);
        assert.equal((await put("openvidu/other-object")).stdout, "200");
        assert.equal(lab.aws.objects.get(CLUSTER_BUCKET)!.get(key)!.toString("utf8"), original.toString("utf8"));
    });
    it("a media node whose boot scripts fail the SHA-256 check marks itself unhealthy (SetInstanceHealth) and runs nothing", async function () {
        const node = await lab.media(h[H.mediaTampered], { masterIps: lab.masterIps, masterWaitSeconds: 1 });
        const key = bootObjectKey(bootRevision(lab.bootFiles), "boot-media.sh");
        const original = lab.aws.objects.get(CLUSTER_BUCKET)!.get(key)!;
        lab.aws.putObject(CLUSTER_BUCKET, key, original.toString("utf8") + "\ntouch /tmp/tampered\n");
        let result;
        try {
            result = await runUserData(node);
        } finally {
            lab.aws.putObject(CLUSTER_BUCKET, key, original);
        }
        const id = node.instance.spec.instanceId;
        assert.equal(result.exitCode, 1, result.output);
        assert.match(result.output, /boot-media\.sh: FAILED/);
        assert.match(result.output, /differ from this node's user data; not booting, marking the instance unhealthy so it is replaced/);
        const calls = callsOf(node).filter((r) => r.service === "autoscaling");
        assert.deepEqual(
            calls.map((r) => [r.action, r.params?.InstanceId, r.params?.HealthStatus, r.params?.ShouldRespectGracePeriod, r.status]),
            [["autoscaling:SetInstanceHealth", id, "Unhealthy", "false", 200]],
        );
        assert.equal(node.instance.health, "UNHEALTHY");
        assert.equal((await node.host.exec("ls /var/lib/openvidu-ha/boot")).stdout, "", "the fetched scripts are removed");
        assert.equal(await node.host.fileExists("/etc/systemd/system/openvidu-ha-boot.service"), false);
        assert.deepEqual(await installerRuns(node.host), []);
    });

    it("a media node launched from the previous template after a new boot revision was uploaded boots with its own revision's scripts", async function () {
        await mastersReady();
        const node = await lab.media(h[H.mediaOld], { masterIps: lab.masterIps, masterWaitSeconds: 60 });
        // pulumi up with changed scripts: BootScripts uploads the new revision (the old node's template is older).
        const newer = lab.bootFiles.map((f) => (f.name === "install.sh" ? { ...f, content: f.content + "\n# a newer revision\n" } : f));
        const revision = lab.uploadBootFiles(newer);
        assert.notEqual(revision, bootRevision(lab.bootFiles));
        try {
            const result = await runUserData(node);
            assert.equal(result.exitCode, 0, result.output);
            assert.match(result.output, new RegExp(`boot on media-${node.instance.spec.instanceId}: media node ready`));
            assert.equal(await node.host.readFile("/var/lib/openvidu-ha/boot/install.sh"), lab.bootFiles.find((f) => f.name === "install.sh")!.content);
            assert.equal(node.instance.health, "HEALTHY");
        } finally {
            lab.uploadBootFiles(lab.bootFiles);
        }
        // A node of the new template fetches the new revision.
        assert.equal(
            lab.aws.objects.get(CLUSTER_BUCKET)!.get(bootObjectKey(revision, "install.sh"))!.toString("utf8"),
            newer.find((f) => f.name === "install.sh")!.content,
        );
    });
});
