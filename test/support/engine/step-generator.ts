/**
 * A model of the Pulumi engine's step generation and scheduling for a second `pulumi up`, for the resources this
 * program registers. Read from pulumi/pulumi @ 1b5949891b3cefcb9974752b24a5ecef0acc86c8:
 * pkg/resource/deploy/step_generator.go (`continueStepsFromImport`, `generateStepsFromDiff`,
 * `continueStepsFromDiff`, `calculateDependentReplacements`, `GenerateDeletes`, `ScheduleDeletes`) and
 * step_executor.go (a chain runs serially; an antichain in parallel). What a remote.Command runs per step:
 * pulumi/pulumi-command v1.2.1 provider/pkg/provider/remote/commandController.go.
 *
 * Not modelled: refresh, targets (--target/--exclude), imports, aliases, protect, providers changing, parallel diff.
 */
import { RecordedResource } from "../../../tools/offline-runtime";
import { diffInputs, plainInputs, UNKNOWN } from "./diff";

export const REMOTE_COMMAND = "command:remote:Command";

/**
 * The engine's step kinds (`OpSame`, `OpCreate`, `OpUpdate`, `OpReplace` (a marker, runs nothing),
 * `OpCreateReplacement`, `OpDeleteReplaced`, `OpDelete`).
 */
export type StepOp = "same" | "create" | "update" | "replace" | "create-replacement" | "delete-replacement" | "delete";

/** What the provider of a remote.Command runs for a step (commandController.go). */
export interface CommandRun {
    /** `Create` runs `create`; `Update` runs `update` if set, else `create`; `Delete` runs the old `delete`. */
    operation: "create" | "update" | "delete";
    /** The command string sent over SSH. */
    command: string;
    /**
     * Inputs of the resource version the provider acts on, secrets revealed: the new inputs for create and update,
     * the old state for delete (`Delete` reads `req.State`). Holds `connection`, `stdin`, `addPreviousOutputInEnv`.
     */
    inputs: Record<string, any>;
}

export interface EngineStep {
    /** Position in `steps`; every step waits only for steps with smaller ids. */
    id: number;
    op: StepOp;
    urn: string;
    name: string;
    type: string;
    /** What runs on a host (remote.Command only); undefined when the step runs no command. */
    run?: CommandRun;
    /** Ids of the steps that must finish before this one starts; steps not ordered this way may run in parallel. */
    after: number[];
    /** Why the engine generates this step (for messages). */
    reason: string;
    /** Input keys that changed (update, replace). */
    changedKeys: string[];
}

export interface UpOptions {
    /** URNs given to `pulumi up --replace <urn>` (ReplaceTargets; `isTargetedReplace`). */
    replace?: string[];
}

export interface EnginePlan {
    steps: EngineStep[];
    /** Steps that run a command on a host, in id order (one order the engine may follow). */
    commands(): EngineStep[];
    /** The steps of one resource (by name), in order. */
    stepsOf(name: string): EngineStep[];
    /** One line per step that does something (not `same`): "op name [operation]". */
    describe(): string[];
}

/**
 * pulumi-command v1.2.1 provider/pkg/provider/remote/commandController.go: `Create` returns without dialing when
 * `create` is unset (and in a preview); `Update` runs `update` when set, else `create`, else nothing; `Delete`
 * runs the old state's `delete`, if any. Undefined: the step runs nothing on a host.
 */
function commandRun(r: RecordedResource, operation: CommandRun["operation"]): CommandRun | undefined {
    if (r.type !== REMOTE_COMMAND) return undefined;
    const inputs = plainInputs(r) as Record<string, any>;
    const command = operation === "create" ? inputs.create : operation === "update" ? (inputs.update ?? inputs.create) : inputs.delete;
    return typeof command === "string" ? { operation, command, inputs } : undefined;
}

class PlanBuilder {
    readonly steps: EngineStep[] = [];

