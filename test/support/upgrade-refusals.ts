/**
 * Expected refusals of upgradePath (components/core/upgrade-path.ts) as literal message templates: the test names
 * the versions, the text around them is written here once, never taken from the code under test.
 */
import * as assert from "assert";
import { upgradePath, UpgradeRefused } from "../../components/core/upgrade-path";

/** The vendor updater's whole path as the refusal prints it (vendor facts 4). */
export const VENDOR_PATH_TEXT = "3.0.0 -> 3.1.0 -> 3.2.0 -> 3.3.0 -> 3.4.0 -> 3.4.1 -> 3.5.0 -> 3.6.0 -> 3.6.1 -> 3.7.0 -> 3.8.0";

/** A downgrade from `installed` to `wanted`. */
export const downgradeMessage = (installed: string, wanted: string) =>
    `openviduVersion ${wanted} is older than the installed ${installed}: downgrades are not supported (roll back from the updater's backup instead, see README "Day 2")`;

/** No path from `installed` to `wanted`, naming `unknown`, the version the updater does not know. */
export const noPathMessage = (installed: string, wanted: string, unknown: string) =>
    `no upgrade path from the installed ${installed} to openviduVersion ${wanted}: the vendor's updater knows no path through ${unknown} (it upgrades along ${VENDOR_PATH_TEXT})`;

/** upgradePath(installed, wanted) throws an UpgradeRefused with exactly `message`. */
export function assertUpgradeRefused(installed: string, wanted: string, message: string): void {
    assert.throws(
        () => upgradePath(installed, wanted),
        (err: Error) => err instanceof UpgradeRefused && err.message === message,
        `upgradePath(${installed}, ${wanted})`,
    );
}
