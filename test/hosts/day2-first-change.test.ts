// The first master-only change after a fresh deploy, as `pulumi up`s through the engine model (day2.ts): a media
// node must restart for a cluster-wide setting that lives on the masters only (`modules`, change-classes.ts), which it
// knows by hash only (the "H" lines of its stdin). Its install records those hashes in its applied state, so the
// change is seen by its very first convergence; the installer itself never sees them. Media nodes installed by an
// older openvidu-ha (applied state without them) record the masters' current settings at the next up's install run.
import { strict as assert } from "assert";
import { isWrappedSecret } from "../../tools/offline-runtime/secrets";
import { RecordedResource } from "../../tools/offline-runtime";
import { TestHost } from "./harness";
import { ClusterSpec, installerRuns } from "./deployment";
import { envOf, RanStep, SavedStack, serviceCalls, Stack, UpResult, upWithoutLeaks } from "./day2";
import { useLab } from "./lab";
import { Stages } from "./stages";

const APPLIED = "/var/lib/openvidu-ha/applied";
const byName = (u: UpResult, name: string): RanStep => {
    const r = u.ran.find((x) => x.name === name);
    if (!r) throw new Error(`${name} did not run; ran: ${u.ran.map((x) => x.name).join(", ")}`);
    return r;
};
/** A stdin's lines of one kind: "S"/"P" (the installer's arguments) or "H" (the masters' settings by hash). */
const linesOf = (stdin: string, kinds: RegExp) => stdin.split("\n").filter((l) => kinds.test(l.slice(0, 2)));
/** The media node's `applied` lines, "flag hash" (own) and "cluster:flag hash" (the masters'). */
const appliedOf = async (host: TestHost) => (await host.readFile(APPLIED)).split("\n").filter(Boolean);

/** `value` with every string inside a wrapped secret (the recorded stdin) mapped by `f`. */
function mapSecretString(value: unknown, f: (s: string) => string): unknown {
    if (isWrappedSecret(value)) return { ...value, value: mapSecretString(value.value, f) };
    return typeof value === "string" ? f(value) : value;
}

