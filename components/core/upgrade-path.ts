/**
 * Which versions an upgrade walks. The vendor's updater (OpenVidu/openvidu `openvidu-deployment/update.sh`,
 * `get_next_version` and `validate_upgrade`) upgrades one step at a time along a fixed list and has no path from
 * any other version; from 3.4.x to anything past 3.5.0 it stops and asks for the 3.5.0 checkpoint: every node to
 * 3.5.0, start all, wait for initialisation, stop all, then continue. The vendor's script only enforces the
 * checkpoint when it starts on 3.4.x; we walk it for every path that crosses it (the migration it protects runs
 * at 3.5.0's first start, whatever the starting version).
 */

/** The updater's one-step path (`get_next_version`), oldest first. */
export const UPDATER_STEPS: readonly string[] = ["3.0.0", "3.1.0", "3.2.0", "3.3.0", "3.4.0", "3.4.1", "3.5.0", "3.6.0", "3.6.1", "3.7.0", "3.8.0"];

/** The version every node must reach, start on and stop again before an upgrade continues past it. */
export const UPGRADE_CHECKPOINT = "3.5.0";

/**
 * What an upgrade runs: `legs` are the versions the updater is run to, in order; between two legs the whole
 * cluster starts, passes its health gates and stops again (the checkpoint). Empty when nothing is to upgrade.
 */
export interface UpgradePath {
    legs: string[];
    /** Every version the node passes through after `from`, for pre-pulling the updater images. */
    steps: string[];
}

export class UpgradeRefused extends Error {}

/** The upgrade from the installed version to the target, or UpgradeRefused naming both versions. */
export function upgradePath(installed: string, target: string): UpgradePath {
    if (installed === target) {
        return { legs: [], steps: [] };
    }
    const from = UPDATER_STEPS.indexOf(installed);
    const to = UPDATER_STEPS.indexOf(target);
    if (from >= 0 && to >= 0 && to < from) {
        throw new UpgradeRefused(
            `openviduVersion ${target} is older than the installed ${installed}: downgrades are not supported (roll back from the updater's backup instead, see README "Day 2")`,
        );
    }
    if (from < 0 || to < 0) {
        const missing = from < 0 ? installed : target;
        throw new UpgradeRefused(
            `no upgrade path from the installed ${installed} to openviduVersion ${target}: the vendor's updater knows no path through ${missing} (it upgrades along ${UPDATER_STEPS.join(" -> ")})`,
        );
    }
    const steps = UPDATER_STEPS.slice(from + 1, to + 1);
    const checkpoint = UPDATER_STEPS.indexOf(UPGRADE_CHECKPOINT);
    const legs = from < checkpoint && to > checkpoint ? [UPGRADE_CHECKPOINT, target] : [target];
    return { legs, steps };
}
