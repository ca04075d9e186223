/**
 * The engine model (test/support/engine), rule by rule, on small hand-made recordings. Each test names the
 * step_generator.go passage (pulumi/pulumi @ 1b5949891b) or provider source it follows.
 */
import { strict as assert } from "assert";
import { RecordedResource } from "../../tools/offline-runtime";
import { planDestroy, planUp, REMOTE_COMMAND, snapshotAfter } from "../support/engine";

const COMPONENT = "test:index:Node";

interface Spec {
    inputs?: Record<string, unknown>;
    dependsOn?: string[];
    /** input key -> names of resources its value comes from */
    from?: Record<string, string[]>;
    deleteBeforeReplace?: boolean;
    replaceOnChanges?: string[];
    type?: string;
}

const urn = (name: string) => `urn:pulumi:test::p::${REMOTE_COMMAND}::${name}`;

/** A recorded remote.Command `name` whose create/update/delete commands are "<name> create" etc. */
function command(name: string, spec: Spec = {}): RecordedResource {
    const from = spec.from ?? {};
    const inputs: Record<string, unknown> = { create: `${name} create`, delete: `${name} delete`, connection: { host: "h" }, ...spec.inputs };
    return {
        urn: urn(name),
        type: spec.type ?? REMOTE_COMMAND,
        name,
        parent: null,
        custom: spec.type !== COMPONENT,
        inputs,
        dependsOn: [...new Set([...(spec.dependsOn ?? []), ...Object.values(from).flat()])].map(urn).sort(),
        propertyDependencies: Object.fromEntries(Object.entries(from).map(([k, names]) => [k, names.map(urn)])),
        options: {
            protect: false,
            retainOnDelete: false,
            deleteBeforeReplace: spec.deleteBeforeReplace ?? false,
            ignoreChanges: [],
            replaceOnChanges: spec.replaceOnChanges ?? [],
            additionalSecretOutputs: [],
        },
    };
}

/** A node: install, start (its triggers take install's id), health (takes start's id), all delete-before-replace. */
function node(linked: boolean): RecordedResource[] {
    const dbr = { deleteBeforeReplace: true };
    return [
        command("install", dbr),
        linked
            ? command("start", { ...dbr, inputs: { triggers: ["install-id"] }, from: { triggers: ["install"] } })
            : command("start", { ...dbr, dependsOn: ["install"] }),
        linked
            ? command("health", { ...dbr, inputs: { triggers: ["start-id"], delete: undefined }, from: { triggers: ["start"] } })
            : command("health", { ...dbr, inputs: { delete: undefined }, dependsOn: ["start"] }),
    ];
}

/** "op name [operation]" of each step that does something. */
const ops = (previous: RecordedResource[], next: RecordedResource[], replace: string[] = []) =>
    planUp(previous, next, { replace: replace.map(urn) }).describe();

