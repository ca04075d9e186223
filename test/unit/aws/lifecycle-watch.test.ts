/**
 * The media node's lifecycle watcher, run for real (POSIX sh, python3) against fakes: curl answering IMDS and
 * the Auto Scaling API, docker containers that drain on SIGQUIT, and a virtual clock (sleep/date), so hours of
 * drain take well under a second.
 */
import * as assert from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { bootFiles } from "../../../components/aws/plan/user-data";

const FAKES = path.join(__dirname, "fakes");

interface WatchResult {
    code: number;
    stdout: string;
    stderr: string;
    autoscaling: { at: number; params: URLSearchParams }[];
    dockerKills: string[];
    curlArgv: string;
    curlConfig: string;
}

async function watch(drainSeconds: number | "never", env: Record<string, string>): Promise<WatchResult> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "openvidu-ha-lifecycle-"));
    const bootDir = path.join(dir, "boot");
    fs.mkdirSync(bootDir);
    for (const f of bootFiles()) {
        fs.writeFileSync(path.join(bootDir, f.name), f.content);
    }
    fs.writeFileSync(path.join(dir, "clock"), "1000\n");
    const bootEnv = {
        OPENVIDU_HA_REGION: "eu-west-1",
        OPENVIDU_HA_DNS_SUFFIX: "amazonaws.com",
        OPENVIDU_HA_LIFECYCLE_HOOK: "openvidu-ha-drain",
        OPENVIDU_HA_DRAIN_TIMEOUT_SECONDS: "3600",
        OPENVIDU_HA_HEARTBEAT_SECONDS: "100",
        ...env,
    };
    fs.writeFileSync(
        path.join(dir, "boot.env"),
        Object.entries(bootEnv)
            .map(([k, v]) => `${k}='${v}'\n`)
            .join(""),
    );
    const read = (name: string) => (fs.existsSync(path.join(dir, name)) ? fs.readFileSync(path.join(dir, name), "utf8") : "");
    try {
        const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
            execFile(
                "sh",
                [path.join(bootDir, "lifecycle-watch.sh")],
                {
                    env: {
                        PATH: `${FAKES}:${process.env.PATH}`,
                        FAKE_DIR: dir,
                        FAKE_DRAIN_SECONDS: String(drainSeconds),
                        OPENVIDU_HA_BOOT_ENV: path.join(dir, "boot.env"),
                        OPENVIDU_HA_BOOT_DIR: bootDir,
                    },
                    // A bound against a hang, not a timing assertion: under a loaded machine a run took 30 s.
                    timeout: 120000,
                },
                (err, out, errOut) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout: out, stderr: errOut }),
            );
        });
        const autoscaling = read("autoscaling.log")
            .trim()
            .split("\n")
            .filter(Boolean)
            .map((line) => ({ at: Number(line.split(" ")[0]), params: new URLSearchParams(line.slice(line.indexOf(" ") + 1)) }));
        return {
            code,
            stdout,
            stderr,
            autoscaling,
            dockerKills: read("docker.log").trim().split("\n").filter(Boolean),
            curlArgv: read("curl-argv.log"),
            curlConfig: read("curl-config.log"),
        };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

describe("aws media lifecycle watcher (lifecycle-watch.sh against fakes)", function () {
    this.timeout(150000);
    let drained: WatchResult;
    let stuck: WatchResult;
    before(async () => {
        [drained, stuck] = await Promise.all([
            watch(150, { OPENVIDU_HA_HEARTBEAT_SECONDS: "40" }),
            watch("never", { OPENVIDU_HA_DRAIN_TIMEOUT_SECONDS: "300", OPENVIDU_HA_HEARTBEAT_SECONDS: "100" }),
        ]);
    });

    it("waits for the Terminated target state, then SIGQUITs openvidu, ingress, egress and the agents", () => {
        assert.strictEqual(drained.code, 0, drained.stderr);
        assert.strictEqual(drained.dockerKills.length, 1);
        assert.match(drained.dockerKills[0], /kill --signal=SIGQUIT( id-(agent|egress|ingress|openvidu)){4}$/);
        for (const c of ["openvidu", "ingress", "egress", "agent"]) {
            assert.ok(drained.dockerKills[0].includes(`id-${c}`), c);
        }
    });

    it("finds its group, heartbeats while the containers drain, then completes the hook with CONTINUE", () => {
        const actions = drained.autoscaling.map((c) => c.params.get("Action"));
        assert.strictEqual(actions[0], "DescribeAutoScalingInstances");
        assert.strictEqual(actions[actions.length - 1], "CompleteLifecycleAction");
        const heartbeats = drained.autoscaling.filter((c) => c.params.get("Action") === "RecordLifecycleActionHeartbeat");
        assert.ok(heartbeats.length >= 2, `heartbeats: ${heartbeats.length}`);
        const complete = drained.autoscaling[drained.autoscaling.length - 1].params;
        assert.deepStrictEqual(
            ["AutoScalingGroupName", "LifecycleHookName", "InstanceId", "LifecycleActionResult"].map((k) => complete.get(k)),
            ["media-group-85c5de1", "openvidu-ha-drain", "i-0fake0instance", "CONTINUE"],
        );
        assert.match(drained.stdout, /lifecycle on media-i-0fake0instance: drained; termination continues/);
    });

    it("completes only after the containers are gone, well before the drain timeout", () => {
        const kill = Number(drained.dockerKills[0].split(" ")[0]);
        const complete = drained.autoscaling[drained.autoscaling.length - 1].at;
        assert.ok(complete - kill >= 150, `completed ${complete - kill}s after SIGQUIT`);
        assert.ok(complete - kill < 3600);
    });

    it("bounds the drain: containers that never exit are given up on after drainTimeoutMinutes, and the hook completes", () => {
        assert.strictEqual(stuck.code, 0, stuck.stderr);
        const kill = Number(stuck.dockerKills[0].split(" ")[0]);
        const complete = stuck.autoscaling[stuck.autoscaling.length - 1];
        assert.strictEqual(complete.params.get("Action"), "CompleteLifecycleAction");
        assert.ok(complete.at - kill >= 300 && complete.at - kill < 300 + 120, `completed ${complete.at - kill}s after SIGQUIT`);
        assert.match(stuck.stderr, /still busy after 300s; stopping anyway/);
    });

    it("signs every API call as the instance role, with the credentials on curl's stdin, never in its arguments", () => {
        assert.match(drained.curlArgv, /--aws-sigv4 aws:amz:eu-west-1:autoscaling/);
        assert.ok(!drained.curlArgv.includes("fake-secret-access-key"));
        assert.ok(!drained.curlArgv.includes("fake-session-token"));
        assert.match(drained.curlConfig, /^user = "AKIAFAKEACCESSKEY:fake-secret-access-key"$/m);
        assert.match(drained.curlConfig, /^header = "x-amz-security-token: fake-session-token"$/m);
    });

    it("sends the IMDSv2 session token on curl's stdin, never in its arguments (visible in ps)", () => {
        assert.match(drained.curlArgv, /169\.254\.169\.254\/latest\/meta-data\/instance-id/);
        assert.ok(!drained.curlArgv.includes("fake-imds-token"), drained.curlArgv);
        assert.match(drained.curlConfig, /^header = "X-aws-ec2-metadata-token: fake-imds-token"$/m);
    });
});
