// Day 2 on test hosts, as pulumi ups through the engine model: an upgrade that fails on one node stops there,
// names it with the updater's last lines (masked), and the next up resumes; then a dead master replaced by a new
// machine on the same address (new host key, empty disk): the next up stops naming it; once the operator sets its
// new hostKey, the up after installs it into the cluster without touching the other nodes; a master's privateIp
// change is refused by every node's preflight.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { plainInputs } from "../support/engine/diff";
import { TestHost } from "./harness";
import { ClusterSpec, filesHolding, INSTALLER_OWN_FILES, setKnob } from "./deployment";
import { masterListRefusal, SavedStack, serviceCalls, Stack, versionOf } from "./day2";
import { useLab } from "./lab";
import { Stages } from "./stages";

const UPDATER_BEHAVIOUR = "/etc/openvidu-updater-double/behaviour";

describe("day 2: a failed upgrade resumes; a dead master is replaced; a master re-addressed is refused (pulumi ups, engine model)", function () {
    // A test run alone reaches its stage first (up to three ups on a loaded machine).
    this.timeout(600_000);
    const good = { cpus: 4, memMb: 8192 };
    const lab = useLab([good, good, good, good, good, good]);
    let masters: TestHost[], media: TestHost[], stack: Stack, spec38: ClusterSpec;
    const all = () => [...masters, ...media];
    const mediaLabel = (h: TestHost) => `media-${h.address.replace(/\./g, "-")}`;
    // Each test starts from a saved stage (hosts' disks with the stack's state, stages.ts): deployed on 3.0.0; the
    // upgrade to 3.8.0 failed on media[1]; resumed, the cluster on 3.8.0. A stage is reached once, by the first test
    // that needs it.
    const stages = new Stages(() => all(), {
        save: () => stack.save(),
        restore: (s) => stack.restore(s as SavedStack),
    });
    const deployed = stages.define("deployed-3.0.0", async () => {
        const first = await stack.up({ masters, media, config: { openviduVersion: "3.0.0" } });
        assert.equal(first.failed, undefined, first.failed?.stderr);
    });
    /** The upgrade to 3.8.0 with media[1]'s updater failing at 3.3.0; the service calls before it. */
    const failedUpgrade = stages.define("upgrade-failed", async () => {
        await stages.from(deployed);
        await setKnob(media[1], UPDATER_BEHAVIOUR, "fail-at 3.3.0");
        const calls = all().map((host) => host.systemctlCalls().length);
        return { up: await stack.up(spec38), calls };
    });
    /** The next up, media[1]'s updater healthy again: every node on 3.8.0. */
    const resumed = stages.define("upgrade-resumed", async () => {
        await stages.from(failedUpgrade);
        await setKnob(media[1], UPDATER_BEHAVIOUR, "");
        return await stack.up(spec38);
    });

    before(function () {
        const h = lab.hosts.hosts;
        masters = h.slice(0, 4);
        media = h.slice(4, 6);
        stack = new Stack(lab);
        spec38 = { masters, media, config: { openviduVersion: "3.8.0" } };
    });
    afterEach(function () {
        if (this.currentTest?.state !== "passed") stages.forget();
    });

    /** masters[1] dies and a new machine takes its address: empty disk, new host key. Resolves to the old key. */
    async function replaceDeadMaster(): Promise<string> {
        const dead = masters[1];
        await dead.kill();
        for (const d of ["upper", "work"]) {
            const dir = path.join(dead.dir, "fs", d);
            for (const entry of fs.readdirSync(dir)) fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
        }
        const recorded = dead.hostKey();
        await dead.replaceHostKey();
        assert.equal(await dead.fileExists("/opt/openvidu"), false, "a new machine");
        assert.notEqual(dead.hostKey(), recorded);
        return recorded;
    }

    it("an upgrade failing on one node stops there: names it, shows the updater's last lines masked, starts nothing", async function () {
        const failing = media[1];
        const { up, calls } = await stages.reach(failedUpgrade);
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
        const up = await stages.reach(resumed);
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

    it("a dead master replaced by a new machine (empty disk, new host key): the next up stops naming it, touches nothing", async function () {
        const dead = masters[1];
        await stages.from(resumed, [dead]);
        await replaceDeadMaster();
        const calls = all().map((host) => host.systemctlCalls().length);
        const before = stack.state;
        const up = await stack.up(spec38);
        assert.ok(up.failed, "the up stopped");
        assert.equal(up.failed.name, "masters-2-host-key");
        assert.match(
            up.failed.stderr,
            new RegExp(
                `^master-2 \\(${dead.address.replace(/\./g, "\\.")}:22\\): the SSH host key changed: recorded SHA256:[A-Za-z0-9+/]{43}, presented now SHA256:[A-Za-z0-9+/]{43}\\. ` +
                    "Nothing was sent to the host\\. If the host was rebuilt or its key rotated on purpose, check the new key on the host",
            ),
        );
        assert.deepEqual(up.ran, []);
        assert.equal(stack.state, before, "the state is unchanged");
        for (const [i, host] of all().entries()) assert.deepEqual(serviceCalls(host, calls[i]), [], host.name);
    });

    it("its new hostKey set: the next up runs that master's own steps only, it joins the cluster on 3.8.0, others untouched", async function () {
        const dead = masters[1];
        await stages.from(resumed, [dead]);
        await replaceDeadMaster();
        const calls = all().map((host) => host.systemctlCalls().length);
        const spec = { ...spec38, masters: masters.map((m) => (m === dead ? { host: dead, hostKey: dead.hostKey() } : m)) };
        const up = await stack.up(spec);
        assert.equal(up.failed, undefined, `${up.failed?.name}: ${up.failed?.stderr}`);
        // Every command of the node has a new connection.hostKey: an update, which runs `create` again (no delete on
        // the old machine's record, no --replace); nothing else changed.
        const chain = ["check", ...["checkpoint", "final"].flatMap((round) => ["stop", "update", "start"].map((p) => `${round}-${p}`))];
        assert.deepEqual(
            up.ran.map((r) => `${r.name} ${r.op}`).sort(),
            [...["preflight", "install", "start", "health"].map((k) => `masters-2-${k}`), ...chain.map((k) => `converge-master-2-${k}`)]
                .map((n) => `${n} update`)
                .sort(),
        );
        assert.ok(up.plan.describe().includes("delete masters-2-host-key"), up.plan.describe().join("\n"));
        assert.ok(up.ran.every((r) => r.host === dead.address));
        assert.equal(await versionOf(dead), "3.8.0");
        assert.equal((await dead.exec("systemctl is-active openvidu")).stdout.trim(), "active");
        assert.match(up.ran.find((r) => r.name === "masters-2-install")!.stdout, /master installed$/);
        assert.match(up.ran.find((r) => r.name === "converge-master-2-check")!.stdout, /installed 3\.8\.0, configured 3\.8\.0: none$/);
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
        // No secret in a step's output or in a file outside the installer's own.
        for (const secret of up.secrets) assert.ok(!up.ran.some((r) => (r.stdout + r.stderr).includes(secret)), "a secret in a step's output");
        assert.deepEqual(
            (await filesHolding(dead, up.secrets)).filter((f) => !INSTALLER_OWN_FILES.test(f)),
            [],
        );
        const again = await stack.up(spec);
        assert.deepEqual(again.ran, [], "then nothing runs");
    });

    it("a master's privateIp changed: refused by every node's preflight, naming the key and the reason; nothing else ran; reverted, nothing runs", async function () {
        const moved = masters[2];
        await stages.from(resumed);
        // The new address bound on the host (so its preflight passes, as after a real re-addressing).
        const newIp = moved.address.replace(/\.\d+$/, ".200");
        // The network namespace outlives the host's restores: the address is removed again whatever happens.
        await moved.exec(`ip addr add ${newIp}/32 dev eth0`);
        try {
            await refusedThenReverted(moved, newIp);
        } finally {
            await moved.exec(`ip addr del ${newIp}/32 dev eth0`);
        }
    });

    async function refusedThenReverted(moved: TestHost, newIp: string): Promise<void> {
        const calls = all().map((host) => host.systemctlCalls().length);
        const masterEntry = (m: TestHost) => (m === moved ? { host: moved, privateIp: newIp } : (spec38.masters[masters.indexOf(m)] as TestHost));
        const up = await stack.up({ ...spec38, masters: masters.map(masterEntry) });
        assert.ok(up.failed, "refused");
        const list = masters.map((m) => (m === moved ? newIp : m.address)).join(",");
        // Every node's preflight ran (the master list is its input) and refused; nothing else ran.
        assert.deepEqual(
            up.ran.map((r) => r.name).sort(),
            [...masters.map((_, i) => `masters-${i + 1}-preflight`), ...media.map((h) => `${mediaLabel(h)}-preflight`)].sort(),
        );
        for (const r of up.ran) {
            assert.equal(r.stderr, masterListRefusal(r.name, list));
        }
        for (const [i, host] of all().entries()) assert.deepEqual(serviceCalls(host, calls[i]), [], host.name);
        const reverted = await stack.up(spec38);
        assert.equal(reverted.failed, undefined, reverted.failed?.stderr);
        assert.deepEqual(
            reverted.ran.map((r) => r.name),
            [],
            "the failed preflights kept their old inputs",
        );
        for (const [i, host] of all().entries()) assert.deepEqual(serviceCalls(host, calls[i]), [], host.name);
    }
});
