/**
 * Engine model: what `pulumi up` / `pulumi destroy` would run, computed from recorded runs of the real program.
 *
 * Usage (two recorded runs, see test/support/program.ts `runProgram`):
 *
 *     const first = await runProgram(config);               // the state after a successful `pulumi up`
 *     const second = await runProgram(changedConfig);       // what the program registers now
 *     const plan = planUp(first.resources, second.resources, { replace: [urn] }); // `pulumi up --replace urn`
 *     plan.steps      // every step: op (same/create/update/replace/create-replacement/delete-replacement/delete),
 *                     // `after` = ids of steps it waits for (others may run in parallel), `run` = the command a
 *                     // remote.Command runs (operation create/update/delete, command text, inputs incl. connection)
 *     plan.commands() // only the steps that run a command, in a valid sequential order
 *     plan.describe() // ["delete-replacement masters-1-start [delete]", ...] for assertions
 *
 * `planDestroy(first.resources)` is `pulumi destroy`; `planFirstUp(resources)` the first `pulumi up`.
 * `snapshotAfter(previous, next, plan, completedStepIds)` is the state a (partly failed) run leaves, to plan the
 * run after it: `planUp(snapshotAfter(...), again.resources)`.
 * test/hosts/deployment.ts executes such plans on the test hosts.
 */
export { CommandRun, EnginePlan, EngineStep, planDestroy, planFirstUp, planUp, REMOTE_COMMAND, snapshotAfter, StepOp, UpOptions } from "./step-generator";
export { diffInputs, PROVIDER_REPLACE_KEYS } from "./diff";
