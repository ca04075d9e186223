import * as assert from "assert";
import { MutantStatus, MutationReport, mutationScore, summaryTable } from "../../tools/mutation-summary";

function mutants(...statuses: MutantStatus[]): { mutants: { status: MutantStatus }[] } {
    return { mutants: statuses.map((status) => ({ status })) };
}

describe("npm run mutation:summary (MUTATION.md's tables from Stryker's JSON report)", () => {
    const report: MutationReport = {
        files: {
            "components/core/urls.ts": mutants("Killed", "Killed", "Timeout", "Survived", "CompileError", "Ignored"),
            "components/core/types.ts": mutants("Killed", "Ignored"),
            "components/config/load.ts": mutants("Killed", "NoCoverage", "RuntimeError"),
            "components/credentials.ts": mutants("Survived"),
        },
    };

    it("scores detected over valid mutants: compile errors, runtime errors and static mutants are left out", () => {
        const none = { Killed: 0, Survived: 0, NoCoverage: 0, CompileError: 0, RuntimeError: 0, Timeout: 0, Ignored: 0, Pending: 0 };
        assert.strictEqual(mutationScore({ ...none, Killed: 3, Timeout: 1, Survived: 1, CompileError: 7, Ignored: 9 }), 80);
        assert.strictEqual(mutationScore({ ...none, Killed: 1, NoCoverage: 1, RuntimeError: 4 }), 50);
        assert.strictEqual(mutationScore({ ...none, CompileError: 2 }), undefined);
    });

    it("adds files up per directory, keeps a file of no directory as its own row, and totals core + config and all", () => {
        assert.strictEqual(
            summaryTable(report),
            [
                "| directory | killed | timed out | survived | no coverage | compile errors | ignored (static) | score |",
                "|---|---|---|---|---|---|---|---|",
                "| components/core | 3 | 1 | 1 | 0 | 1 | 2 | 80.00 % |",
                "| components/config | 1 | 0 | 0 | 1 | 0 | 0 | 50.00 % |",
                "| components/credentials.ts | 0 | 0 | 1 | 0 | 0 | 0 | 0.00 % |",
                "| **core + config** | 4 | 1 | 1 | 1 | 1 | 2 | 71.43 % |",
                "| **all** | 4 | 1 | 2 | 1 | 1 | 2 | 62.50 % |",
            ].join("\n"),
        );
    });
});