describe("engine model: steps of a second pulumi up", function () {
    it("inputs unchanged: a same step and no command (continueStepsFromDiff: 'Diff didn't produce any steps ... same/unchanged')", function () {
        const plan = planUp(node(true), node(true));
        assert.deepEqual(
            plan.steps.map((s) => s.op),
            ["same", "same", "same"],
        );
        assert.deepEqual(plan.commands(), []);
    });

    it("a new resource: create runs `create` (continueStepsFromImport: 'Planner decided to create')", function () {
        assert.deepEqual(ops([], [command("a")]), ["create a [create]"]);
    });

    it("an input changed that is not replace-on-change: update; remote.Command runs `update`, else `create` (commandController.go Update)", function () {
        const withUpdate = command("a", { inputs: { stdin: "2", update: "a update" } });
        assert.deepEqual(ops([command("a", { inputs: { stdin: "1", update: "a update" } })], [withUpdate]), ["update a [update]"]);
        assert.deepEqual(ops([command("a", { inputs: { stdin: "1" } })], [command("a", { inputs: { stdin: "2" } })]), ["update a [update]"]);
        const step = planUp([command("a", { inputs: { stdin: "1" } })], [command("a", { inputs: { stdin: "2" } })]).steps[0];
        assert.equal(step.run?.command, "a create");
        assert.deepEqual(step.changedKeys, ["stdin"]);
    });

    it("a secret compares by value: wrapping the same value as a secret is no change (unwrapResourceSecretsAndOutputs)", function () {
        const secret = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "x" };
        assert.deepEqual(ops([command("a", { inputs: { stdin: secret } })], [command("a", { inputs: { stdin: secret } })]), []);
    });

    it("triggers changed: replace, create before delete by default, the old one deleted after every registration (generateStepsFromDiff, GenerateDeletes)", function () {
        const old = [command("a", { inputs: { triggers: [1] } }), command("b", { dependsOn: ["a"] })];
        const next = [command("a", { inputs: { triggers: [2] } }), command("b", { dependsOn: ["a"] })];
        assert.deepEqual(ops(old, next), ["create-replacement a [create]", "replace a", "delete-replacement a [delete]"]);
        const plan = planUp(old, next);
        const del = plan.steps.find((s) => s.op === "delete-replacement")!;
        assert.deepEqual(
            del.after,
            plan.steps.filter((s) => s.id < del.id).map((s) => s.id),
            "after every registration step",
        );
        assert.equal(del.run?.command, "a delete");
    });

    it("triggers changed with deleteBeforeReplace: delete, then create, in one chain (continueStepsFromDiff 'DeleteBeforeCreate')", function () {
        const plan = planUp(
            [command("a", { inputs: { triggers: [1] }, deleteBeforeReplace: true })],
            [command("a", { inputs: { triggers: [2] }, deleteBeforeReplace: true })],
        );
        assert.deepEqual(plan.describe(), ["delete-replacement a [delete]", "replace a", "create-replacement a [create]"]);
        assert.deepEqual(
            plan.steps.map((s) => s.after),
            [[], [0], [1]],
        );
    });

    it("program replaceOnChanges makes any listed input replace (applyReplaceOnChanges)", function () {
        const old = command("a", { inputs: { stdin: "1" }, replaceOnChanges: ["stdin"] });
        assert.deepEqual(ops([old], [command("a", { inputs: { stdin: "2" }, replaceOnChanges: ["stdin"] })]), [
            "create-replacement a [create]",
            "replace a",
            "delete-replacement a [delete]",
        ]);
    });

    it("--replace replaces that resource only when dependents use dependsOn only (calculateDependentReplacements: 'a simple `dependsOn` edge')", function () {
        assert.deepEqual(ops(node(false), node(false), ["install"]), [
            "delete-replacement install [delete]",
            "replace install",
            "create-replacement install [create]",
        ]);
    });

    it("--replace with deleteBeforeReplace replaces dependents whose inputs come from it: deleted first, dependents first, re-created after (calculateDependentReplacements, requiresReplacement)", function () {
        const plan = planUp(node(true), node(true), { replace: [urn("install")] });
        assert.deepEqual(plan.describe(), [
            "delete-replacement health",
            "delete-replacement start [delete]",
            "delete-replacement install [delete]",
            "replace install",
            "create-replacement install [create]",
            "replace start",
            "create-replacement start [create]",
            "replace health",
            "create-replacement health [create]",
        ]);
        const [h, s, i, , ci, rs, cs, rh, ch] = plan.steps;
        assert.deepEqual([s.after, i.after, ci.after], [[h.id], [s.id], [ci.id - 1]]);
        assert.deepEqual([rs.after, cs.after, rh.after, ch.after], [[ci.id], [rs.id], [cs.id], [rh.id]]);
    });

    it("a dependent whose input from the replaced resource is not replace-on-change is not replaced (requiresReplacement diff)", function () {
        const old = [command("a", { deleteBeforeReplace: true }), command("b", { inputs: { stdin: "a-id" }, from: { stdin: ["a"] } })];
        assert.deepEqual(ops(old, old, ["a"]), ["delete-replacement a [delete]", "replace a", "create-replacement a [create]", "update b [update]"]);
    });

    it("without deleteBeforeReplace, a dependent taking the replaced resource's id is replaced through its new value (generateStepsFromDiff)", function () {
        const old = [command("a"), command("b", { inputs: { triggers: ["a-id"] }, from: { triggers: ["a"] } })];
        assert.deepEqual(ops(old, old, ["a"]), [
            "create-replacement a [create]",
            "replace a",
            "create-replacement b [create]",
            "replace b",
            "delete-replacement b [delete]",
            "delete-replacement a [delete]",
        ]);
    });

    it("resources no longer registered are deleted after every registration in antichains, dependents first (ScheduleDeletes)", function () {
        const old = [command("p"), command("q"), command("x", { dependsOn: ["p"] }), command("y", { from: { stdin: ["x"] }, inputs: { stdin: "x" } })];
        const plan = planUp(old, [command("p")]);
        assert.deepEqual([...plan.describe()].sort(), ["delete q [delete]", "delete x [delete]", "delete y [delete]"]);
        const step = (n: string) => plan.steps.find((s) => s.name === n && s.op === "delete")!;
        // Antichains from the leaves up, reversed: [y], then [q, x] together (q has no dependents but is a "maximal"
        // element of the first round, so it lands in the last antichain).
        assert.deepEqual(step("y").after, [0], "the first antichain waits for the registrations");
        assert.deepEqual(step("x").after, [step("y").id]);
        assert.deepEqual(step("q").after, [step("y").id]);
    });

    it("destroy deletes every resource in reverse dependency order; a step without `delete` runs nothing (commandController.go Delete)", function () {
        const plan = planDestroy(node(true));
        assert.deepEqual(plan.describe(), ["delete health", "delete start [delete]", "delete install [delete]"]);
        assert.deepEqual(
            plan.steps.map((s) => s.after),
            [[], [0], [1]],
        );
    });

    it("a delete runs the old state's command and inputs; create and update the new ones (commandController.go)", function () {
        const old = [command("a", { inputs: { delete: "old delete", stdin: "1" } }), command("gone", { inputs: { delete: "gone delete" } })];
        const next = [command("a", { inputs: { delete: "new delete", stdin: "2", triggers: [1] } })];
        const plan = planUp(old, next);
        const deletes = plan
            .commands()
            .filter((s) => s.run!.operation === "delete")
            .map((s) => [s.name, s.run!.command, s.run!.inputs.stdin]);
        assert.deepEqual(deletes.sort(), [
            ["a", "old delete", "1"],
            ["gone", "gone delete", undefined],
        ]);
        assert.equal(plan.stepsOf("a")[0].run!.inputs.stdin, "2");
    });

    it("refuses --replace of a URN the previous run does not have, and a type with no replace table", function () {
        assert.throws(() => planUp([command("a")], [command("a")], { replace: [urn("b")] }), /--replace .*::b: no such resource/);
        assert.throws(
            () => planUp([command("a", { type: "x:y:Z" })], [command("a", { type: "x:y:Z", inputs: { k: 1 } })]),
            /no replace-on-change table for x:y:Z \(changed: k\)/,
        );
    });

    describe("the state a failed run leaves (snapshotAfter), and the next run", function () {
        /** Runs `plan` until the step of `failing` (by name and op) fails: that step and every step after it do not complete. */
        const until = (plan: ReturnType<typeof planUp>, failing: string) =>
            new Set(plan.steps.filter((s) => s.id < plan.steps.findIndex((x) => `${x.op} ${x.name}` === failing)).map((s) => s.id));

        it("a failed create leaves nothing (no partial state from remote.Command): the next run creates it and its dependents", function () {
            const plan = planUp([], node(true));
            const state = snapshotAfter([], node(true), plan, until(plan, "create start"));
            assert.deepEqual(
                state.map((r) => r.name),
                ["install"],
            );
            assert.deepEqual(ops(state, node(true)), ["create start [create]", "create health [create]"]);
        });

        it("a replacement that failed after its deletes: the next run creates what was deleted (DBR chain)", function () {
            const plan = planUp(node(true), node(true), { replace: [urn("install")] });
            const state = snapshotAfter(node(true), node(true), plan, until(plan, "create-replacement install"));
            assert.deepEqual(state, []);
            assert.deepEqual(ops(state, node(true)), ["create install [create]", "create start [create]", "create health [create]"]);
        });

        it("a failed update or delete keeps the old state: the next run plans it again", function () {
            const old = [command("a", { inputs: { stdin: "1" } }), command("gone")];
            const next = [command("a", { inputs: { stdin: "2" } })];
            const plan = planUp(old, next);
            const state = snapshotAfter(old, next, plan, new Set());
            assert.deepEqual(ops(state, next), ["update a [update]", "delete gone [delete]"]);
            const done = snapshotAfter(old, next, plan, new Set(plan.steps.map((s) => s.id)));
            assert.deepEqual(ops(done, next), []);
        });
    });
});
