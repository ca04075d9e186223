/**
 * Bench figures 3 and 4 for main.ts: runs deploy-hosts.ts in a child process (as root, on fresh test hosts) and
 * turns its HostFigures into rows of BENCHMARKS.md's "Tests and deploys" table and a note on how they were taken.
 * Run on its own, it measures only these figures and replaces their rows and notes in BENCHMARKS.md.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { CHAIN_KINDS, ChainKind, chainMs, ChainTimes, Role } from "./deploy-timing";
import type { DeployRun, HostFigures } from "./deploy-hosts";
import { ratio, summarize, Summary } from "./stats";

const ROOT = path.join(__dirname, "..", "..");

export interface HostReport {
    /** rows of the "Tests and deploys" table: | Figure | Value | Target | */
    rows: string[];
    /** lines after the table: how the figures were taken */
    notes: string[];
}

const DEPLOY_FIGURE = "Time to a healthy cluster (first deploy), 1 and 8 media nodes, vs the vendor's serial order";
const DEPLOY_TARGET = "critical path = one master chain + one media chain, whatever the node count";
const UPGRADE_FIGURE = "Upgrade downtime window (first master stop to first master healthy again)";

/** Why the host figures are not measured in this run, or undefined when they can be. */
export function hostSkipReason(options: { noHosts: boolean; quick: boolean; uid: number | undefined }): string | undefined {
    if (options.noHosts) return "skipped (--no-hosts)";
    if (options.quick) return "skipped (--quick)";
    if (options.uid !== 0) return "skipped: the test hosts (network namespaces) need root";
    return undefined;
}

export function skippedRows(reason: string): HostReport {
    return { rows: [`| ${DEPLOY_FIGURE} | not measured: ${reason} | ${DEPLOY_TARGET} |`, `| ${UPGRADE_FIGURE} | not measured: ${reason} | — |`], notes: [] };
}

/** Seconds with one decimal: "43.6 s (40.1–47.0)". */
export function formatSeconds(s: Summary): string {
    const f = (ms: number) => (ms / 1000).toFixed(1);
    return s.runs === 1 ? `${f(s.median)} s` : `${f(s.median)} s (${f(s.min)}–${f(s.max)})`;
}

const of = (runs: DeployRun[], f: (r: DeployRun) => number): Summary => summarize(runs.map(f));

/** Per role and kind, the median over runs of each run's step time. */
function medianChain(runs: DeployRun[]): ChainTimes {
    const role = (r: Role) =>
        Object.fromEntries(
            CHAIN_KINDS.filter((k) => runs.some((x) => x.chain[r][k] !== undefined)).map((k) => [
                k,
                summarize(runs.filter((x) => x.chain[r][k] !== undefined).map((x) => x.chain[r][k]!)).median,
            ]),
        ) as Partial<Record<ChainKind, number>>;
    return { master: role("master"), media: role("media") };
}

const chainText = (chain: Partial<Record<ChainKind, number>>) =>
    `${CHAIN_KINDS.filter((k) => chain[k] !== undefined)
        .map((k) => `${k} ${(chain[k]! / 1000).toFixed(1)}`)
        .join(" + ")} = ${(chainMs(chain) / 1000).toFixed(1)} s`;

