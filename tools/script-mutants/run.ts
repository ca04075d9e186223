// npm run mutation:scripts: mutation testing of the host scripts, which Stryker cannot mutate. Each mutant of
// mutants.json is one small textual change to one script, aimed at one safety property. The runner copies the
// repository (tracked and untracked files, node_modules linked) to a temporary directory, applies one mutant at a
// time to the copy's script, runs the host tests the mutant names there (on test hosts: needs root), restores the
// script, and records whether a test failed (killed) or all passed (survived). The working tree is never written,
// except MUTATION.md's "Host scripts" section (after each mutant; with --only, the rows of the mutants not run are kept).
// Options: --only id,id  --list  --no-report
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export interface TestSelection {
    /** host test file, relative to the repository */
    file: string;
    /** mocha --grep: the titles to run (all of the file when absent) */
    grep?: string;
}

export interface ScriptMutant {
    id: string;
    /** the script, relative to the repository */
    script: string;
    /** the safety property the mutant breaks (masking, modes, checksum, health, drain, idempotency, ...) */
    property: string;
    /** what the change does, as a bug a person could write */
    description: string;
    /** exact text, found exactly once in the script */
    find: string;
    replace: string;
    tests: TestSelection[];
}

export interface SelectionRun {
    selection: TestSelection;
    passed: number;
    /** full titles of the tests that passed */
    passedTitles: string[];
    failed: string[];
    /** mocha did not report (crash, or stopped at the time limit) */
    error?: string;
    seconds: number;
}

const REPO = path.resolve(__dirname, "..", "..");
const SECTION = "## Host scripts";
const SELECTION_LIMIT_MS = 20 * 60_000;

export function loadMutants(file = path.join(__dirname, "mutants.json")): ScriptMutant[] {
    const mutants = JSON.parse(fs.readFileSync(file, "utf8")) as ScriptMutant[];
    const ids = new Set<string>();
    for (const m of mutants) {
        if (ids.has(m.id)) throw new Error(`mutants.json: duplicate id ${m.id}`);
        ids.add(m.id);
        if (!m.tests.length) throw new Error(`mutants.json: ${m.id} names no test`);
    }
    return mutants;
}

/** The script text with the mutant applied; throws when its `find` is not in the text exactly once. */
export function applyMutant(text: string, m: ScriptMutant): string {
    const at = text.indexOf(m.find);
    if (at < 0 || text.indexOf(m.find, at + 1) >= 0) {
        throw new Error(`mutant ${m.id}: its text is not found exactly once in ${m.script} (the script changed; update mutants.json)`);
    }
    const mutated = text.slice(0, at) + m.replace + text.slice(at + m.find.length);
    if (mutated === text) throw new Error(`mutant ${m.id} changes nothing`);
    return mutated;
}

/** A copy of the repository's files (tracked and untracked, ignored ones left out) with node_modules linked. */
function copyRepository(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ovha-script-mutants-"));
    const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard", "-z"], { cwd: REPO, encoding: "utf8" }).split("\0").filter(Boolean);
    for (const f of files) {
        const from = path.join(REPO, f);
        if (!fs.existsSync(from)) continue; // deleted in the working tree
        fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
        fs.copyFileSync(from, path.join(dir, f));
        fs.chmodSync(path.join(dir, f), fs.statSync(from).mode);
    }
    fs.symlinkSync(path.join(REPO, "node_modules"), path.join(dir, "node_modules"));
    return dir;
}

/** Runs one selection of host tests in `cwd` with mocha's JSON reporter. */
function runSelection(cwd: string, s: TestSelection): Promise<SelectionRun> {
    const started = Date.now();
    const out = path.join(cwd, ".mutation-result.json");
    fs.rmSync(out, { force: true });
    const args = ["--no-config", "-r", "ts-node/register/transpile-only", "--extension", "ts", "--timeout", "240000", "--exit"];
    args.push("--reporter", "json", "--reporter-option", `output=${out}`, ...(s.grep ? ["--grep", s.grep] : []), s.file);
    return new Promise((resolve) => {
        const child = spawn(path.join(cwd, "node_modules", ".bin", "mocha"), args, { cwd, stdio: ["ignore", "ignore", "pipe"], detached: true });
        let stderr = "";
        child.stderr.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
        const limit = setTimeout(() => {
            try {
                process.kill(-child.pid!, "SIGKILL");
            } catch {
                // already gone
            }
        }, SELECTION_LIMIT_MS);
        child.on("close", (code) => {
            clearTimeout(limit);
            const seconds = Math.round((Date.now() - started) / 1000);
            if (!fs.existsSync(out)) {
                resolve({
                    selection: s,
                    passed: 0,
                    passedTitles: [],
                    failed: [],
                    error: `mocha exited ${code} without a report: ${stderr.trim().split("\n").slice(-3).join(" | ")}`,
                    seconds,
                });
                return;
            }
            const report = JSON.parse(fs.readFileSync(out, "utf8")) as { passes: { fullTitle: string }[]; failures: { fullTitle: string }[] };
            const passedTitles = report.passes.map((p) => p.fullTitle);
            resolve({ selection: s, passed: passedTitles.length, passedTitles, failed: report.failures.map((f) => f.fullTitle), seconds });
        });
    });
}

