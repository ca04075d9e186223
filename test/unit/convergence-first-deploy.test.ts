/**
 * The convergence chain's commands are `update` only, so creating a step runs nothing (pulumi-command v1.2.1
 * provider/pkg/provider/remote/commandController.go `Create`: no `create`, no dial) while every later change of
 * its inputs runs converge.sh (`Update`: `update` when set). Through the engine model, each path that creates or
 * updates a chain step: the first deploy, a change, a failed step resumed, a media node added, an upgrade across
 * the 3.5.0 checkpoint, `--replace`, and a stack whose chain ran `create` before.
 */
import * as assert from "assert";
import { criticalPath } from "../../tools/bench/deploy-timing";
import { RecordedResource } from "../../tools/offline-runtime";
import { runRemoteCommand } from "../hosts/harness/remote-runner";
import { EnginePlan, planFirstUp, planUp, snapshotAfter } from "../support/engine";
import { ONPREM_SECRET_KEYS, onpremConfig } from "../support/fixtures";
import { ProgramRun, sharedRun } from "../support/program";

const MEDIA = [
    { publicIp: "203.0.113.31", privateIp: "10.5.1.1" },
    { publicIp: "203.0.113.32", privateIp: "10.5.1.2" },
];
const PHASES = ["check", "checkpoint-stop", "checkpoint-update", "checkpoint-start", "final-stop", "final-update", "final-start"];
const isChainStep = (name: string) => /^converge-.+-(check|(checkpoint|final)-(stop|update|start))$/.test(name);
// Shared (frozen) runs: no test here compares two runs of one config.
const run = (config: Record<string, unknown> = {}) => sharedRun(onpremConfig({ mediaNodes: MEDIA, sshHostKeyCheck: "off", ...config }), ONPREM_SECRET_KEYS);

/** "op [operation]" of every chain step that does something, by name. */
const chainSteps = (plan: EnginePlan) =>
    Object.fromEntries(plan.steps.filter((s) => isChainStep(s.name) && s.op !== "same").map((s) => [s.name, `${s.op} [${s.run?.operation ?? "nothing"}]`]));

