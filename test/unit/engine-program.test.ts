/**
 * What the engine would run on a second `pulumi up` of the real program (engine model over two recorded runs):
 * nothing when nothing changed, and for `pulumi up --replace <urn>` of any one step of a node, a node that ends
 * installed, started and healthy, drained (media) or stopped (master) before its uninstall.
 */
import { strict as assert } from "assert";
import { EnginePlan, planUp, REMOTE_COMMAND } from "../support/engine";
import { ONPREM_SECRET_KEYS, onpremConfig } from "../support/fixtures";
import { ProgramRun, runProgram, sharedRun } from "../support/program";

/** The host script a step's command runs ("# openvidu-ha <script> on <label>"). */
const scriptOf = (command: string) => /^# openvidu-ha (\S+) on /.exec(command)?.[1];

/** "op name [operation: script]" of each step that does something. */
function story(plan: EnginePlan): string[] {
    return plan.steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${s.name}${s.run ? ` [${s.run.operation}: ${scriptOf(s.run.command)}]` : ""}`);
}

describe("engine model on the program: second pulumi up", function () {
    let first: ProgramRun;
    let again: ProgramRun;
    let firewalled: ProgramRun;
    const replace = (run: ProgramRun, name: string) => planUp(run.resources, run.resources, { replace: [run.named(name).urn] });

    before(async function () {
        first = await sharedRun(onpremConfig(), ONPREM_SECRET_KEYS);
        again = await runProgram(onpremConfig(), ONPREM_SECRET_KEYS);
        firewalled = await runProgram(onpremConfig({ hostFirewall: true }), ONPREM_SECRET_KEYS);
    });

    it("nothing changed: every resource is the same and no command runs", function () {
        const plan = planUp(first.resources, again.resources);
        assert.deepEqual(story(plan), []);
        assert.equal(plan.steps.length, again.resources.length);
    });

    it("--replace of a master's install: stop, uninstall, install, start, health on that master only", function () {
        assert.deepEqual(story(replace(first, "masters-1-install")), [
            "delete-replacement masters-1-health",
            "delete-replacement masters-1-start [delete: stop]",
            "delete-replacement masters-1-install [delete: uninstall]",
            "replace masters-1-install",
            "create-replacement masters-1-install [create: install]",
            "replace masters-1-start",
            "create-replacement masters-1-start [create: start]",
            "replace masters-1-health",
            "create-replacement masters-1-health [create: health]",
        ]);
    });

    it("--replace of a media node's install: drain before the uninstall, then install, start, health", function () {
        assert.deepEqual(story(replace(first, "media-10-5-1-2-install")), [
            "delete-replacement media-10-5-1-2-health",
            "delete-replacement media-10-5-1-2-start [delete: drain]",
            "delete-replacement media-10-5-1-2-install [delete: uninstall]",
            "replace media-10-5-1-2-install",
            "create-replacement media-10-5-1-2-install [create: install]",
            "replace media-10-5-1-2-start",
            "create-replacement media-10-5-1-2-start [create: start]",
            "replace media-10-5-1-2-health",
            "create-replacement media-10-5-1-2-health [create: health]",
        ]);
    });

    it("--replace of start drains (media) or stops (master) and starts again, then checks health", function () {
        for (const [name, undo] of [
            ["media-10-5-1-1", "drain"],
            ["masters-3", "stop"],
        ]) {
            assert.deepEqual(story(replace(first, `${name}-start`)), [
                `delete-replacement ${name}-health`,
                `delete-replacement ${name}-start [delete: ${undo}]`,
                `replace ${name}-start`,
                `create-replacement ${name}-start [create: start]`,
                `replace ${name}-health`,
                `create-replacement ${name}-health [create: health]`,
            ]);
        }
    });

    it("--replace of health, preflight or firewall re-runs that step alone (firewall: removed, then applied)", function () {
        assert.deepEqual(story(replace(first, "masters-2-health")), [
            "delete-replacement masters-2-health",
            "replace masters-2-health",
            "create-replacement masters-2-health [create: health]",
        ]);
        assert.deepEqual(story(replace(first, "media-10-5-1-1-preflight")), [
            "delete-replacement media-10-5-1-1-preflight",
            "replace media-10-5-1-1-preflight",
            "create-replacement media-10-5-1-1-preflight [create: preflight]",
        ]);
        assert.deepEqual(story(replace(firewalled, "masters-4-firewall")), [
            "delete-replacement masters-4-firewall [delete: firewall]",
            "replace masters-4-firewall",
            "create-replacement masters-4-firewall [create: firewall]",
        ]);
    });

    it("the replaced node's start waits for every master install; media installs wait for the re-created health gate", function () {
        const plan = replace(first, "masters-1-install");
        const start = plan.stepsOf("masters-1-start").find((s) => s.op === "create-replacement")!;
        const replaceStart = plan.steps[start.after[0]];
        for (const i of [2, 3, 4]) {
            assert.ok(replaceStart.after.includes(plan.stepsOf(`masters-${i}-install`)[0].id), `after masters-${i}-install`);
        }
        const health = plan.stepsOf("masters-1-health").at(-1)!;
        assert.ok(plan.stepsOf("media-10-5-1-1-install")[0].after.includes(health.id));
    });

    it("removing a media node: health, drain, uninstall, preflight, one after the other, after every registration", function () {
        const shrunk = sharedRun(onpremConfig({ mediaNodes: [{ publicIp: "198.51.100.21", privateIp: "10.5.1.1" }] }), ONPREM_SECRET_KEYS);
        return shrunk.then((next) => {
            const plan = planUp(first.resources, next.resources);
            // The node's convergence steps go too; they have no delete command, so nothing runs for them.
            const converge = plan.steps.filter((s) => s.name.startsWith("converge-") && s.op !== "same");
            assert.ok(converge.length === 7 && converge.every((s) => s.op === "delete" && s.run === undefined));
            assert.deepEqual(
                story(plan).filter((l) => !l.includes(" converge-")),
                [
                    "delete media-10-5-1-2-health",
                    "delete media-10-5-1-2-start [delete: drain]",
                    "delete media-10-5-1-2-install [delete: uninstall]",
                    "delete media-10-5-1-2-preflight",
                    "delete media-10-5-1-2-host-key",
                ],
            );
            const deletes = plan.steps.filter((s) => s.op === "delete" && !s.name.startsWith("converge-"));
            for (const [i, s] of deletes.slice(1).entries()) assert.ok(s.after.includes(deletes[i].id), `${s.name} after ${deletes[i].name}`);
        });
    });

    it("every remote.Command sets addPreviousOutputInEnv false (no command reads PULUMI_COMMAND_STDOUT/_STDERR)", function () {
        const commands = firewalled.ofType(REMOTE_COMMAND);
        assert.ok(commands.length > 0);
        for (const c of commands) {
            const inputs = firewalled.inputsOf(c.name, true);
            assert.equal(inputs.addPreviousOutputInEnv, false, c.name);
            for (const op of ["create", "update", "delete"]) {
                assert.ok(!String(inputs[op] ?? "").includes("PULUMI_COMMAND_"), `${c.name} ${op}`);
            }
        }
    });

    it("start and health take their triggers from the previous step's id; nothing else has triggers", function () {
        for (const c of firewalled.ofType(REMOTE_COMMAND)) {
            const kind = /-(\w+)$/.exec(c.name)![1];
            const source = c.name.startsWith("converge-") ? undefined : { start: "install", health: "start" }[kind];
            const node = c.name.slice(0, -kind.length - 1);
            if (source === undefined) {
                assert.equal(firewalled.inputsOf(c.name).triggers, undefined, c.name);
            } else {
                assert.deepEqual(firewalled.inputsOf(c.name).triggers, [`${node}-${source}-id`], c.name);
                assert.deepEqual(c.propertyDependencies.triggers, [firewalled.named(`${node}-${source}`).urn], c.name);
            }
        }
    });
});