export interface MutantResult {
    mutant: ScriptMutant;
    /** killed: a named test failed; survived: every selected test passed; error: no verdict */
    status: "killed" | "survived" | "error";
    runs: SelectionRun[];
}

function verdict(runs: SelectionRun[]): MutantResult["status"] {
    if (runs.some((r) => r.failed.length > 0)) return "killed";
    if (runs.some((r) => r.error !== undefined || r.passed === 0)) return "error";
    return "survived";
}

/** One selection per test file, its grep the union of the mutants' greps for that file (none if one runs it all). */
export function baselineSelections(mutants: readonly ScriptMutant[]): TestSelection[] {
    const byFile = new Map<string, (string | undefined)[]>();
    for (const t of mutants.flatMap((m) => m.tests)) byFile.set(t.file, [...(byFile.get(t.file) ?? []), t.grep]);
    return [...byFile].map(([file, greps]) =>
        greps.some((g) => g === undefined) ? { file } : { file, grep: [...new Set(greps)].map((g) => `(?:${g})`).join("|") },
    );
}
const selectionText = (s: TestSelection) => (s.grep ? `${s.file} -g "${s.grep}"` : s.file);

/** The table rows of a "## Host scripts" section in `text`, by mutant id (the first cell). */
export function sectionRows(text: string): Map<string, string> {
    const lines = text.split("\n");
    const start = lines.indexOf(SECTION);
    const rows = new Map<string, string>();
    if (start < 0) return rows;
    for (const l of lines.slice(start + 1)) {
        if (l.startsWith("## ")) break;
        const id = l.startsWith("| ") ? l.split("|")[1].trim() : "";
        if (id && id !== "Mutant") rows.set(id, l);
    }
    return rows;
}

/**
 * The section for `results`. A run of some mutants only (--only) passes the rows of an earlier section (`earlier`)
 * and every mutant id in list order (`order`): the table keeps the earlier rows of the mutants not run now.
 */
