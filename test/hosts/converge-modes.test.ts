// Modes and owners of what converge.sh writes (the target installer arguments, i.e. every secret, their hashes,
// the values it masks, its plan, the updater's masked log), on a successful and on a failed upgrade: while the
// updater runs (the updater double records them, as the installer double does for install.sh), at any moment of
// every phase (an unprivileged `nobody` tries to read them throughout), and afterwards. Each test has its own host.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { TestHost } from "./harness";
import { watchAsNobody } from "./harness/nobody-watch";
import { ClusterSpec, Deployment, failureOutput, filesHolding, INSTALLER_OWN_FILES, KNOBS, setKnob, Step, StepRun } from "./deployment";
import { useLab } from "./lab";

const UPDATER_SECONDS = "/etc/openvidu-updater-double/seconds";
const UPDATER_BEHAVIOUR = "/etc/openvidu-updater-double/behaviour";
/** Files the vendor's tools own (config, backups) and the doubles' records: not ours to restrict. */
const VENDOR_OWN = /^(\/opt\/openvidu\/|\/var\/log\/openvidu-(installer|updater)-double\/)/;

/** "<mode> <owner:group> <type> <path>" lines that any user but root could read, or that root does not own. */
const readableByOthers = (lines: string[]) =>
    lines.filter((l) => {
        const [mode, owner] = l.split(" ");
        return owner !== "root:root" || !/^[0-7]?[0-7]00$/.test(mode);
    });

async function modesAfter(host: TestHost): Promise<string[]> {
    const r = await host.exec("find /run/openvidu-ha /var/lib/openvidu-ha /var/log/openvidu-ha -exec stat -c '%a %U:%G %F %n' {} + 2>/dev/null; true");
    return r.stdout.split("\n").filter(Boolean);
}

