// Day 2 on test hosts, as pulumi ups through the engine model: an upgrade that fails on one node stops there,
// names it with the updater's last lines (masked), and the next up resumes; then a dead master rebuilt on the
// same address is reinstalled with --replace without touching the other nodes.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { plainInputs } from "../support/engine/diff";
import { TestHost } from "./harness";
import { ClusterSpec, setKnob } from "./deployment";
import { serviceCalls, Stack, versionOf } from "./day2";
import { useLab } from "./lab";

const UPDATER_BEHAVIOUR = "/etc/openvidu-updater-double/behaviour";

describe("day 2: a failed upgrade resumes; a dead master is replaced (pulumi ups, engine model)", function () {
    const good = { cpus: 4, memMb: 8192 };
    const lab = useLab([good, good, good, good, good, good]);
    let masters: TestHost[], media: TestHost[], stack: Stack, spec38: ClusterSpec;
    const all = () => [...masters, ...media];
    const mediaLabel = (h: TestHost) => `media-${h.address.replace(/\./g, "-")}`;

    before(async function () {
        const h = lab.hosts.hosts;
        masters = h.slice(0, 4);
        media = h.slice(4, 6);
        stack = new Stack(lab);
        spec38 = { masters, media, config: { openviduVersion: "3.8.0" } };
        const first = await stack.up({ masters, media, config: { openviduVersion: "3.0.0" } });
        assert.equal(first.failed, undefined, first.failed?.stderr);
    });

    it("an upgrade failing on one node stops there: names it, shows the updater's last lines masked, starts nothing", async function () {
        const failing = media[1];
        await setKnob(failing, UPDATER_BEHAVIOUR, "fail-at 3.3.0");
        const calls = all().map((host) => host.systemctlCalls().length);
        const up = await stack.up(spec38);
        assert.ok(up.failed, "the up failed");
        assert.equal(up.failed.name, `converge-${mediaLabel(failing)}-checkpoint-update`);
        const lines = up.failed.stderr.split("\n");
        assert.match(
            lines.find((l) => l.startsWith("converge update failed")) ?? "",
            new RegExp(
                `^converge update failed on ${mediaLabel(failing)}: the updater 3\\.0\\.0 -> 3\\.5\\.0 exited with 1 \\(node now on 3\\.2\\.0\\); ` +
                    "last lines of /var/log/openvidu-ha/update-3\\.5\\.0-\\d{8}T\\d{6}\\.log \\(secrets masked\\):$",
            ),
        );
        assert.ok(lines.includes("ERROR: migration to 3.3.0 failed (updater test double, as told)"), up.failed.stderr);
        // The double printed the node's config (as a diff would): the 3.0-era media config holds the license and
        // credentials the 3.8 media arguments do not; every one is masked, in the step and in the log.
        assert.ok(
            lines.some((l) => l === "OPENVIDU_PRO_LICENSE=[secret]"),
            up.failed.stderr,
        );
        const log = await failing.exec("cat /var/log/openvidu-ha/update-3.5.0-*.log");
        for (const secret of up.secrets) {
            assert.ok(
                !up.failed.stderr.includes(secret) && !log.stdout.includes(secret),
                `a secret in the updater's output:\n${up.failed.stderr}\n---\n${log.stdout}`,
            );
        }
        // The others finished this round's update (they ran in parallel) and stay stopped; nothing was started.
        for (const [i, host] of all().entries()) {
            assert.equal(await versionOf(host), host === failing ? "3.2.0" : "3.5.0", host.name);
            assert.deepEqual(
                serviceCalls(host, calls[i]).filter((c) => c !== "stop"),
                [],
                `${host.name} started`,
            );
            assert.equal((await host.exec("systemctl is-active openvidu")).stdout.trim(), "inactive");
        }
        assert.ok(!up.ran.some((r) => /-(checkpoint|final)-start$/.test(r.name)), "no start step ran");
    });

    it("the next up resumes: the failed node's updater continues from 3.2.0, nothing done before runs again", async function () {
        const failing = media[1];
        await setKnob(failing, UPDATER_BEHAVIOUR, "");
        const up = await stack.up(spec38);
        assert.equal(up.failed, undefined, `${up.failed?.name}: ${up.failed?.stderr}`);
        for (const host of all()) {
            assert.equal(await versionOf(host), "3.8.0", host.name);
            assert.equal((await host.exec("systemctl is-active openvidu")).stdout.trim(), "active");
        }
        const names = up.ran.map((r) => r.name);
        assert.ok(!names.some((n) => n.endsWith("-check") || /-checkpoint-stop$/.test(n)), `ran again: ${names.join(", ")}`);
        assert.ok(!masters.some((_, i) => names.includes(`converge-master-${i + 1}-checkpoint-update`)), "a finished update ran again");
        assert.match(up.ran.find((r) => r.name === `converge-${mediaLabel(failing)}-checkpoint-update`)!.stdout, /running the updater 3\.2\.0 -> 3\.5\.0/);
    });

    it("a dead master rebuilt on the same address: --replace of its install reinstalls it into the cluster, no other node touched", async function () {
        const dead = masters[1];
        await dead.kill();
        for (const d of ["upper", "work"]) {
            const dir = path.join(dead.dir, "fs", d);
            for (const entry of fs.readdirSync(dir)) fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
        }
        await dead.restart();
        assert.equal(await dead.fileExists("/opt/openvidu"), false, "a new machine");
        const calls = all().map((host) => host.systemctlCalls().length);
        const install = stack.state.find((r) => r.name === "masters-2-install")!;
        const up = await stack.up(spec38, { replace: [install.urn] });
        assert.equal(up.failed, undefined, `${up.failed?.name}: ${up.failed?.stderr}`);
        assert.deepEqual(
            up.ran.map((r) => `${r.name} ${r.operation}`),
            ["masters-2-start delete", "masters-2-install delete", "masters-2-install create", "masters-2-start create", "masters-2-health create"],
        );
        assert.ok(up.ran.every((r) => r.host === dead.address));
        assert.equal(await versionOf(dead), "3.8.0");
        assert.equal((await dead.exec("systemctl is-active openvidu")).stdout.trim(), "active");
        // Installed with the cluster's master list and credentials: the arguments of the program's install step.
        const stdin = String(plainInputs(stack.state.find((r) => r.name === "masters-2-install")!).stdin);
        const argv = (await dead.exec("cat /var/log/openvidu-installer-double/001/argv")).stdout;
        assert.equal(
            argv,
            stdin
                .split("\n")
                .filter(Boolean)
                .map((l) => l.slice(2))
                .join("\n") + "\n",
        );
        assert.match(argv, new RegExp(`^--master-node-private-ip-list=${masters.map((m) => m.address).join(",")}$`, "m"));
        for (const [i, host] of all().entries()) {
            if (host !== dead) assert.deepEqual(serviceCalls(host, calls[i]), [], host.name);
        }
    });
});
