// Failures on test hosts, with the program's commands: an unreachable host, a host that dies mid-install, a
// service that never answers its health gate.
import { strict as assert } from "assert";
import { DialError, RemoteCommandError, TestHost } from "./harness";
import { waitFor } from "./harness/sh";
import { Deployment, filesHolding, INSTALLER_OWN_FILES, installerRuns, KNOBS, setKnob } from "./deployment";
import { useLab } from "./lab";

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("failures on test hosts (the program's commands)", function () {
    const good = { cpus: 4, memMb: 8192 };
    const lab = useLab([{ ...good, sshd: false }, good, good]);
    let h: TestHost[];
    let d: Deployment;

    before(async function () {
        h = lab.hosts.hosts;
        d = await Deployment.of(lab, {
            masters: [h[1], h[2], { address: "10.99.3.1" }, { address: "10.99.3.2" }], media: [h[0]],
            config: { sshDialErrorLimit: 2, sshPerDialTimeout: 2, healthTimeoutSeconds: 30 },
        });
    });

    it("an unreachable host fails within sshDialErrorLimit x sshPerDialTimeout, naming the host", async function () {
        const step = d.stepOf(h[0], "preflight");
        // The bound the program gives the provider, from the stack config.
        assert.equal(step.connection.dialErrorLimit, 2);
        assert.equal(step.connection.perDialTimeout, 2);
        const started = Date.now();
        const error = await d.run(step).then(() => undefined, (e: unknown) => e);
        const ms = Date.now() - started;
        assert.ok(error instanceof DialError, String(error));
        assert.match(error.message, new RegExp(`^ssh dial to ${escape(h[0].address)}:22 failed after 2 attempt\\(s\\); ` +
            "last error: Timed out while waiting for handshake$"));
        // 2 dials of 2 s, the provider's 100 ms pause between them, and some slack.
        assert.ok(ms >= 4000 && ms <= 4000 + 100 + 1500, `took ${ms} ms`);
    });

    it("a host that dies mid-install is completed by the next run, with no secret left behind", async function () {
        const host = h[1];
        await d.up({ hosts: [host], kinds: ["preflight"] });
        await setKnob(host, KNOBS.installer, "hang-after-partial");
        const install = d.run(d.stepOf(host, "install")).then(() => undefined, (e: unknown) => e);
        await waitFor("the installer to hang", async () => (await host.exec(
            "cat /var/log/openvidu-installer-double/*/status 2>/dev/null")).stdout.includes("hanging") ? true : undefined);
        await host.kill();
        assert.ok((await install) instanceof RemoteCommandError, "the step fails when its host dies");
        await host.restart();
        // What the crash left: a partial /opt/openvidu, no finished installation, and no secret outside the
        // installer's own files (the arguments were on tmpfs).
        assert.equal(await host.fileExists("/opt/openvidu/config/cluster/openvidu.env"), true);
        assert.equal(await host.fileExists("/opt/openvidu/deployment-info.yaml"), false);
        assert.equal(await host.fileExists("/var/lib/openvidu-ha/installed"), false);
        const leftovers = (await filesHolding(host, d.secretValues())).filter((f) => !INSTALLER_OWN_FILES.test(f));
        assert.deepEqual(leftovers, []);

        await setKnob(host, KNOBS.installer, "");
        const r = await d.run(d.stepOf(host, "install"));
        assert.equal(r.exitCode, 0, r.stderr);
        assert.match(r.stdout, /^install on master-1: completing an installation that was interrupted \(fresh\)$/m);
        assert.deepEqual(await installerRuns(host), ["001", "002"]);
        assert.equal(await host.readFile("/var/log/openvidu-installer-double/002/status"), "finished\n");
        assert.match(await host.readFile("/opt/openvidu/deployment-info.yaml"), /^version: 3\.8\.0$/m);
        assert.equal(await host.readFile("/var/lib/openvidu-ha/installed"), `${d.fingerprintOf(d.stepOf(host, "install"))}\n`);
        assert.equal(await host.fileExists("/var/lib/openvidu-ha/installing"), false);
        await d.up({ hosts: [host], kinds: ["start", "health"] });
    });

    it("a host that dies while reinstalling over kept data keeps the data, and the next run completes", async function () {
        const host = h[1];
        const uninstall = await d.run(d.stepOf(host, "install"), "delete"); // the program's delete: uninstall retain
        assert.equal(uninstall.exitCode, 0, uninstall.stderr);
        await host.exec("echo recording > /opt/openvidu/data/kept-recording");
        await setKnob(host, KNOBS.installer, "hang-after-partial");
        const install = d.run(d.stepOf(host, "install")).then(() => undefined, (e: unknown) => e);
        await waitFor("the installer to hang", async () => (await host.exec(
            "cat /var/log/openvidu-installer-double/003/status 2>/dev/null")).stdout.includes("hanging") ? true : undefined);
        await host.kill();
        assert.ok((await install) instanceof RemoteCommandError);
        await host.restart();
        await setKnob(host, KNOBS.installer, "");
        const r = await d.run(d.stepOf(host, "install"));
        assert.equal(r.exitCode, 0, r.stderr);
        assert.match(r.stdout, /completing an installation that was interrupted \(reinstall\)/);
        assert.equal(await host.readFile("/opt/openvidu/data/kept-recording"), "recording\n");
        assert.deepEqual(await installerRuns(host), ["001", "002", "003", "004"]);
    });

    it("the health gate fails within healthTimeoutSeconds, naming the host, when the service never answers", async function () {
        const host = h[2];
        await d.up({ hosts: [host], kinds: ["preflight", "install"] });
        await setKnob(host, KNOBS.health, "down");
        const start = await d.run(d.stepOf(host, "start"));
        assert.equal(start.exitCode, 0, start.stderr);
        const started = Date.now();
        const r = await d.run(d.stepOf(host, "health"));
        const s = (Date.now() - started) / 1000;
        assert.equal(r.exitCode, 1);
        assert.match(r.stderr, new RegExp("^health gate failed on master-2: http://127\\.0\\.0\\.1:7880/health/caddy did not " +
            "answer within 30s \\(openvidu service: active; last error: curl: \\(7\\) .*\\)$"));
        // One poll every 5 s, each bounded by curl's 5 s: the gate ends within a poll of its timeout.
        assert.ok(s >= 30 && s <= 30 + 10 + 2, `took ${s} s`);
    });
});
