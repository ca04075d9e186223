// The arithmetic of the bench's deploy figures (tools/bench/deploy-timing.ts), on literal step times.
import { strict as assert } from "assert";
import {
    chainMs,
    chainTimes,
    criticalPath,
    outageWindowsMs,
    pathBreakdownMs,
    provisioningStep,
    timeToHealthyMs,
    TimedStep,
    vendorSerialMs,
} from "../../tools/bench/deploy-timing";

/** A step starting at `started` lasting `ms`. */
const step = (name: string, started: number, ms: number): TimedStep => ({ name, started, ended: started + ms });

describe("bench deploy timing", function () {
    it("names: role and kind of the program's provisioning steps; the day-2 chain is not one", function () {
        assert.deepEqual(provisioningStep("masters-3-install"), { role: "master", kind: "install" });
        assert.deepEqual(provisioningStep("media-10-213-5-14-health"), { role: "media", kind: "health" });
        assert.deepEqual(provisioningStep("media-10-0-1-7-firewall"), { role: "media", kind: "firewall" });
        assert.equal(provisioningStep("converge-master-1-final-start"), undefined);
        assert.equal(provisioningStep("converge-media-10-0-1-7-check"), undefined);
        assert.equal(provisioningStep("masters-1-host-key"), undefined);
    });

    it("chain times: the median per role and kind over the nodes, and their sum", function () {
        const times = chainTimes([
            step("masters-1-install", 0, 5000),
            step("masters-2-install", 0, 5200),
            step("masters-3-install", 0, 7000),
            step("masters-4-install", 0, 5100),
            step("masters-1-health", 0, 3000),
            step("masters-2-health", 0, 3100),
            step("masters-3-health", 0, 2900),
            step("masters-4-health", 0, 3050),
            step("media-10-0-0-1-install", 0, 4000),
            step("media-10-0-0-2-install", 0, 4400),
            step("media-10-0-0-1-health", 0, 2000),
            step("converge-master-1-check", 0, 900),
        ]);
        assert.deepEqual(times, { master: { install: 5150, health: 3025 }, media: { install: 4200, health: 2000 } });
        assert.equal(chainMs(times.master), 8175);
        assert.equal(chainMs({ preflight: 100, firewall: 50, install: 5000, start: 20, health: 3000 }), 8170);
    });

    it("vendor's serial order: four master chains one after the other, then one media chain", function () {
        const times = {
            master: { preflight: 500, install: 5000, start: 100, health: 3000 },
            media: { preflight: 400, install: 4000, start: 100, health: 2000 },
        };
        assert.equal(vendorSerialMs(times), 4 * 8600 + 6500);
        assert.equal(vendorSerialMs(times), 40900);
        assert.equal(vendorSerialMs(times, 1), 15100);
    });

    it("critical path: the longest chain of waits, parallel branches overlapping", function () {
        // 0 -> 2 (masters' installs both before start 2), 1 -> 2; 2 -> 3; 2 -> 4; media 3 and 4 in parallel.
        const steps = [
            { id: 0, after: [], ms: 5000 },
            { id: 1, after: [], ms: 7000 },
            { id: 2, after: [0, 1], ms: 3000 },
            { id: 3, after: [2], ms: 4000 },
            { id: 4, after: [2], ms: 6000 },
            { id: 5, after: [], ms: 1000 },
        ];
        assert.deepEqual(criticalPath(steps), { ms: 16000, path: [1, 2, 4] });
        // Order does not matter.
        assert.deepEqual(criticalPath([...steps].reverse()), { ms: 16000, path: [1, 2, 4] });
        assert.deepEqual(criticalPath([]), { ms: 0, path: [] });
        assert.throws(
            () =>
                criticalPath([
                    { id: 0, after: [1], ms: 1 },
                    { id: 1, after: [0], ms: 1 },
                ]),
            /cycle/,
        );
    });

    it("path breakdown: master steps, the day-2 chain, media steps and the rest", function () {
        const sums = pathBreakdownMs([
            { name: "masters-2-preflight", ms: 1000 },
            { name: "masters-2-install", ms: 7000 },
            { name: "masters-1-health", ms: 6000 },
            { name: "converge-master-1-check", ms: 1200 },
            { name: "converge-master-1-final-start", ms: 800 },
            { name: "media-10-0-0-1-install", ms: 6500 },
            { name: "masters-1-host-key", ms: 0 },
            { name: "dns-record", ms: 300 },
        ]);
        assert.deepEqual(sums, { master: 14000, converge: 2000, media: 6500, other: 300 });
    });

    it("time to healthy: first command start to the last health gate's end", function () {
        const steps = [
            step("masters-1-preflight", 1000, 500),
            step("masters-1-health", 9000, 3000),
            step("media-10-0-0-1-health", 20000, 2500),
            step("converge-master-1-check", 12000, 800),
            step("media-10-0-0-1-start", 22000, 9000), // a later non-health step does not count
        ];
        assert.equal(timeToHealthyMs(steps), 21500);
        assert.throws(() => timeToHealthyMs([step("masters-1-install", 0, 1)]), /no health step/);
    });

    it("outage windows: per round, first master stop to first master started again", function () {
        const masters = ["master-1", "master-2"];
        const steps = [
            step("converge-master-1-checkpoint-stop", 10000, 1000),
            step("converge-master-2-checkpoint-stop", 10500, 700),
            step("converge-master-1-checkpoint-start", 20000, 4000),
            step("converge-master-2-checkpoint-start", 20100, 3000),
            step("converge-master-1-final-stop", 40000, 500),
            step("converge-master-2-final-stop", 39000, 500),
            step("converge-master-1-final-start", 50000, 2000),
            step("converge-master-2-final-start", 50000, 3000),
            step("converge-media-10-0-0-1-final-stop", 30000, 100), // media stop first: not an outage of the masters
        ];
        assert.deepEqual(outageWindowsMs(steps, masters, ["checkpoint", "final"]), { checkpoint: 13100, final: 13000 });
        assert.throws(() => outageWindowsMs(steps, ["master-3"], ["final"]), /converge-master-3-final-stop did not run/);
    });
});
