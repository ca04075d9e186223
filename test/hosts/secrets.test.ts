// Secrets on test hosts: never in a step's output, a log of ours, a file we leave behind or the argument list of a
// process our scripts start (the vendor installer's own invocation aside: it takes them only as flags).
// Every test starts from the same fresh hosts (their disks saved in `before`, put back before each test), so each
// runs alone and in any order.
import { strict as assert } from "assert";
import { isInstallerDouble, sampleProcesses, TestHost } from "./harness";
import { Deployment, failureOutput, filesHolding, INSTALLER_OWN_FILES, KNOBS, RUN_TAG, setKnob, shownOf } from "./deployment";
import { ClusterSnapshot } from "./host-snapshot";
import { useLab } from "./lab";
import { parseInstallerStdin } from "../support/installer-args";

describe("secrets on test hosts (the program's commands)", function () {
    const good = { cpus: 4, memMb: 8192 };
    const lab = useLab([good, good, good, { ...good, extraUser: "ops", extraUserSudo: true }]);
    let h: TestHost[];
    let d: Deployment;
    let secrets: string[];
    let fresh: ClusterSnapshot;

    before(async function () {
        h = lab.hosts.hosts;
        // A user name that is a prefix of a password, a password that contains another: masking must not leak
        // the rest of the longer one.
        d = await Deployment.of(lab, {
            masters: [h[0], h[1], h[2], h[3]],
            media: [{ address: "10.99.2.1" }],
            config: {
                dashboardAdminUser: `${RUN_TAG}dash`,
                dashboardAdminPassword: `${RUN_TAG}dash-password-long`,
            },
        });
        secrets = d.secretValues();
        assert.ok(secrets.length >= 16, `${secrets.length} secrets`);
        fresh = await ClusterSnapshot.take(h, "fresh");
    });

    const leaks = (text: string) => secrets.filter((s) => text.includes(s));
    beforeEach(() => fresh.restore());
    afterEach(() => fresh.dirty()); // every test installs or fails an install

    it("a failing installer's output is masked: in the step's stderr and in /var/log/openvidu-ha", async function () {
        await setKnob(h[0], KNOBS.installer, "fail");
        const r = await d.run(d.stepOf(h[0], "install"));
        const output = failureOutput(r, d.stepOf(h[0], "install").spec.create);
        assert.match(
            output,
            /^install failed on master-1: the installer exited with 1; last lines of \/var\/log\/openvidu-ha\/install-\d{8}T\d{6}\.log \(secrets masked\):$/m,
        );
        // The double prints each argument on its own line, indented: every secret one must read "[secret]" whole.
        const args = parseInstallerStdin(d.stepOf(h[0], "install").spec.stdin!);
        for (const a of args) {
            const shown = a.secret ? `${a.flag}=[secret]` : a.value === undefined ? a.flag : `${a.flag}=${a.value}`;
            assert.ok(output.split("\n").includes(`  ${shown}`), `the error lacks '  ${shown}':\n${output}`);
        }
        assert.deepEqual(leaks(r.error!), []);
        const logs = await h[0].exec("cat /var/log/openvidu-ha/*");
        assert.match(logs.stdout, /--openvidu-pro-license=\[secret\]/);
        assert.deepEqual(leaks(logs.stdout), [], "a secret in /var/log/openvidu-ha");
    });

    it("masking ends, even when a secret value occurs in the mask text itself", async function () {
        const odd = await Deployment.of(lab, {
            masters: [h[2], h[1], h[0], h[3]],
            media: [{ address: "10.99.2.1" }],
            config: { grafanaAdminUser: "secret" },
        });
        await setKnob(h[2], KNOBS.installer, "fail");
        const bound = new Promise<"hung">((resolve) => setTimeout(() => resolve("hung"), 20_000).unref());
        const r = await Promise.race([odd.run(odd.stepOf(h[2], "install")), bound]);
        assert.notEqual(r, "hung", "the install step did not end within 20 s");
        if (r === "hung") return;
        const output = failureOutput(r, odd.stepOf(h[2], "install").spec.create);
        assert.ok(output.split("\n").includes("  --grafana-admin-user=[secret]"), output);
        assert.ok(output.split("\n").includes(`  --openvidu-pro-license=[secret]`), output);
    });

    it("no process our scripts start has a secret in its arguments, except the installer's own (ps sampled)", async function () {
        await setKnob(h[1], KNOBS.installer, "slow 2");
        await setKnob(h[3], KNOBS.installer, "slow 2");
        const { samples, result } = await sampleProcesses(
            Promise.all([
                d.run(d.stepOf(h[1], "install")), // as root
                d.run(d.stepOf(h[3], "install")), // same command, through sudo (sshUser ops)
                d.run(d.stepOf(h[0], "install")), // as root, at normal speed
            ]),
        );
        for (const r of result) assert.equal(r.exitCode, 0, r.error);
        for (const s of secrets) {
            assert.deepEqual(samples.containing(s, isInstallerDouble), [], `a process with ${s} in its arguments`);
        }
        // The sampler did see the installer double carrying them as flags (so it would have seen other processes).
        const license = String(d.config.license);
        const installers = samples.containing(license).filter(isInstallerDouble);
        assert.ok(
            installers.some((p) => p.args.includes("/var/lib/openvidu-ha/install_ov_master_node.sh")),
            "installer not sampled",
        );
    });

    it("no step prints a secret, and no file outside the installer's own holds one", async function () {
        const from = d.history.length; // this test's own runs (the deployment is shared with the other tests)
        await d.up({ hosts: [h[0], h[1], h[2], h[3]] });
        await d.destroy({ hosts: [h[3]] });
        const runs = d.history.slice(from);
        // 4 steps (preflight, install, start, health) on 4 hosts, then 2 deletes (start, install) on one
        assert.equal(runs.length, 4 * 4 + 2, `${runs.length} step runs`);
        for (const r of runs) assert.deepEqual(leaks(shownOf(r)), [], `${r.step} ${r.op}`);
        for (const host of h) {
            const holding = await filesHolding(host, secrets);
            assert.deepEqual(
                holding.filter((f) => !INSTALLER_OWN_FILES.test(f)),
                [],
                host.name,
            );
        }
        assert.ok(
            (await filesHolding(h[0], secrets)).includes("/opt/openvidu/config/cluster/openvidu.env"),
            "the file scan finds the installer's configuration",
        );
    });
});