describe("modes and owners of what converge.sh writes (test hosts)", function () {
    const good = { cpus: 4, memMb: 8192 };
    const lab = useLab([good, good, good, good, good]);
    let h: TestHost[];
    let next: Deployment;
    let spec: (openviduVersion: string, config?: ClusterSpec["config"]) => ClusterSpec;

    before(async function () {
        h = lab.hosts.hosts;
        spec = (openviduVersion: string, config = {}) => ({
            masters: [h[0], h[1], h[2], h[3]],
            media: [h[4]],
            config: { openviduVersion, ...config },
        });
        const first = await Deployment.of(lab, spec("3.0.0"));
        for (const host of h) {
            for (const kind of ["install", "start", "health"] as const) {
                const r = await first.run(first.stepOf(host, kind));
                assert.equal(r.exitCode, 0, r.error);
            }
        }
        next = await Deployment.of(lab, spec("3.8.0"));
    });

    /** The host's converge phases in the order the program chains them: check, then per round stop, update, start. */
    const phases = (host: TestHost): Step[] => {
        const mine = next.steps.filter((s) => s.host === host && s.kind === "converge");
        const order = ["check", "checkpoint-stop", "checkpoint-update", "checkpoint-start", "final-stop", "final-update", "final-start"];
        return order.map((o) => mine.find((s) => s.name.endsWith(`-${o}`))).filter((s): s is Step => s !== undefined);
    };
    /** Runs `step` while nobody watches; asserts nobody reached anything. */
    async function watched(host: TestHost, step: Step): Promise<StepRun> {
        // Each phase's command is its `update` (the chain runs nothing when created): an up that changed its inputs.
        const { result, watch } = await watchAsNobody(host, () => next.run(step, "update"));
        assert.deepEqual(watch.reached, [], `${step.name}: nobody reached a secret path`);
        return result;
    }
    /** What the updater double saw while it ran, in its last run. */
    const updaterModes = async (host: TestHost) =>
        (await host.exec("cat /var/log/openvidu-updater-double/$(ls /var/log/openvidu-updater-double | tail -n 1)/modes")).stdout.split("\n").filter(Boolean);

    it("an upgrade: while the updater runs, the arguments are 0600 root in a 0700 root directory; all root-only after", async function () {
        const host = h[0];
        await setKnob(host, UPDATER_SECONDS, "pull 1 migrate 1");
        for (const step of phases(host)) {
            const r = await watched(host, step);
            assert.equal(r.exitCode, 0, `${step.name}: ${r.error}`);
        }
        assert.match(await host.readFile("/opt/openvidu/deployment-info.yaml"), /^version: 3\.8\.0$/m);
        // Run again (an up whose later step failed repeats the chain): every phase finds itself done, the node stays up.
        const calls = host.systemctlCalls().length;
        const updates = (await host.exec("ls /var/log/openvidu-updater-double")).stdout;
        for (const step of phases(host)) {
            const r = await watched(host, step);
            assert.equal(r.exitCode, 0, `${step.name}: ${r.error}`);
        }
        assert.deepEqual(
            host
                .systemctlCalls()
                .slice(calls)
                .filter((c) => /^(stop|restart|start) /.test(c)),
            [],
        );
        assert.equal((await host.exec("ls /var/log/openvidu-updater-double")).stdout, updates);
        const during = await updaterModes(host);
        assert.ok(
            during.some((l) => /^600 root:root regular file \/run\/openvidu-ha\/converge-args\.\d+$/.test(l)),
            during.join("\n"),
        );
        assert.ok(during.includes("700 root:root directory /run/openvidu-ha"), during.join("\n"));
        assert.deepEqual(readableByOthers(during), []);
        assert.deepEqual(readableByOthers(await modesAfter(host)), []);
        assert.deepEqual(
            (await filesHolding(host, next.secretValues())).filter((f) => !VENDOR_OWN.test(f) && !INSTALLER_OWN_FILES.test(f)),
            [],
        );
    });

    it("a failed upgrade: the same while it runs, the masked log it leaves is root-only, no secret in the error", async function () {
        const host = h[1];
        await setKnob(host, UPDATER_SECONDS, "pull 1 migrate 1");
        await setKnob(host, UPDATER_BEHAVIOUR, "fail-at 3.8.0");
        let failed: StepRun | undefined;
        for (const step of phases(host)) {
            const r = await watched(host, step);
            if (r.exitCode !== 0) {
                failed = r;
                assert.match(step.name, /-final-update$/);
                break;
            }
        }
        assert.ok(failed, "the upgrade did not fail");
        assert.match(failed.output!, /^converge update failed on master-2: the updater 3\.5\.0 -> 3\.8\.0 exited with 1/m);
        assert.deepEqual(
            next.secretValues().filter((s) => failed.error!.includes(s)),
            [],
            "a secret in the error",
        );
        const during = await updaterModes(host);
        assert.ok(
            during.some((l) => /^600 root:root regular file \/run\/openvidu-ha\/converge-args\.\d+$/.test(l)),
            during.join("\n"),
        );
        assert.deepEqual(readableByOthers(during), []);
        const after = await modesAfter(host);
        assert.ok(
            after.some((l) => /^600 root:root regular file \/var\/log\/openvidu-ha\/update-3\.8\.0-\d{8}T\d{6}\.log$/.test(l)),
            after.join("\n"),
        );
        assert.deepEqual(readableByOthers(after), []);
        assert.deepEqual(
            (await filesHolding(host, next.secretValues())).filter((f) => !VENDOR_OWN.test(f) && !INSTALLER_OWN_FILES.test(f)),
            [],
        );
    });
    it("an updater that leaves a process holding its output: each update step still ends, its masked log kept", async function () {
        const host = h[2];
        await setKnob(host, UPDATER_SECONDS, "pull 1 migrate 1");
        await setKnob(host, UPDATER_BEHAVIOUR, "leave-child");
        try {
            for (const step of phases(host)) {
                const r = await watched(host, step);
                assert.equal(r.exitCode, 0, `${step.name}: ${r.error}`);
                if (!/-update$/.test(step.name)) continue;
                // The step returned while what the updater left still holds the updater's output (the FIFO to the
                // masker): the masker was not waited for without bound.
                const alive = await host.exec('for p in $(cat /run/updater-double-children); do kill -0 "$p" || exit 1; done');
                assert.equal(alive.exitCode, 0, `${step.name}: the updater's leftover processes ended: ${alive.stderr}`);
            }
            assert.match(await host.readFile("/opt/openvidu/deployment-info.yaml"), /^version: 3\.8\.0$/m);
            const logs = (await host.exec("ls /var/log/openvidu-ha | grep '^update-' | sort")).stdout.split("\n").filter(Boolean);
            assert.deepEqual(
                logs.map((l) => l.replace(/-\d{8}T\d{6}\.log$/, "")),
                ["update-3.5.0", "update-3.8.0"],
            );
            assert.match(await host.readFile(`/var/log/openvidu-ha/${logs[1]}`), /^Updated 3\.7\.0 -> 3\.8\.0$/m);
        } finally {
            await host.exec('for p in $(cat /run/updater-double-children 2>/dev/null); do kill "$p" 2>/dev/null; done; rm -f /run/updater-double-children');
        }
    });
    it("an updater that is not the pinned one (SHA-256 mismatch): the check refuses before anything stops, and keeps no plan", async function () {
        const host = h[3];
        const pinned = "ab".repeat(32);
        const pinnedNext = await Deployment.of(lab, spec("3.8.0", { updaterSha256: [`3.5.0=${pinned}`] }));
        const check = pinnedNext.steps.find((s) => s.host === host && s.kind === "converge" && s.name.endsWith("-check"))!;
        const calls = host.systemctlCalls().length;
        const { result: r, watch } = await watchAsNobody(host, () => pinnedNext.run(check, "update"));
        assert.deepEqual(watch.reached, []);
        const output = failureOutput(r, check.spec.update);
        const actual = (await host.exec("sha256sum /var/lib/openvidu-ha/updater/3.5.0/update.sh | cut -d' ' -f1")).stdout.trim();
        assert.match(actual, /^[0-9a-f]{64}$/);
        assert.notEqual(actual, pinned);
        assert.match(
            output,
            new RegExp(
                `^converge check failed on master-4: updater checksum mismatch for https://\\S+/3\\.5\\.0/update\\.sh: expected ${pinned}, got ${actual}$`,
                "m",
            ),
        );
        assert.equal((await host.exec("ls -A /var/lib/openvidu-ha/converge")).stdout, "", "no plan kept: the next check decides again");
        assert.deepEqual(host.systemctlCalls().slice(calls), []);
        assert.equal(await host.fileExists("/var/log/openvidu-updater-double"), false, "the updater never ran");
        assert.match(await host.readFile("/opt/openvidu/deployment-info.yaml"), /^version: 3\.0\.0$/m);
    });
    it("a media node's stop phase of an upgrade drains it: SIGQUIT to its containers, each drained (exit 0) before the stop", async function () {
        const host = h[4];
        await setKnob(host, KNOBS.drainSeconds, "3");
        const [check, stop] = phases(host);
        assert.match(stop.name, /-checkpoint-stop$/);
        for (const step of [check, stop]) {
            const r = await watched(host, step);
            assert.equal(r.exitCode, 0, `${step.name}: ${r.error}`);
        }
        const kills = host.dockerCalls().filter((c) => c.startsWith("kill "));
        assert.equal(kills.length, 1, kills.join("\n"));
        assert.equal(kills[0].split(" ")[1], "--signal=SIGQUIT");
        // The docker double's record of how each container ended (service-scripts.test.ts reads it the same way).
        const ended = fs.readFileSync(path.join(host.stateDir, "containers-ended.log"), "utf8").split("\n").filter(Boolean).sort();
        assert.deepEqual(
            ended,
            ["agent-speech-processing", "egress", "ingress", "openvidu"].map((c) => `${c} 0 exited-before-stop`),
        );
        assert.equal((await host.exec("systemctl is-active openvidu")).stdout.trim(), "inactive");
    });
});
