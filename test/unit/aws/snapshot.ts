/**
 * Text snapshots under test/unit/aws/__snapshots__. A missing or different snapshot fails the test; rewriting
 * them is a deliberate act: `UPDATE_SNAPSHOTS=1 npm test`, then review the diff before committing.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

const DIR = path.join(__dirname, "__snapshots__");

export function matchSnapshot(name: string, actual: string): void {
    const file = path.join(DIR, name);
    if (process.env.UPDATE_SNAPSHOTS === "1") {
        fs.mkdirSync(DIR, { recursive: true });
        fs.writeFileSync(file, actual);
        return;
    }
    assert.ok(fs.existsSync(file), `snapshot ${name} is missing: run UPDATE_SNAPSHOTS=1 npm test and review it`);
    assert.strictEqual(
        actual,
        fs.readFileSync(file, "utf8"),
        `snapshot ${name} differs: if the change is intended, run UPDATE_SNAPSHOTS=1 npm test and review the diff`,
    );
}
