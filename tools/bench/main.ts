/**
 * `npm run bench`: measures the program against its floor, side by side in the same run, and writes BENCHMARKS.md.
 *   npm run bench                 5 runs per figure, on-prem 1/10/100/500 media nodes and AWS, plus `npm test`
 *   npm run bench -- --quick      1 run per figure, on-prem 1 and 10 only, no `npm test` (while developing)
 *   options: --runs N, --sizes 1,10,100, --no-test, --out FILE (default BENCHMARKS.md; --quick prints only),
 *            --no-hosts (skip the deploys on test hosts, which need root), --host-runs N (default 3)
 * Every measurement is a fresh child process (run-child.js, load-child.js); program and floor alternate so that
 * machine noise hits both. Medians with min–max; ratios of medians.
 */
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseArgs } from "util";
import { formatSummary, ratio, summarize, Summary } from "./stats";
import { hostSkipReason, measureHostFigures, skippedRows } from "./deploy-report";

const ROOT = path.join(__dirname, "..", "..");

interface ChildResult {
    runMs?: number;
    wallMs?: number;
    cpuMs: number;
    maxRssMb?: number;
    resources?: number;
}

function child(script: string, args: string[]): ChildResult {
    const out = execFileSync(process.execPath, [path.join(__dirname, script), ...args], { cwd: ROOT, encoding: "utf8", maxBuffer: 64 << 20 });
    return JSON.parse(out.trim().split("\n").pop()!) as ChildResult;
}

interface Pair {
    program: ChildResult[];
    floor: ChildResult[];
}

function measurePairs(runs: number, one: (side: "program" | "floor") => ChildResult): Pair {
    const pair: Pair = { program: [], floor: [] };
    // The program goes first: the floor of program-time runs needs its recorded resources.
    for (let i = 0; i < runs; i++) {
        pair.program.push(one("program"));
        pair.floor.push(one("floor"));
    }
    return pair;
}

const pick = (rs: ChildResult[], f: (r: ChildResult) => number | undefined): Summary => summarize(rs.map((r) => f(r) ?? NaN));

