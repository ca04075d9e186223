// start.sh, stop.sh, drain.sh, uninstall.sh and firewall.sh as the program runs them (the create and delete
// commands of its start, install and firewall steps), each test on its own host, each asserting what the host
// shows afterwards: the unit's state, what the containers went through, which files are left.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { TestHost } from "./harness";
import { Deployment, installerRuns, KNOBS, setKnob, StepRun } from "./deployment";
import { useLab } from "./lab";

const ok = (r: StepRun) => assert.equal(r.exitCode, 0, r.error);
const state = async (host: TestHost) =>
    (await host.exec("systemctl is-active openvidu; systemctl is-enabled openvidu")).stdout.split("\n").slice(0, 2).join(" ");
/** "name exit-code when" of each container the docker double saw end as the service stopped (0: drained). */
const endedContainers = (host: TestHost) => {
    const file = path.join(host.stateDir, "containers-ended.log");
    return fs.existsSync(file) ? fs.readFileSync(file, "utf8").split("\n").filter(Boolean).sort() : [];
};

describe("start, stop, drain, uninstall and firewall scripts (test hosts)", function () {
    const good = { cpus: 4, memMb: 8192 };
    const lab = useLab([good, good, good, good, good]);
    let h: TestHost[];
    let d: Deployment;

    before(async function () {
        h = lab.hosts.hosts;
        d = await Deployment.of(lab, { masters: [h[0], h[2], h[3], h[4]], media: [h[1]], config: { hostFirewall: true } });
    });

    it("start enables and starts openvidu, a second start changes nothing; stop (a master's removal) stops it", async function () {
        const host = h[0];
        ok(await d.run(d.stepOf(host, "install")));
        assert.equal(await state(host), "inactive disabled");
        const started = await d.run(d.stepOf(host, "start"));
        ok(started);
        assert.equal(started.stdout, "start on master-1: openvidu started");
        assert.equal(await state(host), "active enabled");
        const again = await d.run(d.stepOf(host, "start"));
        assert.equal(again.stdout, "start on master-1: openvidu already running");
        const stopped = await d.run(d.stepOf(host, "start"), "delete");
        ok(stopped);
        assert.equal(stopped.stdout, "stop on master-1: openvidu stopped");
        assert.equal(await state(host), "inactive enabled");
        assert.deepEqual(
            endedContainers(host),
            ["agent-speech-processing", "egress", "ingress", "openvidu"].map((c) => `${c} 143 running-at-stop`),
        );
    });

    it("drain (a media node's removal): SIGQUIT to its 4 containers, waits until each drained (exit 0), then stops", async function () {
        const host = h[1];
        await setKnob(host, KNOBS.drainSeconds, "3");
        ok(await d.run(d.stepOf(host, "install")));
        ok(await d.run(d.stepOf(host, "start")));
        const drained = await d.run(d.stepOf(host, "start"), "delete");
        ok(drained);
        const label = d.stepOf(host, "start").label;
        assert.equal(drained.stdout, `drain on ${label}: sending SIGQUIT to 4 container(s)\ndrain on ${label}: drained and stopped`);
        assert.deepEqual(
            endedContainers(host),
            ["agent-speech-processing", "egress", "ingress", "openvidu"].map((c) => `${c} 0 exited-before-stop`),
        );
        assert.equal(await state(host), "inactive enabled");
    });

    it("uninstall keeps /opt/openvidu (retain) and the next install reinstalls over it; purge removes it all", async function () {
        const host = h[2];
        ok(await d.run(d.stepOf(host, "install")));
        ok(await d.run(d.stepOf(host, "start")));
        await host.exec("echo kept > /opt/openvidu/data/recording-1");
        ok(await d.run(d.stepOf(host, "start"), "delete"));
        const retained = await d.run(d.stepOf(host, "install"), "delete");
        assert.equal(retained.stdout, "uninstall on master-2: openvidu disabled; data kept in /opt/openvidu");
        assert.equal(await host.readFile("/opt/openvidu/data/recording-1"), "kept\n");
        assert.equal(await host.fileExists("/var/lib/openvidu-ha/retained"), true);
        assert.equal(await host.fileExists("/var/lib/openvidu-ha/installed"), false);
        assert.equal(await state(host), "inactive disabled");

        const again = await d.run(d.stepOf(host, "install"));
        assert.match(again.stdout, /^install on master-2: reinstalling over data kept from a previous removal$/m);
        assert.deepEqual(await installerRuns(host), ["001", "002"]);
        assert.equal(await host.readFile("/opt/openvidu/data/recording-1"), "kept\n");

        const purging = await Deployment.of(lab, {
            masters: [h[0], h[2], h[3], h[4]],
            media: [h[1]],
            config: { hostFirewall: true, retainDataOnDestroy: false },
        });
        const purged = await purging.run(purging.stepOf(host, "install"), "delete");
        assert.equal(purged.stdout, "uninstall on master-2: openvidu removed, data purged");
        for (const gone of ["/opt/openvidu", "/etc/systemd/system/openvidu.service", "/var/lib/openvidu-ha"]) {
            assert.equal(await host.fileExists(gone), false, gone);
        }
    });

    it("firewall: the table is loaded and saved for boot, applying again is harmless; removal drops both", async function () {
        const host = h[3];
        const table = async () => (await host.exec("nft list table inet openvidu_ha >/dev/null 2>&1")).exitCode;
        ok(await d.run(d.stepOf(host, "firewall")));
        assert.equal(await table(), 0);
        assert.match(await host.readFile("/etc/openvidu-ha/firewall.nft"), /table inet openvidu_ha/);
        assert.equal((await host.exec("systemctl is-enabled openvidu-ha-firewall")).stdout.trim(), "enabled");
        const loaded = (await host.exec("nft list table inet openvidu_ha")).stdout;
        ok(await d.run(d.stepOf(host, "firewall")));
        assert.equal((await host.exec("nft list tables | grep -c openvidu_ha")).stdout.trim(), "1");
        assert.equal((await host.exec("nft list table inet openvidu_ha")).stdout, loaded, "applying again adds no rule");
        ok(await d.run(d.stepOf(host, "firewall"), "delete"));
        assert.notEqual(await table(), 0);
        assert.equal(await host.fileExists("/etc/openvidu-ha/firewall.nft"), false);
    });
});
