/**
 * ClusterConvergence constructed alone (no program) under the offline runtime's mock monitor: the steps each node
 * gets per round, the order of the phases (checked through the transitive dependencies, so the barriers in between
 * may change), and what each converge step carries. Literal expected values; nothing computed at load time.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { RELEASE_LINES } from "../../components/core/release-lines";
import { ClusterConvergence, ConvergenceNode } from "../../components/onprem/cluster-convergence";
import { isWrappedSecret, RecordedResource, runOffline, unwrapWireValue } from "../../tools/offline-runtime";

// Two masters are enough to tell the leader from the others (the component takes the list as given).
const MASTERS = ["master-1", "master-2"];
const MEDIA = "media-10-5-1-7";

class Gate extends pulumi.CustomResource {
    constructor(name: string) {
        super("test:index:Gate", name, {});
    }
}

function nodes(): ConvergenceNode[] {
    return [
        ...MASTERS.map((label, i) => ({
            label,
            role: "master" as const,
            address: { publicIp: `203.0.113.1${i + 1}`, privateIp: `10.5.0.${i + 1}` },
            hostKey: `ssh-ed25519 KEY${i + 1}`,
            convergeStdin: `S --license=LIC\n`,
        })),
        { label: MEDIA, role: "media" as const, address: { publicIp: "198.51.100.7", privateIp: "10.5.1.7" }, convergeStdin: "P --public-ip=x\n" },
    ];
}

async function construct(version: string): Promise<{ resources: RecordedResource[]; result: { conv: ClusterConvergence } }> {
    const run = await runOffline(
        () => {
            const gate = new Gate("masters-health");
            const conv = new ClusterConvergence("conv", {
                nodes: nodes(),
                version,
                line: RELEASE_LINES.find((l) => l.id === "3.8")!,
                ssh: { user: "ubuntu", port: 22, dialErrorLimit: 10, perDialTimeout: 15, hostKeyCheck: "first-use" },
                sshPrivateKey: pulumi.secret("PRIVATE-KEY"),
                updater: { baseUrl: "https://updater.example.com", sha256: {} },
                healthTimeoutSeconds: 300,
                drainTimeoutSeconds: 600,
                after: [gate],
            });
            return { conv };
        },
        { project: "openvidu-ha", stack: "test", config: {} },
    );
    return { resources: run.resources, result: run.result };
}

/** Every resource name `name` waits for, directly or through others. */
function upstream(resources: RecordedResource[], name: string): Set<string> {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const seen = new Set<string>();
    const walk = (r: RecordedResource) => {
        for (const urn of r.dependsOn) {
            const d = byUrn.get(urn);
            if (d && !seen.has(d.name)) {
                seen.add(d.name);
                walk(d);
            }
        }
    };
    walk(resources.find((r) => r.name === name)!);
    return seen;
}

/** The converge arguments of a step: its command is its `update` (no `create`: creating a step runs nothing). */
const argsOf = (r: RecordedResource) => {
    assert.strictEqual(r.inputs.create, undefined, r.name);
    const update = r.inputs.update as string;
    const start = update.indexOf('\n    sh "$script" ');
    return update.slice(start + '\n    sh "$script" '.length, update.indexOf("\nelif sudo -n true"));
};

