// The script-mutation runner's pure parts (tools/script-mutants/run.ts): applying a mutant, the baseline's test
// selections, and the MUTATION.md section it rewrites while keeping everything else of the file.
import { strict as assert } from "assert";
import { applyMutant, baselineSelections, loadMutants, replaceSection, ScriptMutant } from "../../tools/script-mutants/run";

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

    it("the mutant list covers every host script and each safety property the issue names", function () {
        const mutants = loadMutants();
        const scripts = new Set(mutants.map((m) => m.script.replace(/^.*\//, "")));
        for (const s of ["install.sh", "health.sh", "start.sh", "stop.sh", "drain.sh", "uninstall.sh", "converge.sh", "preflight.sh", "firewall.sh"]) {
            assert.ok(scripts.has(s), s);
        }
        const properties = new Set(mutants.map((m) => m.property));
        for (const p of ["masking", "modes", "checksum", "health", "drain", "idempotency"]) assert.ok(properties.has(p), p);
    });
});