describe("convergence chain: update-only commands (engine model)", () => {
    let first: ProgramRun;
    let chain: string[];
    before(async () => {
        first = await run();
        chain = first.resources.filter((r) => isChainStep(r.name)).map((r) => r.name);
    });

    it("every chain step has its command in `update` and none in `create`", () => {
        assert.strictEqual(chain.length, 6 * PHASES.length);
        for (const name of chain) {
            const inputs = first.inputsOf(name);
            assert.strictEqual(inputs.create, undefined, name);
            assert.match(inputs.update, /^# openvidu-ha converge on /, name);
        }
    });

    it("first deploy: no chain step runs anything; the critical path is one master chain and one media chain", () => {
        const plan = planFirstUp(first.resources);
        assert.deepStrictEqual(
            plan.steps.filter((s) => isChainStep(s.name) && s.run !== undefined).map((s) => s.name),
            [],
        );
        // Every command counted as one: masters' preflight, install, start, health, then a media install, start, health.
        const path = criticalPath(plan.steps.map((s) => ({ id: s.id, after: s.after, ms: s.run ? 1 : 0 })));
        const commands = path.path.map((id) => plan.steps[id]).filter((s) => s.run !== undefined);
        assert.deepStrictEqual(
            commands.map((s) => s.name.replace(/^masters-\d-/, "masters-N-").replace(/^media-[\d-]+-(?=[a-z]+$)/, "media-X-")),
            ["masters-N-preflight", "masters-N-install", "masters-N-start", "masters-N-health", "media-X-install", "media-X-start", "media-X-health"],
        );
    });

    it("a changed value: every chain step runs its `update`, converge.sh", async () => {
        const after = await run({ license: "TEST-LICENSE-RENEWED-42" });
        const plan = planUp(first.resources, after.resources);
        assert.deepStrictEqual(chainSteps(plan), Object.fromEntries(chain.map((n) => [n, "update [update]"])));
        for (const s of plan.steps.filter((x) => isChainStep(x.name))) assert.strictEqual(s.run!.command, after.inputsOf(s.name, true).update, s.name);
    });

    it("a failed step is resumed: the next up runs its `update` again, and every step after it", async () => {
        const after = await run({ license: "TEST-LICENSE-RENEWED-42" });
        const plan = planUp(first.resources, after.resources);
        const failed = plan.stepsOf("converge-master-2-final-update")[0];
        // The up stops at the failure: every step that does not wait for it completed (as if it ran first).
        const waitsForFailed = new Set<number>([failed.id]);
        for (const s of plan.steps) if (s.after.some((a) => waitsForFailed.has(a))) waitsForFailed.add(s.id);
        const completed = new Set(plan.steps.filter((s) => !waitsForFailed.has(s.id)).map((s) => s.id));
        const again = planUp(snapshotAfter(first.resources, after.resources, plan, completed), after.resources);
        const rerun = Object.keys(chainSteps(again));
        assert.ok(rerun.includes("converge-master-2-final-update"));
        assert.deepStrictEqual(new Set(Object.values(chainSteps(again))), new Set(["update [update]"]));
        assert.deepStrictEqual(
            rerun.filter((n) => !/-final-(update|start)$/.test(n)),
            [],
            "only the failed phase and what waits for it",
        );
    });

    it("a media node added on day 2: its chain steps are created and run nothing; it installs; no other host runs anything", async () => {
        const third = { publicIp: "203.0.113.33", privateIp: "10.5.1.3" };
        const after = await run({ mediaNodes: [...MEDIA, third] });
        const plan = planUp(first.resources, after.resources);
        assert.deepStrictEqual(chainSteps(plan), Object.fromEntries(PHASES.map((p) => [`converge-media-10-5-1-3-${p}`, "create [nothing]"])));
        assert.deepStrictEqual(
            plan.commands().map((s) => `${s.op} ${s.name} [${s.run!.operation}]`),
            ["preflight", "install", "start", "health"].map((k) => `create media-10-5-1-3-${k} [create]`),
        );
    });

    it("a 3.0.0 stack upgraded to 3.8.0 updates its checkpoint round (present for every target), never creates it", async () => {
        const old = await run({ openviduVersion: "3.0.0" });
        const names = (r: ProgramRun) => r.resources.filter((x) => isChainStep(x.name)).map((x) => x.name);
        assert.deepStrictEqual(names(old), chain);
        const plan = planUp(old.resources, first.resources);
        assert.deepStrictEqual(chainSteps(plan), Object.fromEntries(chain.map((n) => [n, "update [update]"])));
    });

    it("`pulumi up --replace` of a chain step runs nothing (its command runs only when its inputs change)", () => {
        const urn = first.named("converge-master-1-final-update").urn;
        const plan = planUp(first.resources, first.resources, { replace: [urn] });
        assert.deepStrictEqual(plan.describe(), [
            "delete-replacement converge-master-1-final-update",
            "replace converge-master-1-final-update",
            "create-replacement converge-master-1-final-update",
        ]);
    });

    it("a stack whose chain had its command in `create` (before): the first up runs each step's `update` once", () => {
        const before: RecordedResource[] = first.resources.map((r) => {
            if (!isChainStep(r.name)) return r;
            const { update, ...rest } = r.inputs;
            return { ...r, inputs: { ...rest, create: update } };
        });
        const plan = planUp(before, first.resources);
        assert.deepStrictEqual(chainSteps(plan), Object.fromEntries(chain.map((n) => [n, "update [update]"])));
        for (const s of plan.steps.filter((x) => isChainStep(x.name))) assert.deepStrictEqual(s.changedKeys, ["create", "update"], s.name);
    });

    it("the host runner follows the provider: a create without `create` dials nothing; an update runs `update`, not `create`", async () => {
        // Port 1 on loopback refuses: had the runner dialed, it would throw (dialErrorLimit 0: one dial).
        const unreachable = { host: "127.0.0.1", port: 1, user: "root", dialErrorLimit: 0, perDialTimeout: 1 };
        assert.strictEqual(await runRemoteCommand(unreachable, { update: "true" }, "create"), undefined);
        await assert.rejects(runRemoteCommand(unreachable, { update: "true" }, "update"), /after 0 failed attempts: dial tcp 127\.0\.0\.1:1/);
    });
});
