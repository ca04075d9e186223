/**
 * A master's privateIp changed on a running cluster with hostFirewall on: what the engine would run (engine model over
 * two recorded runs of the program). The refusal is preflight.sh's, on each host (a node installed with other master
 * addresses refuses); nothing may change a host before that host's refusing preflight: not its firewall (which would
 * already admit the new address and drop the old one), not its install. A first deploy that failed on a mistyped
 * master address installs nothing anywhere, so the corrected config deploys (no node holds the mistyped list).
 */
import { strict as assert } from "assert";
import { EnginePlan, EngineStep, planFirstUp, planUp, snapshotAfter } from "../support/engine";
import { ONPREM_SECRET_KEYS, onpremConfig } from "../support/fixtures";
import { ProgramRun, runProgram } from "../support/program";

const MASTERS = [1, 2, 3, 4].map((i) => ({ publicIp: `203.0.113.${10 + i}`, privateIp: `10.5.0.${i}` }));
const withMaster3At = (privateIp: string) => MASTERS.map((m, i) => (i === 2 ? { ...m, privateIp } : m));
const config = (masterNodes = MASTERS) => onpremConfig({ hostFirewall: true, masterNodes });

/** The host script a step's command runs ("# openvidu-ha <script> on <label>"). */
const scriptOf = (s: EngineStep) => (s.run ? /^# openvidu-ha (\S+) on /.exec(s.run.command)?.[1] : undefined);
const hostOf = (s: EngineStep) => s.run?.inputs.connection.host as string;

/** Every step `id` waits for, directly or through others. */
function ancestors(plan: EnginePlan, id: number): Set<number> {
    const seen = new Set<number>();
    const todo = [...plan.steps[id].after];
    while (todo.length > 0) {
        const next = todo.pop()!;
        if (seen.has(next)) continue;
        seen.add(next);
        todo.push(...plan.steps[next].after);
    }
    return seen;
}

const MASTER_HOSTS = MASTERS.map((m) => m.publicIp);

/**
 * Steps that run a command that changes a host (everything but preflight) and wait neither for a preflight checking
 * `masterList` on their own host nor for one on every master (every node of a running cluster refuses for itself;
 * the convergence chain comes after the masters' installs, so after their preflights).
 */
function unguarded(plan: EnginePlan, masterList: string): string[] {
    return plan
        .commands()
        .filter((s) => scriptOf(s) !== "preflight")
        .filter((s) => {
            const checkedOn = new Set(
                [...ancestors(plan, s.id)]
                    .map((a) => plan.steps[a])
                    .filter((a) => scriptOf(a) === "preflight" && a.run!.command.includes(`'${masterList}'`))
                    .map(hostOf),
            );
            return !checkedOn.has(hostOf(s)) && !MASTER_HOSTS.every((h) => checkedOn.has(h));
        })
        .map((s) => `${s.name} [${scriptOf(s)}]`);
}

describe("a master's privateIp changed with hostFirewall on (engine model)", function () {
    let deployed: ProgramRun;
    before(async function () {
        deployed = await runProgram(config(), ONPREM_SECRET_KEYS);
    });

    it("every step that changes a host waits for a preflight on that host checking the configured master addresses", async function () {
        const moved = await runProgram(config(withMaster3At("10.5.0.200")), ONPREM_SECRET_KEYS);
        const plan = planUp(deployed.resources, moved.resources);
        const firewalls = plan.commands().filter((s) => scriptOf(s) === "firewall");
        // The firewall steps do run on every node (the rulesets changed): the refusal must come before each.
        assert.deepEqual(firewalls.map((s) => s.name).sort(), [
            "masters-1-firewall",
            "masters-2-firewall",
            "masters-3-firewall",
            "masters-4-firewall",
            "media-10-5-1-1-firewall",
            "media-10-5-1-2-firewall",
        ]);
        assert.deepEqual(unguarded(plan, "10.5.0.1,10.5.0.2,10.5.0.200,10.5.0.4"), []);
    });

    it("a first deploy failing on a mistyped master address installs nothing; the corrected config then deploys every node", async function () {
        const mistyped = await runProgram(config(withMaster3At("10.5.0.33")), ONPREM_SECRET_KEYS);
        const first = planFirstUp(mistyped.resources);
        const failing = first.stepsOf("masters-3-preflight")[0];
        // The worst case the engine allows: every step not waiting for the failed preflight completed.
        const completed = new Set(first.steps.filter((s) => s.id !== failing.id && !ancestors(first, s.id).has(failing.id)).map((s) => s.id));
        assert.deepEqual(
            first
                .commands()
                .filter((s) => completed.has(s.id) && scriptOf(s) !== "preflight" && scriptOf(s) !== "firewall")
                .map((s) => s.name),
            [],
            "steps that run although a master's preflight failed",
        );
        const corrected = await runProgram(config(), ONPREM_SECRET_KEYS);
        const second = planUp(snapshotAfter([], mistyped.resources, first, completed), corrected.resources);
        // Every host's preflight checks the corrected list before anything else on it.
        assert.deepEqual(unguarded(second, "10.5.0.1,10.5.0.2,10.5.0.3,10.5.0.4"), []);
        for (const kind of ["install", "start", "health"]) {
            assert.deepEqual(
                second
                    .commands()
                    .filter((s) => scriptOf(s) === kind)
                    .map((s) => s.name)
                    .sort(),
                ["masters-1", "masters-2", "masters-3", "masters-4", "media-10-5-1-1", "media-10-5-1-2"].map((n) => `${n}-${kind}`),
            );
        }
    });
});