describe("day 2: the first master-only change after a fresh deploy restarts the media nodes (engine model)", function () {
    // A test run alone reaches its stage first (the first deploy on a loaded machine).
    this.timeout(600_000);
    const good = { cpus: 4, memMb: 8192 };
    const lab = useLab([good, good, good, good, good, good]);
    let masters: TestHost[], media: TestHost[], stack: Stack;
    const all = () => [...masters, ...media];
    const labelOf = (h: TestHost) => `media-${h.address.replace(/\./g, "-")}`;
    const spec = (config: Record<string, unknown> = {}): ClusterSpec => ({ masters, media, config: { openviduVersion: "3.8.0", ...config } });
    const modulesChanged = { modules: ["observability", "openviduMeet"] };

    const stages = new Stages(() => lab.hosts.hosts, {
        save: () => stack.save(),
        restore: (s) => stack.restore(s as SavedStack),
    });
    const deployed = stages.define("deployed-3.8.0", () => stack.up(spec()));

    before(function () {
        masters = lab.hosts.hosts.slice(0, 4);
        media = lab.hosts.hosts.slice(4, 6);
        stack = new Stack(lab);
    });
    afterEach(function () {
        if (this.currentTest?.state !== "passed") stages.forget();
    });

    /** The master-only `modules` change: the whole cluster stops once and starts once, media nodes included. */
    async function assertModulesChangeRestartsMedia(): Promise<UpResult> {
        const calls = all().map((host) => host.systemctlCalls().length);
        const up = await upWithoutLeaks(stack, spec(modulesChanged), all());
        assert.equal(up.failed, undefined, `${up.failed?.name}: ${up.failed?.stderr}`);
        for (const [i, host] of all().entries()) {
            assert.deepEqual(serviceCalls(host, calls[i]), ["stop", "start"], host.name);
            assert.equal((await host.exec("systemctl is-active openvidu")).stdout.trim(), "active", host.name);
        }
        for (const host of media) assert.match(byName(up, `converge-${labelOf(host)}-check`).stdout, /: cluster$/, host.name);
        for (const host of masters) assert.equal((await envOf(host, "config/cluster/openvidu.env")).ENABLED_MODULES, "observability,openviduMeet");
        // The installers did not run again; each media install step found its node installed with the same arguments.
        for (const host of all()) assert.deepEqual(await installerRuns(host), ["001"], host.name);
        for (const host of media) {
            assert.equal(byName(up, `${labelOf(host)}-install`).stdout, `install on ${labelOf(host)}: already installed with these inputs, nothing to do`);
        }
        return up;
    }

    it("fresh deploy: a media node's applied state holds the masters' settings by hash; its installer saw its own arguments only", async function () {
        const up = await stages.reach(deployed);
        assert.equal(up.failed, undefined, `${up.failed?.name}: ${up.failed?.stderr}`);
        for (const host of media) {
            const stdin = up.plan.steps.find((s) => s.name === `${labelOf(host)}-install`)!.run!.inputs.stdin as string;
            const own = linesOf(stdin, /^[SP] $/);
            const cluster = linesOf(stdin, /^H $/);
            assert.ok(cluster.length > 0 && cluster.some((l) => l.startsWith("H --enabled-modules=")), stdin);
            // The installer's argv: exactly the S/P lines' arguments, in order; no H value anywhere in what it saw.
            const argv = (await host.readFile("/var/log/openvidu-installer-double/001/argv")).split("\n").slice(0, -1);
            assert.deepEqual(
                argv,
                own.map((l) => l.slice(2)),
            );
            const seen = await host.exec("cat /var/log/openvidu-installer-double/001/* /opt/openvidu/config/node/media_node.env");
            for (const l of cluster) assert.ok(!seen.stdout.includes(l.slice(l.indexOf("=") + 1)), `${host.name}: the installer saw ${l}`);
            // applied: one line per own argument, then one per master argument, as converge.sh names them.
            const applied = await appliedOf(host);
            assert.deepEqual(
                applied.map((l) => l.split(" ")[0]),
                [...own.map((l) => l.slice(2).split("=")[0]), ...cluster.map((l) => `cluster:${l.slice(2).split("=")[0]}`)],
            );
            assert.ok(applied.every((l) => /^\S+ [0-9a-f]{64}$/.test(l)));
            assert.equal((await host.exec(`stat -c '%a %U:%G' ${APPLIED}`)).stdout.trim(), "600 root:root");
        }
    });

    it("modules changed in the next up: the masters' check and every media node's restart the whole cluster", async function () {
        await stages.from(deployed);
        const up = await assertModulesChangeRestartsMedia();
        assert.match(byName(up, "converge-master-1-check").stdout, /: cluster \(applies --enabled-modules\)$/);
        for (const host of media) assert.ok(!byName(up, `converge-${labelOf(host)}-check`).stdout.includes("no record of the masters' settings"), host.name);
    });

    it("a media node installed by an older openvidu-ha (own lines only): the next up's install records the masters' settings; the change after restarts it", async function () {
        await stages.from(deployed);
        // What the older version left: applied without cluster: lines, and an install step whose stdin had no H lines.
        const recorded = new Map<string, string[]>();
        for (const host of media) {
            recorded.set(host.name, await appliedOf(host));
            const r = await host.exec(`grep -v '^cluster:' ${APPLIED} > ${APPLIED}.old; cat ${APPLIED}.old > ${APPLIED}; rm ${APPLIED}.old`);
            assert.equal(r.exitCode, 0, r.stderr);
        }
        const installs = new Set(media.map((h) => `${labelOf(h)}-install`));
        stack.state = stack.state.map((r): RecordedResource =>
            installs.has(r.name) ? { ...r, inputs: { ...r.inputs, stdin: mapSecretString(r.inputs.stdin, (s) => s.replace(/^H .*\n/gm, "")) } } : r,
        );
        // Unchanged config: only the media install steps run (their stdin gained the H lines), and record them.
        const upgrade = await stack.up(spec());
        assert.equal(upgrade.failed, undefined, `${upgrade.failed?.name}: ${upgrade.failed?.stderr}`);
        assert.deepEqual(upgrade.plan.describe().sort(), [...installs].map((n) => `update ${n} [update]`).sort());
        for (const host of media) {
            assert.equal(
                byName(upgrade, `${labelOf(host)}-install`).stdout,
                `install on ${labelOf(host)}: already installed with these inputs, nothing to do\n` +
                    `install on ${labelOf(host)}: recorded the masters' current settings as the ones it runs with`,
            );
            assert.deepEqual(await appliedOf(host), recorded.get(host.name), host.name);
            assert.equal((await host.exec(`stat -c '%a %U:%G' ${APPLIED}`)).stdout.trim(), "600 root:root");
        }
        await assertModulesChangeRestartsMedia();
    });
});
