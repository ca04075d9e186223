// install.sh (the program's install step) on hosts that fail the ways real nodes fail: an installer killed half-way
// (a half-written /opt/openvidu), an installation whose files went missing afterwards, and full disks (before the
// install, filling up during it, the tmp directory the command is copied to). Each test has its own host; while the
// steps run, `nobody` tries to read what the scripts keep secret (harness/nobody-watch.ts).
import { strict as assert } from "assert";
import { TestHost } from "./harness";
import { watchAsNobody } from "./harness/nobody-watch";
import { waitFor } from "./harness/sh";
import { Deployment, failureOutput, filesHolding, INSTALLER_OWN_FILES, installerRuns, KNOBS, setKnob, StepRun } from "./deployment";
import { useLab } from "./lab";

/** Mounts a `size` tmpfs over `dir` on `host` and fills it with `filler` (left out: only the mount). */
async function smallFilesystem(host: TestHost, dir: string, size: string, fill = true): Promise<void> {
    const r = await host.exec(
        'mkdir -p "$1" && mount -t tmpfs -o "size=$2,mode=755" ovha-small "$1" && ' +
            '{ [ "$3" = no ] || dd if=/dev/zero of="$1/filler" bs=4k 2>/dev/null || true; } && df -Pk "$1" | awk \'NR == 2 { print $4 }\'',
        { args: [dir, size, fill ? "yes" : "no"] },
    );
    assert.equal(r.exitCode, 0, r.stderr);
    if (fill) assert.equal(r.stdout.trim(), "0", `${dir} not full`);
}