function machine(): string[] {
    const cpu = os.cpus()[0]?.model ?? "unknown";
    const nproc = execFileSync("nproc", { encoding: "utf8" }).trim();
    return [
        `- Date: ${new Date().toISOString()}`,
        `- CPUs (nproc): ${nproc}; model: ${cpu}`,
        `- Memory: ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
        `- Node.js: ${process.version}`,
        `- Load average at start/end: ${startLoad} / ${os
            .loadavg()
            .map((l) => l.toFixed(1))
            .join(" ")}`,
    ];
}

const startLoad = os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");

function main(): void {
    const { values } = parseArgs({
        options: {
            quick: { type: "boolean", default: false },
            runs: { type: "string" },
            sizes: { type: "string" },
            "no-test": { type: "boolean", default: false },
            "no-hosts": { type: "boolean", default: false },
            "host-runs": { type: "string", default: "3" },
            out: { type: "string" },
        },
    });
    const quick = values.quick ?? false;
    const runs = Number(values.runs ?? (quick ? 1 : 5));
    const sizes = (values.sizes ?? (quick ? "1,10" : "1,10,100,500")).split(",").map(Number);
    const scenarios = [...sizes.map((n) => `onprem:${n}`), "aws"];
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "openvidu-ha-bench-"));
    const log = (s: string) => process.stderr.write(`${s}\n`);
    const lines: string[] = [];

    lines.push("## Program time against its floor", "");
    lines.push(
        "Program: the real program (index.ts) under the offline runtime, as `npm run plan` runs it, in a fresh process with ts-node registered as the language host registers it (so source-map-support formats the stack trace every resource captures, as in a real `pulumi preview`). " +
            "Floor: the same custom resources (types, names, inputs from the program's recorded run) registered flat under the same runtime, with the providers' own classes (`new command.remote.Command(name, inputs)`; dynamic resources with the SDK's CustomResource) and the stack-trace formatter the program installs (components/stack-traces.ts): no components, validation, planning or dependencies. Load time excluded (next table). Time: median (min–max) wall time of the run, and its CPU time (user+system, steadier on a busy machine); memory: peak RSS of the process.",
        "",
        "| Stack | Resources | Program | Floor | Ratio | Program CPU | Floor CPU | CPU ratio | Per further media node (program) | Program peak RSS | Floor peak RSS |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    );
    const wallOf: Record<number, number> = {};
    const cpuOf: Record<number, number> = {};
    for (const scenario of scenarios) {
        log(`program time: ${scenario} (${runs} runs)`);
        const file = path.join(tmp, `${scenario.replace(":", "-")}.json`);
        const pair = measurePairs(runs, (side) => child("run-child.js", [side, scenario, file]));
        const program = pick(pair.program, (r) => r.runMs);
        const floor = pick(pair.floor, (r) => r.runMs);
        const programCpu = pick(pair.program, (r) => r.cpuMs);
        const floorCpu = pick(pair.floor, (r) => r.cpuMs);
        const n = Number(scenario.split(":")[1]);
        let nodeCost = "";
        if (Number.isInteger(n)) {
            wallOf[n] = program.median;
            cpuOf[n] = programCpu.median;
            nodeCost =
                n > 1 && wallOf[1] !== undefined
                    ? `${((program.median - wallOf[1]) / (n - 1)).toFixed(1)} ms (CPU ${((programCpu.median - cpuOf[1]) / (n - 1)).toFixed(1)} ms)`
                    : "";
        }
        lines.push(
            `| ${scenario === "aws" ? "AWS (fixture stack)" : `on-prem, ${n} media node${n === 1 ? "" : "s"}`} | ${pair.program[0].resources} | ${formatSummary(program)} | ${formatSummary(floor)} | ${ratio(program.median, floor.median)} | ${formatSummary(programCpu)} | ${formatSummary(floorCpu)} | ${ratio(programCpu.median, floorCpu.median)} | ${nodeCost} | ${formatSummary(
                pick(pair.program, (r) => r.maxRssMb),
                "MB",
            )} | ${formatSummary(
                pick(pair.floor, (r) => r.maxRssMb),
                "MB",
            )} |`,
        );
    }
    // Per media node = (time at N - time at 1) / (N - 1): what each further node adds, the fixed part (masters, DNS) apart.
    const marginal = (of: Record<number, number>, n: number) => (of[n] - of[1]) / (n - 1);
    const counts = Object.keys(wallOf)
        .map(Number)
        .filter((n) => n >= 10);
    if (counts.length >= 2 && wallOf[1] !== undefined) {
        const lo = Math.min(...counts);
        const hi = Math.max(...counts);
        lines.push(
            "",
            `Linearity: each media node adds ${ratio(marginal(wallOf, hi), marginal(wallOf, lo))} at ${hi} nodes what it adds at ${lo} (wall; CPU ${ratio(marginal(cpuOf, hi), marginal(cpuOf, lo))}; target: within 1.2x).`,
        );
    }

    lines.push(
        "",
        "## Load time",
        "",
        "As the language host loads the program (tools/bench/register-ts.js: ts-node registered as @pulumi/pulumi cmd/run/run.ts does, with tsconfig.json: transpile-only because it sets noCheck, transpiled by swc as its ts-node section asks): index.ts, and for the AWS target also stacks/aws.ts (index.ts imports it when the stack's target is aws). " +
            "Against loading only the SDK files that load pulled in (same registration, each node_modules file). Fresh process each; time from process start of the measuring script to loaded.",
        "",
        "| Target | Program | SDK modules only | Ratio | Program CPU | SDK CPU | CPU ratio |",
        "|---|---|---|---|---|---|---|",
    );
    for (const target of ["onprem", "aws"]) {
        log(`load time: ${target} (${runs} runs)`);
        const modules = path.join(tmp, `modules-${target}.json`);
        const load = measurePairs(runs, (side) => child("load-child.js", [side === "program" ? "program" : "sdk", target, modules]));
        const wall = { program: pick(load.program, (r) => r.wallMs), sdk: pick(load.floor, (r) => r.wallMs) };
        const cpu = { program: pick(load.program, (r) => r.cpuMs), sdk: pick(load.floor, (r) => r.cpuMs) };
        lines.push(
            `| ${target === "aws" ? "AWS" : "on-prem"} | ${formatSummary(wall.program)} | ${formatSummary(wall.sdk)} | ${ratio(wall.program.median, wall.sdk.median)} | ${formatSummary(cpu.program)} | ${formatSummary(cpu.sdk)} | ${ratio(cpu.program.median, cpu.sdk.median)} |`,
        );
    }

    lines.push("", "## Tests and deploys", "", "| Figure | Value | Target |", "|---|---|---|");
    if (quick || values["no-test"]) {
        lines.push("| `npm test` wall time (type check included) | not measured (--quick or --no-test) | < 30 s |");
    } else {
        log("npm test");
        const started = process.hrtime.bigint();
        const res = spawnSync("npm", ["test", "--silent"], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        lines.push(`| \`npm test\` wall time (type check included) | ${(ms / 1000).toFixed(1)} s${res.status === 0 ? "" : " (FAILED)"} | < 30 s |`);
    }
    // Figures 3 and 4 (time to a healthy cluster, upgrade downtime): deploy-report.ts.
    const skipHosts = hostSkipReason({ noHosts: values["no-hosts"] ?? false, quick, uid: process.getuid?.() });
    const hosts = skipHosts === undefined ? measureHostFigures(Number(values["host-runs"]), log) : skippedRows(skipHosts);
    lines.push(...hosts.rows);
    if (hosts.notes.length > 0) lines.push("", ...hosts.notes);

    const doc = [
        "# Benchmarks",
        "",
        "Written by `npm run bench` (tools/bench). Rerun on a quiet machine: `npm ci && npm run bench` (about 5 runs per figure; `npm run bench -- --quick` for a fast check that only prints).",
        "",
        "## Machine",
        "",
        ...machine(),
        `- Runs per figure: ${runs}`,
        "",
        ...lines,
        "",
    ].join("\n");
    const out = values.out ?? (quick ? undefined : path.join(ROOT, "BENCHMARKS.md"));
    if (out) {
        fs.writeFileSync(out, doc);
        log(`wrote ${out}`);
    }
    process.stdout.write(doc);
    fs.rmSync(tmp, { recursive: true, force: true });
}

main();
