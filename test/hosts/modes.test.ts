// Modes and owners of everything secret install.sh writes (the installer arguments, the installer's output, its
// log, its state), on each path: a fresh install, a failed one, one resuming an interrupted run, and a host whose
// directories exist with loose modes. The installer double records them while it runs (its `modes` file), the
// moment every secret sits in /run/openvidu-ha/installer-args. Each test sets up its own host.
import { strict as assert } from "assert";
import { TestHost } from "./harness";
import { Deployment, KNOBS, setKnob } from "./deployment";
import { useLab } from "./lab";

/** "<mode> <owner:group> <type> <path>" lines that any user but root could read, or that root does not own. */
function readableByOthers(lines: string[]): string[] {
    return lines.filter((l) => {
        const [mode, owner] = l.split(" ");
        return owner !== "root:root" || !/^[0-7]?[0-7]00$/.test(mode);
    });
}

/** What the installer double saw while it ran, in run `n` (001, 002, ...). */
async function modesDuringInstall(host: TestHost, n = "001"): Promise<string[]> {
    return (await host.readFile(`/var/log/openvidu-installer-double/${n}/modes`)).split("\n").filter(Boolean);
}

/** Mode lines of what our scripts leave in their directories after a run. */
async function modesAfter(host: TestHost): Promise<string[]> {
    const r = await host.exec(
        "for f in /run/openvidu-ha /run/openvidu-ha/* /var/lib/openvidu-ha /var/lib/openvidu-ha/* " +
            '/var/log/openvidu-ha /var/log/openvidu-ha/*; do [ -e "$f" ] && stat -c \'%a %U:%G %F %n\' "$f"; done; true',
    );
    return r.stdout.split("\n").filter(Boolean);
}

describe("modes and owners of the secrets install.sh writes (test hosts)", function () {
    const good = { cpus: 4, memMb: 8192 };
    const lab = useLab([good, good, good, good]);
    let h: TestHost[];
    let d: Deployment;

    before(async function () {
        h = lab.hosts.hosts;
        d = await Deployment.of(lab, { masters: [h[0], h[1], h[2], h[3]], media: [{ address: "10.99.4.1" }] });
    });

    const argsWhileRunning = (lines: string[]) => lines.find((l) => l.endsWith(" /run/openvidu-ha/installer-args"));

    it("fresh install: while the installer runs, its argument file is 0600 root in a 0700 root directory, and so is all else", async function () {
        const r = await d.run(d.stepOf(h[0], "install"));
        assert.equal(r.exitCode, 0, r.error);
        const during = await modesDuringInstall(h[0]);
        assert.equal(argsWhileRunning(during), "600 root:root regular file /run/openvidu-ha/installer-args");
        assert.ok(during.includes("700 root:root directory /run/openvidu-ha"), during.join("\n"));
        assert.ok(
            during.some((l) => / \/var\/log\/openvidu-ha\/install-\d{8}T\d{6}\.log$/.test(l)),
            during.join("\n"),
        );
        assert.deepEqual(readableByOthers(during), []);
        assert.deepEqual(readableByOthers(await modesAfter(h[0])), []);
    });

    it("failed install: the same while it runs, and the masked log it leaves is root-only", async function () {
        await setKnob(h[1], KNOBS.installer, "fail");
        const r = await d.run(d.stepOf(h[1], "install"));
        assert.equal(r.exitCode, 1);
        const during = await modesDuringInstall(h[1]);
        assert.equal(argsWhileRunning(during), "600 root:root regular file /run/openvidu-ha/installer-args");
        assert.deepEqual(readableByOthers(during), []);
        const after = await modesAfter(h[1]);
        assert.ok(
            after.some((l) => /^600 root:root regular file \/var\/log\/openvidu-ha\/install-/.test(l)),
            after.join("\n"),
        );
        assert.deepEqual(readableByOthers(after), []);
    });

    it("resumed install (an interrupted first install left its marker and a partial /opt/openvidu): the same", async function () {
        const left = await h[2].exec(
            "umask 077 && mkdir -p /var/lib/openvidu-ha /opt/openvidu/config && " +
                "echo fresh > /var/lib/openvidu-ha/installing && chmod 700 /var/lib/openvidu-ha",
        );
        assert.equal(left.exitCode, 0, left.stderr);
        const r = await d.run(d.stepOf(h[2], "install"));
        assert.equal(r.exitCode, 0, r.error);
        assert.match(r.stdout, /completing an installation that was interrupted \(fresh\)/);
        const during = await modesDuringInstall(h[2]);
        assert.equal(argsWhileRunning(during), "600 root:root regular file /run/openvidu-ha/installer-args");
        assert.deepEqual(readableByOthers(during), []);
        assert.deepEqual(readableByOthers(await modesAfter(h[2])), []);
    });

    it("directories that exist with loose modes (0755) are made root-only before anything secret is written", async function () {
        const loose = await h[3].exec(
            "umask 022 && mkdir -p /run/openvidu-ha /var/lib/openvidu-ha /var/log/openvidu-ha && " +
                "chmod 755 /run/openvidu-ha /var/lib/openvidu-ha /var/log/openvidu-ha",
        );
        assert.equal(loose.exitCode, 0, loose.stderr);
        const r = await d.run(d.stepOf(h[3], "install"));
        assert.equal(r.exitCode, 0, r.error);
        const during = await modesDuringInstall(h[3]);
        for (const dir of ["/run/openvidu-ha", "/var/lib/openvidu-ha", "/var/log/openvidu-ha"]) {
            assert.ok(during.includes(`700 root:root directory ${dir}`), during.join("\n"));
        }
        assert.deepEqual(readableByOthers(during), []);
    });
});