describe("install.sh on hosts that fail like real nodes (test hosts)", function () {
    const good = { cpus: 4, memMb: 8192 };
    const lab = useLab([good, good, good, good, good, good, good]);
    let h: TestHost[];
    let d: Deployment;
    let secrets: string[];

    before(async function () {
        h = lab.hosts.hosts;
        d = await Deployment.of(lab, { masters: [h[0], h[1], h[2], h[3]], media: [h[4]] });
        secrets = d.secretValues();
    });

    const install = (host: TestHost) => d.run(d.stepOf(host, "install"));
    /** Runs the install step while `nobody` watches; asserts nobody reached anything and the watch overlapped it. */
    async function installWatched(host: TestHost): Promise<StepRun> {
        const { result, watch } = await watchAsNobody(host, () => install(host));
        assert.deepEqual(watch.reached, [], "nobody reached a secret path");
        assert.ok(watch.rounds >= 1, `${watch.rounds} rounds`);
        return result;
    }
    /** Files on the host holding a secret, the installer's own (its config, its test record) aside. */
    const secretsLeft = async (host: TestHost) => (await filesHolding(host, secrets)).filter((f) => !INSTALLER_OWN_FILES.test(f));
    const argsFileGone = async (host: TestHost) => !(await host.fileExists("/run/openvidu-ha/installer-args"));

    it("an installer killed half-way: the step fails, nothing secret stays; the next run redoes the install", async function () {
        const host = h[0];
        await setKnob(host, KNOBS.installer, "hang-after-partial");
        const { result: failed, watch } = await watchAsNobody(host, async () => {
            const running = install(host);
            await waitFor(
                "the installer to write part of its files",
                async () => ((await host.exec("cat /var/log/openvidu-installer-double/001/status 2>/dev/null")).stdout.includes("hanging") ? true : undefined),
                60_000,
            );
            // As the OOM killer would: the installer's own process, SIGKILL.
            const killed = await host.exec("kill -KILL $(cat /var/log/openvidu-installer-double/001/pid)");
            assert.equal(killed.exitCode, 0, killed.stderr);
            return running;
        });
        assert.deepEqual(watch.reached, []);
        assert.match(
            failureOutput(failed, d.stepOf(host, "install").spec.create),
            /^install failed on master-1: the installer exited with 137; last lines of /m,
        );
        // Half-written: the installer's config is there, its deployment info and unit are not; no install recorded.
        assert.equal(await host.fileExists("/opt/openvidu/config/cluster/openvidu.env"), true);
        assert.equal(await host.fileExists("/opt/openvidu/deployment-info.yaml"), false);
        assert.equal(await host.readFile("/var/lib/openvidu-ha/installing"), "fresh\n");
        assert.equal(await host.fileExists("/var/lib/openvidu-ha/installed"), false);
        assert.ok(await argsFileGone(host));
        assert.deepEqual(await secretsLeft(host), []);

        await host.exec("echo half > /opt/openvidu/written-by-the-killed-run");
        await setKnob(host, KNOBS.installer, "");
        const resumed = await installWatched(host);
        assert.equal(resumed.exitCode, 0, resumed.error);
        assert.match(resumed.stdout, /^install on master-1: completing an installation that was interrupted \(fresh\)$/m);
        // Redone from scratch: the half-written tree was removed first, the installer ran again to the end.
        assert.equal(await host.fileExists("/opt/openvidu/written-by-the-killed-run"), false);
        assert.match(await host.readFile("/opt/openvidu/deployment-info.yaml"), /^version: 3\.8\.0$/m);
        assert.deepEqual(await installerRuns(host), ["001", "002"]);
        assert.equal(await host.fileExists("/var/lib/openvidu-ha/installing"), false);
        assert.match(await host.readFile("/var/lib/openvidu-ha/installed"), /^[0-9a-f]{64}\n$/);
        assert.deepEqual(await secretsLeft(host), []);
    });

    it("a finished install runs nothing again; one whose unit file went missing is installed again", async function () {
        const host = h[1];
        assert.equal((await installWatched(host)).exitCode, 0);
        const again = await installWatched(host);
        assert.equal(again.stdout, "install on master-2: already installed with these inputs, nothing to do");
        assert.deepEqual(await installerRuns(host), ["001"]);

        await host.exec("rm /etc/systemd/system/openvidu.service");
        const redone = await installWatched(host);
        assert.equal(redone.exitCode, 0, redone.error);
        assert.match(redone.stdout, /^install on master-2: master installed$/m);
        assert.deepEqual(await installerRuns(host), ["001", "002"]);
        assert.equal(await host.fileExists("/etc/systemd/system/openvidu.service"), true);
    });

    it("a full disk before the install: refused naming the filesystem, before anything secret is written or run", async function () {
        const host = h[2];
        for (const dir of ["/opt", "/var/log/openvidu-ha", "/run/openvidu-ha"]) {
            await smallFilesystem(host, dir, "256k");
            const r = await install(host);
            assert.equal(
                failureOutput(r, d.stepOf(host, "install").spec.create),
                `install failed on master-3: no space left on ${dir} (0 KiB free); free some space and run again`,
                dir,
            );
            assert.deepEqual(await installerRuns(host), [], dir);
            assert.equal((await host.exec("ls -A /var/lib/openvidu-ha")).stdout, "", dir);
            assert.ok(await argsFileGone(host), dir);
            assert.deepEqual(await secretsLeft(host), [], dir);
            const freed = await host.exec('umount "$1"', { args: [dir] });
            assert.equal(freed.exitCode, 0, freed.stderr);
        }
        const r = await installWatched(host);
        assert.equal(r.exitCode, 0, r.error);
        assert.match(r.stdout, /^install on master-3: master installed$/m);
    });

    it("a disk filling up during the install: fails naming the full filesystem, leaves no secret, resumes once freed", async function () {
        const host = h[3];
        await smallFilesystem(host, "/opt", "2m", false);
        await setKnob(host, KNOBS.installer, "fill-disk");
        const failed = await installWatched(host);
        const output = failureOutput(failed, d.stepOf(host, "install").spec.create);
        assert.match(output, /^install failed on master-4: the installer exited with 1; last lines of /m);
        assert.match(
            output,
            /\ninstall failed on master-4: no space left on \/opt\/openvidu \(0 KiB free\), \/opt \(0 KiB free\) \(the likely cause\); free some space and run again$/,
        );
        assert.ok(await argsFileGone(host));
        assert.deepEqual(await secretsLeft(host), []);
        assert.equal(await host.readFile("/var/lib/openvidu-ha/installing"), "fresh\n");

        // Still full: the next run stops before running anything.
        await setKnob(host, KNOBS.installer, "");
        const refused = await install(host);
        assert.match(
            failureOutput(refused, d.stepOf(host, "install").spec.create),
            /no space left on \/opt\/openvidu \(0 KiB free\), \/opt \(0 KiB free\); free some space/,
        );
        assert.deepEqual(await installerRuns(host), ["001"]);

        await host.exec("rm /opt/openvidu/data/pulled-images");
        const resumed = await installWatched(host);
        assert.equal(resumed.exitCode, 0, resumed.error);
        assert.match(resumed.stdout, /completing an installation that was interrupted \(fresh\)/);
        assert.deepEqual(await installerRuns(host), ["001", "002"]);
        assert.deepEqual(await secretsLeft(host), []);
    });

    it("an installer that exits 0 with a half-written install: the step fails naming what is missing; the next run completes it", async function () {
        const host = h[6];
        const own = await Deployment.of(lab, {
            masters: [host, { address: "10.99.6.5" }, { address: "10.99.6.6" }, { address: "10.99.6.7" }],
            media: [{ address: "10.99.6.8" }],
        });
        const step = own.stepOf(host, "install");
        await setKnob(host, KNOBS.installer, "partial-success");
        const failed = await own.run(step);
        assert.match(
            failureOutput(failed, step.spec.create),
            new RegExp(
                "^install failed on master-1: the installer exited 0 but left no /opt/openvidu/deployment-info\\.yaml, " +
                    "/opt/openvidu/docker-compose\\.yml, /etc/systemd/system/openvidu\\.service; last lines of /var/log/openvidu-ha/install-",
                "m",
            ),
        );
        assert.deepEqual(await installerRuns(host), ["001"]);
        assert.equal(await host.readFile("/var/lib/openvidu-ha/installing"), "fresh\n", "the next run redoes it");
        assert.equal(await host.fileExists("/var/lib/openvidu-ha/installed"), false);
        assert.ok(await argsFileGone(host));
        assert.deepEqual(
            (await filesHolding(host, own.secretValues())).filter((f) => !INSTALLER_OWN_FILES.test(f)),
            [],
        );

        await setKnob(host, KNOBS.installer, "");
        const resumed = await own.run(step);
        assert.equal(resumed.exitCode, 0, resumed.error);
        assert.match(resumed.stdout, /^install on master-1: completing an installation that was interrupted \(fresh\)$/m);
        assert.deepEqual(await installerRuns(host), ["001", "002"]);
        assert.match(await host.readFile("/var/lib/openvidu-ha/installed"), /^[0-9a-f]{64}\n$/);
    });

    it("an installer that is not the pinned one (SHA-256 mismatch) never runs, and nothing secret is written", async function () {
        const host = h[5];
        const pinned = "ab".repeat(32);
        const other = await Deployment.of(lab, {
            masters: [host, { address: "10.99.6.1" }, { address: "10.99.6.2" }, { address: "10.99.6.3" }],
            media: [{ address: "10.99.6.4" }],
            config: { installerSha256Master: pinned },
        });
        const step = other.stepOf(host, "install");
        const r = await other.run(step);
        const output = failureOutput(r, step.spec.create);
        const actual = (await host.exec("sha256sum /var/lib/openvidu-ha/install_ov_master_node.sh | cut -d' ' -f1")).stdout.trim();
        assert.match(actual, /^[0-9a-f]{64}$/);
        assert.notEqual(actual, pinned);
        assert.equal(output, `install failed on master-1: installer checksum mismatch for ${lab.installUrl("master")}: expected ${pinned}, got ${actual}`);
        assert.deepEqual(await installerRuns(host), []);
        assert.equal(await host.fileExists("/var/lib/openvidu-ha/installing"), false);
        assert.ok(await argsFileGone(host));
        assert.deepEqual(await filesHolding(host, other.secretValues()), []);
    });

    it("a full tmp directory: the command cannot copy its script there and runs nothing", async function () {
        const host = h[4];
        await smallFilesystem(host, "/tmp", "64k");
        const step = d.stepOf(host, "install");
        const r = await d.run(step);
        assert.equal(failureOutput(r, step.spec.create), "cat: write error: No space left on device");
        assert.deepEqual(await installerRuns(host), []);
        assert.equal(await host.fileExists("/var/lib/openvidu-ha"), false);
        assert.deepEqual(await secretsLeft(host), []);
        await host.exec("umount /tmp");
    });
});
