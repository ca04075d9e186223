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

    it("formats a bare Error (the SDK's trace captures) once per distinct frame list, and returns that text again", () => {
        const formattedFrames: string[] = [];
        errorClass.prepareStackTrace = (_error, frames) => {
            formattedFrames.push(frames.map(String).join("|"));
            return `formatted ${formattedFrames.length}`;
        };
        mapOnlyProgramFrames();
        const sameSite: string[] = [];
        for (let i = 0; i < 3; i++) {
            sameSite.push(new Error().stack!);
        }
        const otherSite = new Error().stack;
        assert.deepStrictEqual(sameSite, ["formatted 1", "formatted 1", "formatted 1"]);
        assert.strictEqual(otherSite, "formatted 2");
        assert.strictEqual(formattedFrames.length, 2);
    });

    it("formats every other error each time: a message, a name, a subclass", () => {
        let calls = 0;
        errorClass.prepareStackTrace = () => `formatted ${++calls}`;
        mapOnlyProgramFrames();
        const stacks: string[] = [];
        for (let i = 0; i < 2; i++) {
            stacks.push(new Error("with a message").stack!);
            const named = new Error();
            named.name = "Named";
            stacks.push(named.stack!);
            stacks.push(new TypeError().stack!);
        }
        assert.deepStrictEqual(stacks, ["formatted 1", "formatted 2", "formatted 3", "formatted 4", "formatted 5", "formatted 6"]);
    });

    it("with ts-node's source-map-support, a repeated bare Error keeps the program's TypeScript line", () => {
        mapOnlyProgramFrames();
        const stacks: string[] = [];
        for (let i = 0; i < 2; i++) {
            stacks.push(new Error().stack!); // marker: repeated-line
        }
        const line =
            fs
                .readFileSync(__filename, "utf8")
                .split("\n")
                .findIndex((l) => l.includes("marker: repeated-" + "line")) + 1;
        assert.strictEqual(stacks[1], stacks[0]);
        assert.match(stacks[0], new RegExp(`^Error\\n    at .*${__filename.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}:${line}:\\d+`));
    });

    it("wraps once however often the program is loaded", () => {
        errorClass.prepareStackTrace = () => "formatted";
        mapOnlyProgramFrames();
        const wrapped = errorClass.prepareStackTrace;
        mapOnlyProgramFrames();
        assert.strictEqual(errorClass.prepareStackTrace, wrapped);
    });
});
