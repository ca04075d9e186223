// A master's privateIp with hostFirewall on, as pulumi ups through the engine model: a first deploy that failed on a
// mistyped master address installed nothing, and the corrected config deploys; on that running cluster a master's
// new privateIp is refused by every node's preflight before any host changes (each node's nftables rules still admit
// the old address and not the new one); restoring the address, nothing runs.
import { strict as assert } from "assert";
import { TestHost } from "./harness";
import { ClusterSpec, HostRole } from "./deployment";
import { masterListRefusal, Stack } from "./day2";
import { useLab } from "./lab";
import { Stages } from "./stages";

const STATE = "/var/lib/openvidu-ha";

describe("a master's privateIp with hostFirewall on (pulumi ups, engine model)", function () {
    this.timeout(600_000);
    const good = { cpus: 4, memMb: 8192 };
    const lab = useLab([good, good, good, good, good]);
    let masters: TestHost[], media: TestHost[], stack: Stack;
    const all = () => [...masters, ...media];
    const spec = (master3?: HostRole): ClusterSpec => ({
        masters: masters.map((m, i) => (i === 2 && master3 ? master3 : m)),
        media,
        config: { hostFirewall: true },
    });
    /** The host's nftables table as loaded (nft lists adjacent addresses as ranges) and as saved for boot (as generated). */
    const firewallOf = async (h: TestHost) => ({
        loaded: (await h.exec("nft list table inet openvidu_ha")).stdout,
        saved: (await h.exec("cat /etc/openvidu-ha/firewall.nft")).stdout,
    });
    const stages = new Stages(() => all(), { save: () => stack.save(), restore: (s) => stack.restore(s as ReturnType<Stack["save"]>) });
    /** The first up with master-3's privateIp mistyped (not bound on it), then the corrected one. */
    const mistypedThenCorrected = stages.define("mistyped-then-corrected", async () => {
        const mistyped = await stack.up(spec({ host: masters[2], privateIp: "10.99.0.33" }));
        const installedAfterMistyped = (await Promise.all(all().map((h) => h.fileExists(`${STATE}/installed`)))).map((x, i) => [all()[i].name, x]);
        const corrected = await stack.up(spec());
        return { mistyped, installedAfterMistyped, corrected };
    });

    before(function () {
        masters = lab.hosts.hosts.slice(0, 4);
        media = lab.hosts.hosts.slice(4);
        stack = new Stack(lab);
    });
    afterEach(function () {
        if (this.currentTest?.state !== "passed") stages.forget();
    });

    it("a first deploy failing on a mistyped master address installs nothing; the corrected config deploys every node", async function () {
        const { mistyped, installedAfterMistyped, corrected } = await stages.reach(mistypedThenCorrected);
        assert.ok(mistyped.failed, "the mistyped deploy failed");
        assert.equal(mistyped.failed.name, "masters-3-preflight");
        assert.match(mistyped.failed.stderr, /^preflight failed on master-3: privateIp 10\.99\.0\.33 is not bound on this host/);
        assert.deepEqual(
            installedAfterMistyped,
            all().map((h) => [h.name, false]),
            "no node installed",
        );
        assert.ok(!mistyped.ran.some((r) => /-(install|start|health)$/.test(r.name)), mistyped.ran.map((r) => r.name).join(", "));
        assert.equal(corrected.failed, undefined, `${corrected.failed?.name}: ${corrected.failed?.stderr}`);
        for (const h of all()) {
            assert.ok(await h.fileExists(`${STATE}/installed`), `${h.name} installed`);
            const { saved } = await firewallOf(h);
            assert.ok(
                saved.includes(`${masters[2].address}/32`) && !saved.includes("10.99.0.33"),
                `${h.name} admits master-3's address, not the mistyped one:\n${saved}`,
            );
        }
        assert.deepEqual((await stack.up(spec())).ran, [], "then nothing runs");
    });

    it("a running cluster's master re-addressed: every node's preflight refuses, naming the key; no firewall changed; restored, nothing runs", async function () {
        await stages.from(mistypedThenCorrected);
        const moved = masters[2];
        const newIp = moved.address.replace(/\.\d+$/, ".200");
        const before = await Promise.all(all().map(firewallOf));
        // The new address bound on the host (so its own privateIp check passes, as after a real re-addressing). The
        // network namespace outlives the host's restores: the address is removed again whatever happens.
        await moved.exec(`ip addr add ${newIp}/32 dev eth0`);
        try {
            const up = await stack.up(spec({ host: moved, privateIp: newIp }));
            assert.ok(up.failed, "refused");
            const list = masters.map((m) => (m === moved ? newIp : m.address)).join(",");
            assert.deepEqual(
                up.ran.map((r) => r.name).sort(),
                all()
                    .map((h) => (masters.includes(h) ? `masters-${masters.indexOf(h) + 1}-preflight` : `media-${h.address.replace(/\./g, "-")}-preflight`))
                    .sort(),
                "only the preflights ran",
            );
            for (const r of up.ran) {
                assert.equal(r.exitCode, 1, r.name);
                assert.equal(r.stderr, masterListRefusal(r.name, list));
            }
            const after = await Promise.all(all().map(firewallOf));
            assert.deepEqual(after, before, "every node's firewall as it was");
            for (const f of after) {
                assert.ok(f.saved.includes(`${moved.address}/32`) && !f.saved.includes(newIp), f.saved);
            }
        } finally {
            await moved.exec(`ip addr del ${newIp}/32 dev eth0`);
        }
        assert.deepEqual((await stack.up(spec())).ran, [], "restored: nothing runs");
    });
});