    add(op: StepOp, r: RecordedResource, after: number[], reason: string, run?: CommandRun, changedKeys: string[] = []): number {
        const id = this.steps.length;
        this.steps.push({ id, op, urn: r.urn, name: r.name, type: r.type, run, after: [...new Set(after)].sort((a, b) => a - b), reason, changedKeys });
        return id;
    }

    /** A chain: each step waits for the previous one (step_executor.go `executeChain`). */
    chain(first: number[], parts: [StepOp, RecordedResource, string, CommandRun | undefined, string[]?][]): number {
        let after = first;
        let last = -1;
        for (const [op, r, reason, run, keys] of parts) {
            last = this.add(op, r, after, reason, run, keys);
            after = [last];
        }
        return last;
    }

    plan(): EnginePlan {
        const steps = this.steps;
        return {
            steps,
            commands: () => steps.filter((s) => s.run !== undefined),
            stepsOf: (name) => steps.filter((s) => s.name === name),
            describe: () => steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${s.name}${s.run ? ` [${s.run.operation}]` : ""}`),
        };
    }
}

/** Every resource `r` depends on: dependsOn, property dependencies and its parent (`GetAllDependencies`). */
function dependenciesOf(r: RecordedResource, withParent: boolean): string[] {
    return [...r.dependsOn, ...Object.values(r.propertyDependencies ?? {}).flat(), ...(withParent && r.parent ? [r.parent] : [])];
}

/**
 * `ScheduleDeletes`: antichains of condemned resources, each after the previous, dependents before what they
 * depend on (computed on the old dependency graph: repeatedly take the condemned resources none of whose
 * dependencies is still condemned, then reverse the list).
 */
function scheduleDeletes(condemned: RecordedResource[]): RecordedResource[][] {
    const left = new Map(condemned.map((r) => [r.urn, r]));
    const antichains: RecordedResource[][] = [];
    while (left.size > 0) {
        const free = [...left.values()].filter((r) => !dependenciesOf(r, true).some((d) => left.has(d)));
        if (free.length === 0) throw new Error("engine model: dependency cycle among deletes");
        for (const r of free) left.delete(r.urn);
        antichains.push(free);
    }
    return antichains.reverse();
}

function addDeletes(builder: PlanBuilder, deletes: { r: RecordedResource; op: StepOp; reason: string }[], after: number[]): void {
    const byUrn = new Map(deletes.map((d) => [d.r.urn, d]));
    let wait = after;
    for (const antichain of scheduleDeletes(deletes.map((d) => d.r))) {
        wait = antichain.map((r) => {
            const d = byUrn.get(r.urn)!;
            return builder.add(d.op, r, wait, d.reason, commandRun(r, "delete"));
        });
    }
}

/**
 * The steps of `pulumi up` whose previous successful run registered `previous` and whose program now registers
 * `next` (both as recorded by the offline runtime, in registration order). `options.replace` = `--replace` URNs.
 */
export function planUp(previous: readonly RecordedResource[], next: readonly RecordedResource[], options: UpOptions = {}): EnginePlan {
    const olds = new Map(previous.map((r) => [r.urn, r]));
    const nextUrns = new Set(next.map((r) => r.urn));
    for (const urn of options.replace ?? []) {
        if (!olds.has(urn)) throw new Error(`--replace ${urn}: no such resource in the previous run`);
    }
    const replaceTargets = new Set(options.replace ?? []);
    const builder = new PlanBuilder();
    const lastStep = new Map<string, number>(); // urn -> last step of its registration chain
    const operated = new Set<string>(); // urns with steps (the `impossibleDependents` of calculateDependentReplacements)
    const replaced = new Set<string>(); // sg.replaces: their outputs (ids) are new in this run
    const recreate = new Map<string, string>(); // sg.deletes of DBR dependents -> the resource whose replacement deleted them
    const condemned: RecordedResource[] = []; // old versions of create-before-delete replacements

    /**
     * `calculateDependentReplacements`: walks the old snapshot after `root` (`DependingOn`, dependents in
     * dependency order, skipping resources already operated on), and replaces a dependent only when one of its
     * inputs takes a value from a resource being replaced: such inputs become unknown and the provider's diff
     * decides (`requiresReplacement`). A plain `dependsOn` edge never replaces a dependent.
     */
    const dependentReplacements = (root: RecordedResource): RecordedResource[] => {
        const replaceSet = new Set([root.urn]);
        const dependentSet = new Set([root.urn]);
        const toReplace: RecordedResource[] = [];
        for (const d of previous.slice(previous.indexOf(root) + 1)) {
            if (operated.has(d.urn) || !dependenciesOf(d, false).some((u) => dependentSet.has(u))) continue;
            dependentSet.add(d.urn);
            if (!d.custom) continue; // "Neither component nor external resources require replacement."
            const inputs = plainInputs(d);
            let hasDependencyInReplaceSet = false;
            for (const [key, urns] of Object.entries(d.propertyDependencies ?? {})) {
                if (urns.some((u) => replaceSet.has(u))) {
                    hasDependencyInReplaceSet = true;
                    inputs[key] = UNKNOWN;
                }
            }
            if (!hasDependencyInReplaceSet) continue;
            const diff = diffInputs(d.type, d.custom, plainInputs(d), inputs, d.options.replaceOnChanges, d.options.ignoreChanges);
            if (diff.replaceKeys.length > 0) {
                toReplace.push(d);
                replaceSet.add(d.urn);
            }
        }
        return toReplace;
    };

    const pendingDeletes = new Set<string>();

    for (const [index, r] of next.entries()) {
        const deps = dependenciesOf(r, true).filter((u) => nextUrns.has(u));
        for (const u of deps) {
            if (!lastStep.has(u)) throw new Error(`engine model: ${r.name} registered before its dependency ${u} (index ${index})`);
        }
        const first = deps.map((u) => lastStep.get(u)!);
        const old = olds.get(r.urn);
        operated.add(r.urn);
        let last: number;
        if (old === undefined) {
            last = builder.add("create", r, first, "new resource", commandRun(r, "create"));
        } else if (recreate.has(r.urn)) {
            // continueStepsFromImport: "Planner decided to re-create replaced resource deleted due to dependent DBR"
            replaced.add(r.urn);
            const why = `deleted before replacing ${recreate.get(r.urn)}`;
            last = builder.chain(first, [
                ["replace", r, why, undefined],
                ["create-replacement", r, why, commandRun(r, "create")],
            ]);
        } else {
            let changedKeys: string[];
            let replaceKeys: string[];
            let reason: string;
            if (replaceTargets.has(r.urn)) {
                // `diff`: "If this resource is marked for replacement, just return a "replace" diff that blames the id."
                changedKeys = ["id"];
                replaceKeys = ["id"];
                reason = "--replace";
            } else {
                const news = plainInputs(r);
                for (const [key, urns] of Object.entries(r.propertyDependencies ?? {})) {
                    // A replaced resource has new outputs (a remote.Command's id is a new random hex on Create).
                    if (urns.some((u) => replaced.has(u))) news[key] = UNKNOWN;
                }
                const diff = diffInputs(r.type, r.custom, plainInputs(old), news, r.options.replaceOnChanges, r.options.ignoreChanges);
                changedKeys = diff.changedKeys;
                replaceKeys = diff.replaceKeys;
                reason = replaceKeys.length > 0 ? `${replaceKeys.join(", ")} changed (replace on change)` : `${changedKeys.join(", ")} changed`;
            }
            if (changedKeys.length === 0) {
                last = builder.add("same", r, first, "inputs unchanged");
            } else if (replaceKeys.length === 0) {
                // continueStepsFromDiff: "If we fell through, it's an update."
                last = builder.add("update", r, first, reason, commandRun(r, "update"), changedKeys);
            } else if (r.options.deleteBeforeReplace) {
                // DeleteBeforeCreate: dependents that would be replaced go first, in reverse dependency order.
                replaced.add(r.urn);
                const parts: [StepOp, RecordedResource, string, CommandRun | undefined, string[]?][] = [];
                for (const d of dependentReplacements(old).reverse()) {
                    if (pendingDeletes.has(d.urn)) continue; // "If we already deleted this resource due to some other DBR"
                    pendingDeletes.add(d.urn);
                    recreate.set(d.urn, r.name);
                    parts.push(["delete-replacement", d, `takes an input from ${r.name}, which is replaced`, commandRun(d, "delete")]);
                }
                pendingDeletes.add(r.urn);
                parts.push(["delete-replacement", old, reason, commandRun(old, "delete"), changedKeys]);
                parts.push(["replace", r, reason, undefined, changedKeys]);
                parts.push(["create-replacement", r, reason, commandRun(r, "create"), changedKeys]);
                last = builder.chain(first, parts);
            } else {
                // CreateBeforeDelete: create the new one now; "the delete step is generated "later" on".
                replaced.add(r.urn);
                condemned.push(old);
                last = builder.chain(first, [
                    ["create-replacement", r, reason, commandRun(r, "create"), changedKeys],
                    ["replace", r, reason, undefined, changedKeys],
                ]);
            }
        }
        lastStep.set(r.urn, last);
    }

    // GenerateDeletes, after every registration: resources no longer registered (not already deleted by a DBR
    // chain: `isOperatedOn`), and old versions of create-before-delete replacements; ScheduleDeletes orders them.
    const deletes: { r: RecordedResource; op: StepOp; reason: string }[] = [
        ...previous
            .filter((r) => !nextUrns.has(r.urn) && !pendingDeletes.has(r.urn))
            .map((r) => ({ r, op: "delete" as const, reason: "no longer registered" })),
        ...condemned.map((r) => ({ r, op: "delete-replacement" as const, reason: "replaced (create before delete)" })),
    ];
    addDeletes(
        builder,
        deletes,
        builder.steps.map((s) => s.id),
    );
    return builder.plan();
}

/** `pulumi destroy`: every resource of the previous run deleted, dependents first (`ScheduleDeletes`). */
export function planDestroy(previous: readonly RecordedResource[]): EnginePlan {
    const builder = new PlanBuilder();
    addDeletes(
        builder,
        previous.map((r) => ({ r, op: "delete" as const, reason: "destroy" })),
        [],
    );
    return builder.plan();
}

/** The first `pulumi up` of a stack: a create for every resource, each after its dependencies. */
export function planFirstUp(next: readonly RecordedResource[]): EnginePlan {
    return planUp([], next);
}

/**
 * The engine's snapshot after running `plan` (from `previous` to `next`) where only the steps in `completed`
 * succeeded: what the next `pulumi up` compares against. A created, updated or same resource is saved with its new
 * registration; a deleted one is removed; a failed create leaves nothing (remote.Command returns a plain error,
 * no partial state: pulumi-go-provider infer `Create`), a failed update or delete leaves the old state, so the
 * next run plans the same step again. Not modelled: the pending delete of a create-before-delete replacement
 * whose delete failed. Order: the new registration order, then resources only in `previous`.
 */
export function snapshotAfter(
    previous: readonly RecordedResource[],
    next: readonly RecordedResource[],
    plan: EnginePlan,
    completed: ReadonlySet<number>,
): RecordedResource[] {
    const nextByUrn = new Map(next.map((r) => [r.urn, r]));
    const state = new Map(previous.map((r) => [r.urn, r]));
    const createdNow = new Set<string>();
    for (const step of plan.steps) {
        if (!completed.has(step.id)) continue;
        if (step.op === "delete" || step.op === "delete-replacement") {
            // A create-before-delete replacement's old version goes; the new one, saved already, stays.
            if (!createdNow.has(step.urn)) state.delete(step.urn);
        } else if (step.op !== "replace") {
            state.set(step.urn, nextByUrn.get(step.urn)!);
            if (step.op === "create-replacement") createdNow.add(step.urn);
        }
    }
    const ordered = next.filter((r) => state.has(r.urn)).map((r) => state.get(r.urn)!);
    return [...ordered, ...previous.filter((r) => !nextByUrn.has(r.urn) && state.has(r.urn))];
}
