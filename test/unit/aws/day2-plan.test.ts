/**
 * Day 2 on AWS through the engine model: what a second `pulumi up` changes for each kind of change. Masters
 * converge on their own to a new cluster secret version (converge-watch.sh), so no change may replace, update or
 * stop a master instance; the media pool rolls only when what a media node installs changes.
 */
import { strict as assert } from "assert";
import { EnginePlan, planUp } from "../../support/engine";
import { AWS_SECRET_KEYS, awsConfig } from "../../support/fixtures";
import { ProgramRun, runProgram } from "../../support/program";

const SECRET_VERSION = "aws:secretsmanager/secretVersion:SecretVersion";
const MASTER_TYPES = [
    "aws:ec2/instance:Instance",
    "aws:ebs/volume:Volume",
    "aws:ec2/volumeAttachment:VolumeAttachment",
    "aws:ec2/networkInterface:NetworkInterface",
];

/** "op name" of every step that does something to a cloud resource (random credentials left out). */
const changes = (plan: EnginePlan) =>
    plan.steps
        .filter((s) => s.op !== "same" && !s.type.startsWith("random:"))
        .map((s) => `${s.op} ${s.name}`)
        .sort();
const replaced = (name: string) => [`create-replacement ${name}`, `delete-replacement ${name}`, `replace ${name}`];

describe("aws day 2: what each change plans (engine model over two program runs)", function () {
    this.timeout(240_000);
    const redisPassword = "first-redis-password-0123456789";
    const keys = [...AWS_SECRET_KEYS, "redisPassword"];
    let base: ProgramRun;
    const up = async (overrides: Record<string, unknown>, from: ProgramRun = base) =>
        planUp(from.resources, (await runProgram(awsConfig({ redisPassword, ...overrides }), keys)).resources);

    before(async function () {
        base = await runProgram(awsConfig({ redisPassword }), keys);
    });

    const noMasterTouched = (plan: EnginePlan) => {
        for (const step of plan.steps.filter((s) => MASTER_TYPES.includes(s.type))) {
            assert.equal(step.op, "same", `${step.op} ${step.name}: ${step.reason}`);
        }
    };

    it("nothing changed: nothing to do", async function () {
        assert.deepEqual(changes(await up({})), []);
    });

    it("a renewed license: a new cluster secret version only (masters apply it in place); media pool untouched", async function () {
        const plan = await up({ license: "RENEWED-LICENSE-0123456789" });
        assert.deepEqual(changes(plan), replaced("cluster-secret-current"));
        noMasterTouched(plan);
    });

    it("a new Redis password: both secrets get a new version, the media template a new version (the pool rolls)", async function () {
        const plan = await up({ redisPassword: "second-redis-password-0123456789" });
        assert.deepEqual(changes(plan), [...replaced("cluster-secret-current"), ...replaced("media-secret-current"), "update media-template"].sort());
        assert.deepEqual(plan.stepsOf("media-template")[0].changedKeys, ["userData"]);
        noMasterTouched(plan);
    });

    it("a new module set (cluster-wide on masters): both secrets (the media one by hash), the media pool rolls, the module's port closes", async function () {
        const plan = await up({ modules: ["observability", "openviduMeet"] });
        assert.deepEqual(
            changes(plan),
            [
                ...replaced("cluster-secret-current"),
                ...replaced("media-secret-current"),
                "update media-template",
                // v2compatibility gone: its port (4443) closes.
                "delete security-groups-masters-in-tcp-4443-from-masters",
                "delete security-groups-masters-in-tcp-4443-from-media",
            ].sort(),
        );
        noMasterTouched(plan);
    });

    it("openviduVersion 3.0.0 -> 3.8.0: new secret versions and media template; masters upgrade in place, none replaced", async function () {
        const old = await runProgram(awsConfig({ redisPassword, openviduVersion: "3.0.0" }), keys);
        const plan = planUp(old.resources, base.resources); // base: the same config at 3.8.0
        const c = changes(plan);
        for (const step of [...replaced("cluster-secret-current"), ...replaced("media-secret-current"), "update media-template"])
            assert.ok(c.includes(step), step);
        noMasterTouched(plan);
        // The media group follows the template's new version (its launchTemplate.version is the template's output).
        const group = base.named("media-group");
        assert.ok(
            Object.values(group.propertyDependencies ?? {})
                .flat()
                .includes(base.named("media-template").urn),
        );
    });

    it("a media-only setting (mediaInstanceType): the media template only; the cluster secret and masters untouched", async function () {
        const plan = await up({ mediaInstanceType: "c7a.2xlarge" });
        assert.deepEqual(changes(plan), ["update media-template"]);
        assert.deepEqual(plan.stepsOf("media-template")[0].changedKeys, ["instanceType"]);
        assert.ok(plan.steps.filter((s) => s.type === SECRET_VERSION).every((s) => s.op === "same"));
    });

    it("--replace of a master: that instance rebuilt on its interface and kept data volume, re-attached; no other master touched", function () {
        const plan = planUp(base.resources, base.resources, { replace: [base.named("masters-2").urn] });
        const c = changes(plan);
        assert.ok(c.includes("delete-replacement masters-2") && c.includes("create-replacement masters-2"), c.join("\n"));
        assert.ok(c.includes("create-replacement masters-2-data-attachment"), c.join("\n"));
        assert.equal(plan.stepsOf("masters-2-data")[0].op, "same", "the data volume is kept");
        assert.ok(
            c.every((s) => /masters-2(-|$)/.test(s)),
            c.filter((s) => !/masters-2(-|$)/.test(s)).join("\n"),
        );
        // The old instance goes first (its interface can only be attached to one), after its attachments.
        const ids = (op: string, name: string) => plan.steps.find((s) => s.op === op && s.name === name)!.id;
        assert.ok(ids("delete-replacement", "masters-2-data-attachment") < ids("delete-replacement", "masters-2"));
        assert.ok(ids("delete-replacement", "masters-2") < ids("create-replacement", "masters-2"));
    });
});