export function reportSection(
    results: MutantResult[],
    baseline: SelectionRun[],
    when: Date,
    planned = results.length,
    earlier: ReadonlyMap<string, string> = new Map(),
    order: readonly string[] = results.map((r) => r.mutant.id),
): string {
    const killedNow = results.filter((r) => r.status === "killed").length;
    const partial = planned > results.length ? ` (run cut short: ${results.length} of the ${planned} mutants run)` : "";
    const cell = (t: string) => t.replace(/\|/g, "\\|").replace(/\n/g, " ");
    const rows = new Map<string, string>();
    for (const r of results) {
        const first = r.runs.find((x) => x.failed.length > 0);
        const result =
            r.status === "killed"
                ? `killed by "${first!.failed[0]}"${first!.failed.length > 1 ? ` and ${first!.failed.length - 1} more` : ""} (${first!.seconds} s)`
                : r.status === "survived"
                  ? `**survived** ${r.runs.map((x) => selectionText(x.selection)).join(", ")}`
                  : `**no verdict**: ${r.runs.map((x) => x.error ?? "").join(" ")}`;
        rows.set(
            r.mutant.id,
            `| ${r.mutant.id} | ${path.basename(r.mutant.script)} | ${r.mutant.property} | ${cell(r.mutant.description)} | ${cell(result)} |`,
        );
    }
    const table = order.map((id) => rows.get(id) ?? earlier.get(id)).filter((row): row is string => row !== undefined);
    const kept = table.length - results.length;
    const killed = table.filter((row) => /\| killed by "/.test(row)).length;
    const stamp = when.toISOString().slice(0, 16).replace("T", " ");
    const lines = [
        SECTION,
        "",
        `Written by \`npm run mutation:scripts\` (tools/script-mutants/run.ts; the mutants are data in tools/script-mutants/mutants.json) ` +
            `on ${stamp} UTC: **${killed} of ${table.length} script mutants killed**` +
            `${table.length === killed ? "" : `, ${table.length - killed} not (listed below)`}${partial}` +
            `${kept > 0 ? ` (${results.length} run on ${stamp}, ${killedNow} of them killed; the other ${kept} rows are from earlier runs)` : ""}. ` +
            "Each mutant is one textual change to one host script, applied to a copy of the repository, and the host tests it names " +
            "run against it on test hosts; killed = one of them failed. Before the mutants, the same tests passed on the unchanged scripts " +
            `(${baseline.map((b) => `${b.selection.file}: ${b.passed} passing`).join("; ")}).`,
        "",
        "| Mutant | Script | Property | Change | Result (the first failing test) |",
        "|---|---|---|---|---|",
    ];
    lines.push(...table);
    return lines.join("\n") + "\n";
}

/** `text` with its "## Host scripts" section (up to the next "## " heading) replaced by `section`, or appended. */
export function replaceSection(text: string, section: string): string {
    const lines = text.split("\n");
    const start = lines.indexOf(SECTION);
    if (start < 0) return (text.trim() ? text.replace(/\n*$/, "\n\n") : "# Mutation testing\n\n") + section;
    let end = lines.findIndex((l, i) => i > start && l.startsWith("## "));
    if (end < 0) end = lines.length;
    const after = lines.slice(end).join("\n");
    return [...lines.slice(0, start), ...section.replace(/\n$/, "").split("\n"), ...(after ? ["", after] : [""])].join("\n");
}

async function main(argv: string[]): Promise<number> {
    const only = argv.includes("--only") ? argv[argv.indexOf("--only") + 1].split(",") : undefined;
    let mutants = loadMutants();
    const order = mutants.map((m) => m.id);
    if (only) mutants = mutants.filter((m) => only.includes(m.id));
    if (argv.includes("--list")) {
        for (const m of mutants) console.log(`${m.id}\t${m.script}\t${m.property}\t${m.description}`);
        return 0;
    }
    if (only && only.some((id) => !order.includes(id))) throw new Error(`--only: no mutant ${only.filter((id) => !order.includes(id)).join(", ")}`);
    // Fail fast on a stale mutant, before any test runs.
    for (const m of mutants) applyMutant(fs.readFileSync(path.join(REPO, m.script), "utf8"), m);
    const copy = copyRepository();
    try {
        // Baseline: the unchanged scripts pass every selection, each selecting at least one test (one run per file).
        const baseline: SelectionRun[] = [];
        for (const s of baselineSelections(mutants)) {
            const r = await runSelection(copy, s);
            console.log(`baseline ${selectionText(s)}: ${r.passed} passing, ${r.failed.length} failing (${r.seconds} s)${r.error ? ` ${r.error}` : ""}`);
            const empty = mutants
                .flatMap((m) => m.tests)
                .filter((t) => t.file === s.file && !r.passedTitles.some((title) => new RegExp(t.grep ?? "").test(title)));
            if (r.failed.length || r.error || empty.length) {
                const why = r.failed.join("; ") || r.error || `no test selected by ${empty.map(selectionText).join(", ")}`;
                console.error(`the unchanged scripts fail ${selectionText(s)}: ${why}; no mutant run`);
                return 2;
            }
            baseline.push(r);
        }
        const results: MutantResult[] = [];
        for (const m of mutants) {
            const file = path.join(copy, m.script);
            const original = fs.readFileSync(file, "utf8");
            fs.writeFileSync(file, applyMutant(original, m));
            const runs: SelectionRun[] = [];
            try {
                for (const s of m.tests) {
                    const r = await runSelection(copy, s);
                    runs.push(r);
                    if (r.failed.length) break; // killed: the other selections would add nothing
                }
            } finally {
                fs.writeFileSync(file, original);
            }
            const result = { mutant: m, status: verdict(runs), runs };
            results.push(result);
            console.log(
                `${m.id} (${m.property}): ${result.status}${result.status === "killed" ? ` by "${runs.find((r) => r.failed.length)!.failed[0]}"` : ""}`,
            );
            // Written after every mutant, so a run cut short still reports what it did (the count says how far).
            if (!argv.includes("--no-report")) {
                const report = path.join(REPO, "MUTATION.md");
                const text = fs.existsSync(report) ? fs.readFileSync(report, "utf8") : "";
                // A run of some mutants keeps the other mutants' rows of the section it replaces (read again at each write,
                // so runs of other mutants at the same time keep theirs).
                const earlier = only ? sectionRows(text) : new Map<string, string>();
                fs.writeFileSync(report, replaceSection(text, reportSection(results, baseline, new Date(), mutants.length, earlier, order)));
            }
        }
        return results.every((r) => r.status === "killed") ? 0 : 1;
    } finally {
        fs.rmSync(copy, { recursive: true, force: true });
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (e: unknown) => {
            console.error(e instanceof Error ? e.message : e);
            process.exit(2);
        },
    );
}
