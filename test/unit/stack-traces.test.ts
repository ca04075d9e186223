import * as assert from "assert";
import * as fs from "fs";
import { z } from "zod";
import { mapOnlyProgramFrames } from "../../components/stack-traces";

type PrepareStackTrace = (error: Error, frames: NodeJS.CallSite[]) => unknown;
const errorClass = Error as { prepareStackTrace?: PrepareStackTrace };

/** An Error created inside a callback that zod (node_modules) calls synchronously, so its stack holds zod frames. */
function errorFromNodeModules(): Error {
    let captured: Error | undefined;
    z.string()
        .refine(() => {
            captured = new Error("probe"); // marker: probe-line
            return true;
        })
        .parse("x");
    return captured!;
}

describe("stack traces: source maps for the program's frames only", () => {
    let original: PrepareStackTrace | undefined;
    beforeEach(() => {
        original = errorClass.prepareStackTrace;
    });
    afterEach(() => {
        errorClass.prepareStackTrace = original;
    });

    it("hands the installed formatter node_modules and node: frames as native (not mapped), the program's as they are", () => {
        const seen: { file: string | null; native: boolean; text: string }[] = [];
        errorClass.prepareStackTrace = (_error, frames) => {
            for (const f of frames) {
                seen.push({ file: f.getFileName() ?? null, native: f.isNative(), text: String(f) });
            }
            return "formatted";
        };
        mapOnlyProgramFrames();
        assert.strictEqual(errorFromNodeModules().stack, "formatted");
        const zodFrames = seen.filter((s) => s.file?.includes("/node_modules/zod/"));
        const ownFrames = seen.filter((s) => s.file === __filename);
        assert.ok(zodFrames.length > 0 && ownFrames.length > 0, JSON.stringify(seen));
        assert.ok(
            zodFrames.every((s) => s.native && s.text.includes("/node_modules/zod/")),
            JSON.stringify(zodFrames),
        );
        assert.ok(
            ownFrames.every((s) => !s.native),
            JSON.stringify(ownFrames),
        );
    });

    it("with ts-node's source-map-support, the program's frames keep their TypeScript lines", () => {
        mapOnlyProgramFrames();
        const probeLine =
            fs
                .readFileSync(__filename, "utf8")
                .split("\n")
                .findIndex((l) => l.includes("marker: probe-" + "line")) + 1;
        const stack = errorFromNodeModules().stack!;
        assert.match(stack, new RegExp(`${__filename.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}:${probeLine}:\\d+`));
        assert.match(stack, /node_modules\/zod\/.*\.c?js:\d+:\d+/);
    });

    it("wraps once however often the program is loaded", () => {
        errorClass.prepareStackTrace = () => "formatted";
        mapOnlyProgramFrames();
        const wrapped = errorClass.prepareStackTrace;
        mapOnlyProgramFrames();
        assert.strictEqual(errorClass.prepareStackTrace, wrapped);
    });
});
