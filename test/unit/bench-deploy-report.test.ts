// BENCHMARKS.md rows of the deploy figures (tools/bench/deploy-report.ts) from literal measurements.
import { strict as assert } from "assert";
import { formatSeconds, hostRows, hostSkipReason, replaceHostFigures, skippedRows } from "../../tools/bench/deploy-report";
import type { DeployRun, HostFigures } from "../../tools/bench/deploy-hosts";

const master = { preflight: 1000, install: 7000, start: 1000, health: 6000 }; // 15 s
const media = { preflight: 1000, install: 7000, start: 2000, health: 6000 }; // 16 s
const deploy = (n: number, healthyMs: number, vendorMs: number): DeployRun => ({
    media: n,
    timeToHealthyMs: healthyMs,
    criticalPathMs: healthyMs - 100,
    criticalPathParts: { master: 15000, converge: 12000, media: healthyMs - 100 - 27000, other: 0 },
    criticalPathSteps: ["masters-1-preflight", "masters-1-install", "media-10-0-0-1-health"],
    chain: { master, media },
    vendorSerialMs: vendorMs,
});

describe("bench deploy report", function () {
    it("skips the host figures with the reason: --no-hosts, --quick, not root", function () {
        assert.equal(hostSkipReason({ noHosts: true, quick: false, uid: 0 }), "skipped (--no-hosts)");
        assert.equal(hostSkipReason({ noHosts: false, quick: true, uid: 0 }), "skipped (--quick)");
        assert.equal(hostSkipReason({ noHosts: false, quick: false, uid: 1000 }), "skipped: the test hosts (network namespaces) need root");
        assert.equal(hostSkipReason({ noHosts: false, quick: false, uid: undefined }), "skipped: the test hosts (network namespaces) need root");
        assert.equal(hostSkipReason({ noHosts: false, quick: false, uid: 0 }), undefined);
        assert.deepEqual(skippedRows("skipped (--no-hosts)").rows, [
            "| Time to a healthy cluster (first deploy), 1 and 8 media nodes, vs the vendor's serial order | not measured: skipped (--no-hosts) | critical path = one master chain + one media chain, whatever the node count |",
            "| Upgrade downtime window (first master stop to first master healthy again) | not measured: skipped (--no-hosts) | — |",
        ]);
    });

    it("seconds: one decimal, the range when there are several runs", function () {
        assert.equal(formatSeconds({ median: 43561, min: 40049, max: 47000, runs: 3 }), "43.6 s (40.0–47.0)");
        assert.equal(formatSeconds({ median: 9000, min: 9000, max: 9000, runs: 1 }), "9.0 s");
    });

    it("rows: medians over runs, the ratio to the smallest size and to the vendor's order; outages per round", function () {
        const figures: HostFigures = {
            doubles: { install: 5, healthDelay: 4, updaterPull: 3, updaterMigrate: 1 },
            deploys: [deploy(1, 44000, 76000), deploy(8, 46200, 77000), deploy(1, 42000, 75000), deploy(8, 48000, 79000)],
            upgrades: [{ outageMs: { checkpoint: 14000, final: 11000 } }, { outageMs: { checkpoint: 15000, final: 12000 } }],
            problems: [],
        };
        const { rows, notes } = hostRows(figures);
        assert.equal(
            rows[0],
            "| Time to a healthy cluster (first deploy), 1 and 8 media nodes, vs the vendor's serial order | " +
                "1 media node: **43.0 s (42.0–44.0)**, 0.56x the vendor's order; critical path from its step times 42.9 s (41.9–43.9) = master steps 15.0 + day-2 chain 12.0 + media steps 15.9; " +
                "8 media nodes: **47.1 s (46.2–48.0)** (1.10x the 1-media time), 0.62x the vendor's order; critical path from its step times 47.0 s (46.1–47.9) = master steps 15.0 + day-2 chain 12.0 + media steps 20.0. " +
                "Vendor's serial order from the same step times: 76.5 s (75.0–79.0) | critical path = one master chain + one media chain, whatever the node count; report the ratio to the vendor's order |",
        );
        assert.equal(
            rows[1],
            "| Upgrade downtime window (first master stop to first master healthy again), 3.0.0 → 3.8.0 through the 3.5.0 checkpoint | " +
                "checkpoint outage (6 updater steps, known double time 10 s): **14.5 s (14.0–15.0)**; final outage (4 updater steps, known double time 8 s): **11.5 s (11.0–12.0)** | — |",
        );
        assert.match(
            notes[0],
            /installer 5 s, OpenVidu healthy 4 s after each start, updater 1 s per step .* Runs: 2 with 1 media, 2 with 8 media, 2 upgrades .* only when a step of theirs ran\.$/,
        );
        assert.match(
            notes[2],
            /master preflight 1\.0 \+ install 7\.0 \+ start 1\.0 \+ health 6\.0 = 15\.0 s; media preflight 1\.0 \+ install 7\.0 \+ start 2\.0 \+ health 6\.0 = 16\.0 s\. The vendor's order on AWS .*: 4 × master chain \+ media chain, from each run's step times\. Critical path of the 8-media deploy: masters-1-preflight → masters-1-install → media-10-0-0-1-health\.$/,
        );
    });

    it("replaces only the host figures' rows and notes in BENCHMARKS.md, wherever the table is", function () {
        const doc = [
            "# Benchmarks",
            "",
            "## Tests and deploys",
            "",
            "| Figure | Value | Target |",
            "|---|---|---|",
            "| `npm test` wall time (type check included) | 28.0 s | < 30 s |",
            "| Time to a healthy cluster (first deploy), old | not measured | t |",
            "| Upgrade downtime window (first master stop to first master healthy again) | not measured | — |",
            "",
            "## Later section",
            "",
        ].join("\n");
        const measured = {
            rows: ["| Time to a healthy cluster (first deploy) | 43.0 s | t |", "| Upgrade downtime window | 14.5 s | — |"],
            notes: ["Deploys and upgrade (tools/bench/deploy-hosts.ts): A.", "", "Step times (median ...): B."],
        };
        const once = replaceHostFigures(doc, measured);
        assert.equal(
            once,
            [
                "# Benchmarks",
                "",
                "## Tests and deploys",
                "",
                "| Figure | Value | Target |",
                "|---|---|---|",
                "| `npm test` wall time (type check included) | 28.0 s | < 30 s |",
                "| Time to a healthy cluster (first deploy) | 43.0 s | t |",
                "| Upgrade downtime window | 14.5 s | — |",
                "",
                "Deploys and upgrade (tools/bench/deploy-hosts.ts): A.",
                "",
                "Step times (median ...): B.",
                "",
                "## Later section",
                "",
            ].join("\n"),
        );
        // Again, and back to skipped: old notes go, nothing else moves.
        assert.equal(replaceHostFigures(once, measured), once);
        assert.equal(replaceHostFigures(once, skippedRows("skipped (--no-hosts)")), replaceHostFigures(doc, skippedRows("skipped (--no-hosts)")));
        assert.throws(() => replaceHostFigures("# Benchmarks\n", measured), /no row of the host figures/);
    });

    it("a critical path without a day-2 chain step (the first deploy runs none) names master and media steps only", function () {
        const noChain = (n: number): DeployRun => {
            const run = deploy(n, 31000, 76000);
            return { ...run, criticalPathParts: { master: 15000, converge: 0, media: 15900, other: 0 } };
        };
        const { rows } = hostRows({
            doubles: { install: 5, healthDelay: 4, updaterPull: 3, updaterMigrate: 1 },
            deploys: [noChain(1)],
            upgrades: [],
            problems: [],
        });
        assert.match(rows[0], /critical path from its step times 30\.9 s = master steps 15\.0 \+ media steps 15\.9\. Vendor's/);
    });

    it("failed runs: left out and named; a figure whose every run failed says so", function () {
        const figures: HostFigures = {
            doubles: { install: 5, healthDelay: 4, updaterPull: 3, updaterMigrate: 1 },
            deploys: [deploy(1, 44000, 76000)],
            upgrades: [],
            problems: ["upgrade 3.0.0 -> 3.8.0 (run 1/1) failed: converge-master-1-final-start failed: x"],
        };
        const { rows, notes } = hostRows(figures);
        assert.match(rows[0], /^\| Time to a healthy cluster .* 1 media node: \*\*44\.0 s\*\*, 0\.58x the vendor's order/);
        assert.equal(
            rows[1],
            "| Upgrade downtime window (first master stop to first master healthy again), 3.0.0 → 3.8.0 through the 3.5.0 checkpoint | " +
                "not measured: every run failed (upgrade 3.0.0 -> 3.8.0 (run 1/1) failed: converge-master-1-final-start failed: x) | — |",
        );
        assert.match(
            notes[0],
            /Runs: 1 with 1 media, 0 upgrades .* Problems: upgrade 3\.0\.0 -> 3\.8\.0 \(run 1\/1\) failed: converge-master-1-final-start failed: x\.$/,
        );
        assert.match(hostRows({ ...figures, deploys: [] }).rows[0], /^\| Time to a healthy cluster .* \| not measured: every run failed \(upgrade/);
    });
});