/** The table rows and notes of measured host figures; a figure whose every run failed is reported so. */
export function hostRows(figures: HostFigures): HostReport {
    const sizes = [...new Set(figures.deploys.map((d) => d.media))].sort((a, b) => a - b);
    const bySize = (n: number) => figures.deploys.filter((d) => d.media === n);
    const upgrades = figures.upgrades;
    const d = figures.doubles;
    const failed = `not measured: every run failed (${figures.problems.join("; ")})`;
    const notes = [
        `Deploys and upgrade (tools/bench/deploy-hosts.ts): fresh test hosts per run (network namespaces with their own sshd on this machine, test/hosts/harness), ` +
            `\`pulumi up\` as the host tests run it (the real program offline, the engine model's plan, every step's command over SSH in the engine's order, independent steps in parallel). ` +
            `Doubles with known times: installer ${d.install} s, OpenVidu healthy ${d.healthDelay} s after each start, updater ${d.updaterMigrate} s per step (its ${d.updaterPull} s pull happens while serving). ` +
            `Runs: ${sizes.map((n) => `${bySize(n).length} with ${n} media`).join(", ") || "no deploy"}, ${upgrades.length} upgrades (4 masters, 1 media node); median (min–max). ` +
            "Day-2 chain: the convergence steps (a check, then stop, update and start per round, each round a barrier over every node); their command is their `update`, so a first deploy creates them without running anything, and the critical path names them only when a step of theirs ran." +
            (figures.problems.length > 0 ? ` Problems: ${figures.problems.join("; ")}.` : ""),
    ];
    let deployRow = `| ${DEPLOY_FIGURE} | ${failed} | ${DEPLOY_TARGET} |`;
    if (sizes.length > 0) {
        const vendor = of(figures.deploys, (x) => x.vendorSerialMs);
        const smallest = of(bySize(sizes[0]), (x) => x.timeToHealthyMs);
        const deployCells = sizes.map((n) => {
            const runs = bySize(n);
            const t = of(runs, (x) => x.timeToHealthyMs);
            const part = (p: keyof DeployRun["criticalPathParts"]) => (of(runs, (x) => x.criticalPathParts[p]).median / 1000).toFixed(1);
            return (
                `${n} media node${n === 1 ? "" : "s"}: **${formatSeconds(t)}**` +
                (n === sizes[0] ? "" : ` (${ratio(t.median, smallest.median)} the ${sizes[0]}-media time)`) +
                `, ${ratio(t.median, vendor.median)} the vendor's order; critical path from its step times ${formatSeconds(of(runs, (x) => x.criticalPathMs))}` +
                ` = master steps ${part("master")}${part("converge") === "0.0" ? "" : ` + day-2 chain ${part("converge")}`} + media steps ${part("media")}`
            );
        });
        deployRow = `| ${DEPLOY_FIGURE} | ${deployCells.join("; ")}. Vendor's serial order from the same step times: ${formatSeconds(vendor)} | ${DEPLOY_TARGET}; report the ratio to the vendor's order |`;
        const chain = medianChain(figures.deploys);
        const path = bySize(sizes[sizes.length - 1])[0].criticalPathSteps;
        notes.push(
            "",
            `Step times (median over nodes and runs; health includes the health script's 5 s poll): master ${chainText(chain.master)}; media ${chainText(chain.media)}. ` +
                "The vendor's order on AWS (each master after the previous one's signal, the media group after the fourth): 4 × master chain + media chain, from each run's step times. " +
                `Critical path of the ${sizes[sizes.length - 1]}-media deploy: ${path.join(" → ")}.`,
        );
    }
    const outage = (round: "checkpoint" | "final", steps: number) =>
        `${round} outage (${steps} updater steps, known double time ${steps * d.updaterMigrate + d.healthDelay} s): **${formatSeconds(
            summarize(upgrades.map((u) => u.outageMs[round])),
        )}**`;
    const upgradeValue = upgrades.length > 0 ? `${outage("checkpoint", 6)}; ${outage("final", 4)}` : failed;
    return {
        rows: [deployRow, `| ${UPGRADE_FIGURE}, 3.0.0 → 3.8.0 through the 3.5.0 checkpoint | ${upgradeValue} | — |`],
        notes,
    };
}

/** Runs deploy-hosts.ts (`runs` rounds) and reports its figures; a failed run is reported, not thrown. */
export function measureHostFigures(runs: number, log: (s: string) => void): HostReport {
    log(`deploys and upgrade on test hosts (${runs} runs; minutes)`);
    const res = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(__dirname, "deploy-hosts.ts"), "--runs", String(runs)], {
        cwd: ROOT,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
        maxBuffer: 16 << 20,
    });
    if (res.status !== 0) return skippedRows(`FAILED (deploy-hosts.ts exited ${res.status ?? res.signal}; its error is in the bench's log)`);
    return hostRows(JSON.parse(res.stdout.trim().split("\n").pop()!) as HostFigures);
}

const OWN_ROW = /^\| (Time to a healthy cluster|Upgrade downtime window)/;
const OWN_NOTE = /^(Deploys and upgrade \(tools\/bench\/deploy-hosts\.ts\)|Step times \(median)/;

/**
 * BENCHMARKS.md with the host figures' rows replaced in its table (where the old ones were) and their notes right
 * after that table (old notes removed), the rest untouched: for rerunning only these figures.
 */
export function replaceHostFigures(doc: string, report: HostReport): string {
    const lines = doc.split("\n");
    const first = lines.findIndex((l) => OWN_ROW.test(l));
    if (first < 0) throw new Error("no row of the host figures in the document (| Time to a healthy cluster ... |)");
    const kept = lines.filter((l, i) => (i < first || !OWN_ROW.test(l)) && !OWN_NOTE.test(l));
    // Blank lines left doubled where notes were removed.
    const squeezed = kept.filter((l, i) => !(l === "" && kept[i - 1] === ""));
    squeezed.splice(first, 0, ...report.rows);
    let end = first;
    while (end < squeezed.length && squeezed[end].startsWith("|")) end++;
    if (report.notes.length > 0) squeezed.splice(end, 0, "", ...report.notes);
    return squeezed.join("\n");
}

/** Only these figures: node -r ts-node/register/transpile-only tools/bench/deploy-report.ts [--runs N] [--out FILE] */
if (require.main === module) {
    const { values } = parseArgs({ options: { runs: { type: "string", default: "3" }, out: { type: "string", default: path.join(ROOT, "BENCHMARKS.md") } } });
    const log = (s: string) => process.stderr.write(`${s}\n`);
    const report = measureHostFigures(Number(values.runs), log);
    fs.writeFileSync(values.out, replaceHostFigures(fs.readFileSync(values.out, "utf8"), report));
    log(`wrote ${values.out}`);
    process.stdout.write([...report.rows, "", ...report.notes, ""].join("\n"));
}
