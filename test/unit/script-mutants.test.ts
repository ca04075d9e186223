// The script-mutation runner's pure parts (tools/script-mutants/run.ts): applying a mutant, the baseline's test
// selections, and the MUTATION.md section it rewrites while keeping everything else of the file.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import {
    applyMutant,
    baselineSelections,
    loadMutants,
    MutantResult,
    replaceSection,
    reportSection,
    ScriptMutant,
    sectionRows,
} from "../../tools/script-mutants/run";

const mutant = (over: Partial<ScriptMutant> = {}): ScriptMutant => ({
    id: "m",
    script: "x.sh",
    property: "p",
    description: "d",
    find: "curl -fsS",
    replace: "curl -sS",
    tests: [{ file: "a.test.ts", grep: "one" }],
    ...over,
});

describe("script mutants (tools/script-mutants)", function () {
    it("applies a mutant where its text occurs once, and refuses text found twice or not at all", function () {
        assert.equal(applyMutant("a\ncurl -fsS x\nb\n", mutant()), "a\ncurl -sS x\nb\n");
        assert.throws(() => applyMutant("curl -fsS; curl -fsS", mutant()), /^Error: mutant m: its text is not found exactly once in x\.sh/);
        assert.throws(() => applyMutant("wget", mutant()), /not found exactly once/);
        assert.throws(() => applyMutant("curl -fsS", mutant({ replace: "curl -fsS" })), /^Error: mutant m changes nothing$/);
    });

    it("runs each test file once for the baseline, with the union of the mutants' greps", function () {
        const selections = baselineSelections([
            mutant({ tests: [{ file: "a.test.ts", grep: "one" }] }),
            mutant({ tests: [{ file: "a.test.ts", grep: "two" }, { file: "b.test.ts" }] }),
            mutant({ tests: [{ file: "a.test.ts", grep: "one" }] }),
        ]);
        assert.deepEqual(selections, [{ file: "a.test.ts", grep: "(?:one)|(?:two)" }, { file: "b.test.ts" }]);
    });

    it("rewrites only the Host scripts section of MUTATION.md, or adds it", function () {
        const stryker = "# Mutation testing\n\n## Stryker\n\nscore 90%\n";
        const section = "## Host scripts\n\nnew table\n";
        const added = replaceSection(stryker, section);
        assert.equal(added, "# Mutation testing\n\n## Stryker\n\nscore 90%\n\n## Host scripts\n\nnew table\n");
        const old = "# Mutation testing\n\n## Host scripts\n\nold table\nold row\n\n## Stryker\n\nscore 90%\n";
        assert.equal(replaceSection(old, section), "# Mutation testing\n\n## Host scripts\n\nnew table\n\n## Stryker\n\nscore 90%\n");
        assert.equal(replaceSection(added, "## Host scripts\n\nnewer\n"), "# Mutation testing\n\n## Stryker\n\nscore 90%\n\n## Host scripts\n\nnewer\n");
        assert.equal(replaceSection("", section), "# Mutation testing\n\n## Host scripts\n\nnew table\n");
    });

    it("a run of some mutants (--only) keeps the earlier rows of the others, in list order, and counts all rows", function () {
        const earlierSection = [
            "## Host scripts",
            "",
            "Written ...",
            "",
            "| Mutant | Script | Property | Change | Result (the first failing test) |",
            "|---|---|---|---|---|",
            '| a | a.sh | masking | d | killed by "t" (3 s) |',
            "| b | b.sh | modes | d | **survived** b.test.ts |",
            '| c | c.sh | drain | d | killed by "t" (5 s) |',
            "",
            "## Stryker",
            "| x | y |",
        ].join("\n");
        const earlier = sectionRows(earlierSection);
        assert.deepEqual([...earlier.keys()], ["a", "b", "c"]);
        const rerun: MutantResult = {
            mutant: mutant({ id: "b", script: "dir/b.sh", property: "modes", description: "d2" }),
            status: "killed",
            runs: [{ selection: { file: "b.test.ts" }, passed: 0, passedTitles: [], failed: ["b kills it"], seconds: 7 }],
        };
        const section = reportSection([rerun], [], new Date("2026-01-02T03:04:00Z"), 1, earlier, ["a", "b", "new", "c"]);
        assert.deepEqual(
            [...sectionRows(section).values()],
            [
                '| a | a.sh | masking | d | killed by "t" (3 s) |',
                '| b | b.sh | modes | d2 | killed by "b kills it" (7 s) |',
                '| c | c.sh | drain | d | killed by "t" (5 s) |',
            ],
        );
        assert.match(
            section,
            /on 2026-01-02 03:04 UTC: \*\*3 of 3 script mutants killed\*\* \(1 run on 2026-01-02 03:04, 1 of them killed; the other 2 rows are from earlier runs\)\./,
        );
        // A full run (no earlier rows) lists and counts only what it ran.
        assert.match(reportSection([rerun], [], new Date("2026-01-02T03:04:00Z")), /\*\*1 of 1 script mutants killed\*\*\. /);
    });

    it("every host script and AWS boot script has a mutant, and each safety property the issue names is covered", function () {
        const mutants = loadMutants();
        const scripts = new Set(mutants.map((m) => m.script));
        const root = path.join(__dirname, "..", "..");
        for (const dir of ["components/host/scripts", "components/onprem/scripts", "components/aws/scripts"]) {
            for (const f of fs.readdirSync(path.join(root, dir)).filter((f) => f.endsWith(".sh"))) assert.ok(scripts.has(`${dir}/${f}`), `${dir}/${f}`);
        }
        assert.ok(scripts.has("components/aws/plan/user-data.ts"), "the user data (SHA-256 check of the boot scripts)");
        const properties = new Set(mutants.map((m) => m.property));
        for (const p of ["masking", "modes", "checksum", "health", "drain", "idempotency", "IMDSv2 token", "credential refresh", "resume after reboot"]) {
            assert.ok(properties.has(p), p);
        }
    });
});