describe("ClusterConvergence (constructed alone, offline)", () => {
    it("to 3.8.0: a check per node, then a checkpoint and a final round of stop, update and start", async () => {
        const { resources } = await construct("3.8.0");
        const steps = resources.filter((r) => r.type === "command:remote:Command").map((r) => r.name);
        const expected = [
            ...[...MASTERS, MEDIA].map((l) => `conv-${l}-check`),
            ...["checkpoint", "final"].flatMap((round) => [
                `conv-${MEDIA}-${round}-stop`,
                ...MASTERS.map((l) => `conv-${l}-${round}-stop`),
                ...[...MASTERS, MEDIA].map((l) => `conv-${l}-${round}-update`),
                ...[...MASTERS, MEDIA].map((l) => `conv-${l}-${round}-start`),
            ]),
        ];
        assert.deepStrictEqual([...steps].sort(), [...expected].sort());
        for (const r of resources.filter((x) => x.type === "command:remote:Command")) {
            assert.strictEqual(r.parent?.split("::").pop(), "conv", r.name);
        }
    });

    it("phases in order: checks, media stopped, masters stopped, every node updated, masters started, media started; rounds in order", async () => {
        const { resources } = await construct("3.8.0");
        const before = (later: string, earlier: string[]) => {
            const up = upstream(resources, later);
            for (const e of earlier) assert.ok(up.has(e), `${later} waits for ${e}`);
        };
        const all = [...MASTERS, MEDIA];
        for (const l of all) before(`conv-${l}-check`, ["masters-health"]);
        before(
            `conv-${MEDIA}-checkpoint-stop`,
            all.map((l) => `conv-${l}-check`),
        );
        for (const m of MASTERS) before(`conv-${m}-checkpoint-stop`, [`conv-${MEDIA}-checkpoint-stop`, ...all.map((l) => `conv-${l}-check`)]);
        for (const l of all)
            before(
                `conv-${l}-checkpoint-update`,
                MASTERS.map((m) => `conv-${m}-checkpoint-stop`),
            );
        for (const m of MASTERS)
            before(
                `conv-${m}-checkpoint-start`,
                all.map((l) => `conv-${l}-checkpoint-update`),
            );
        before(
            `conv-${MEDIA}-checkpoint-start`,
            MASTERS.map((m) => `conv-${m}-checkpoint-start`),
        );
        before(
            `conv-${MEDIA}-final-stop`,
            all.map((l) => `conv-${l}-checkpoint-start`),
        );
        // And never the other way round.
        assert.ok(!upstream(resources, `conv-${MEDIA}-checkpoint-stop`).has("conv-master-1-checkpoint-stop"));
        assert.ok(!upstream(resources, "conv-master-1-checkpoint-update").has(`conv-${MEDIA}-checkpoint-start`));
        assert.ok(!upstream(resources, "conv-master-1-checkpoint-start").has(`conv-${MEDIA}-checkpoint-start`));
    });

    it("each step: its phase, round and role; master-1 leads; media nodes get the masters' rules; stdin secret; the node's host key", async () => {
        const { resources } = await construct("3.8.0");
        const named = (n: string) => resources.find((r) => r.name === n)!;
        const m2 = argsOf(named("conv-master-2-final-update"));
        assert.match(m2, /^'label=master-2' 'role=master' 'phase=update' 'round=final' 'target=3\.8\.0' /);
        assert.match(
            m2,
            / 'updater_base=https:\/\/updater\.example\.com' 'updater_sha=-' 'health_url=http:\/\/127\.0\.0\.1:7880\/health\/caddy' 'health_timeout=300' 'drain_timeout=600' 'leader=no' /,
        );
        assert.match(m2, /'cluster_rules='$/);
        assert.match(argsOf(named("conv-master-1-checkpoint-start")), / 'phase=start' 'round=checkpoint' .* 'leader=yes' /);
        assert.match(argsOf(named("conv-master-2-check")), / 'phase=check' 'round=final' /);
        const media = argsOf(named(`conv-${MEDIA}-checkpoint-stop`));
        assert.match(media, /^'label=media-10-5-1-7' 'role=media' 'phase=stop' 'round=checkpoint' /);
        assert.match(media, / 'health_url=http:\/\/127\.0\.0\.1:7880\/' .* 'leader=no' 'rules=--master-node-private-ip-list refused masterNodes /);
        // The media node's own rules end with its Redis password; the masters' rules follow (the license is a master setting).
        assert.ok(
            media.includes(
                "--redis-password cluster redisPassword config/node/media_node.env:REDIS_PASSWORD' 'cluster_rules=--master-node-private-ip-list refused masterNodes ",
            ),
        );
        assert.ok(media.includes("\n--openvidu-pro-license in-place license config/cluster/openvidu.env:OPENVIDU_PRO_LICENSE\n"));
        const step = named("conv-master-2-final-start");
        assert.ok(isWrappedSecret(step.inputs.stdin));
        assert.strictEqual(unwrapWireValue(step.inputs.stdin, true), "S --license=LIC\n");
        const connection = unwrapWireValue(step.inputs.connection, true) as Record<string, unknown>;
        assert.deepStrictEqual([connection.host, connection.hostKey, connection.privateKey], ["203.0.113.12", "ssh-ed25519 KEY2", "PRIVATE-KEY"]);
        assert.ok(!("hostKey" in (unwrapWireValue(named(`conv-${MEDIA}-final-start`).inputs.connection, true) as object)));
    });

    it("to 3.5.0 (no checkpoint to cross): both rounds still (an upgrade across 3.5.0 later updates them); the last steps are the final starts", async () => {
        const { resources, result } = await construct("3.5.0");
        const steps = resources.filter((r) => r.type === "command:remote:Command").map((r) => r.name);
        assert.strictEqual(steps.filter((n) => n.includes("-checkpoint-")).length, 9);
        assert.strictEqual(steps.filter((n) => n.includes("-final-")).length, 9);
        const urnOf = async (r: pulumi.Resource) => await (r.urn as unknown as { promise(): Promise<string> }).promise();
        assert.deepStrictEqual(
            await Promise.all(result.conv.mastersConverged.map(urnOf)).then((u) => u.map((x) => x.split("::").pop())),
            MASTERS.map((m) => `conv-${m}-final-start`),
        );
        const last = await Promise.all([...result.conv.lastStepOf].map(async ([label, r]) => `${label} ${(await urnOf(r)).split("::").pop()}`));
        assert.deepStrictEqual(
            last,
            [...MASTERS, MEDIA].map((l) => `${l} conv-${l}-final-start`),
        );
    });
});
