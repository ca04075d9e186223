/**
 * Structure of the AWS stack: parallel masters, stable identities, unique URNs, outputs and DNS, what a secret
 * change rolls, the amiId override, and the example stack rendered by the offline plan.
 */
import * as assert from "assert";
import * as path from "path";
import { DependencyGraph } from "../../support/graph";
import { AWS_SECRET_KEYS, awsConfig } from "../../support/fixtures";
import { withPlainStackTraces } from "../../support/plain-stack-traces";
import { ProgramRun, runProgram } from "../../support/program";
import { resolveValue, runOffline } from "../../../tools/offline-runtime";
import { toPlan } from "../../../tools/plan/render";
import { readStackConfig } from "../../../tools/plan/stack-config";
import { awsRun, decodeBase64, Variant } from "./runs";

const ROOT = path.join(__dirname, "..", "..", "..");
const MASTERS = [1, 2, 3, 4];
/** Everything that belongs to master n alone (its interface aside, which exists before any instance). */
const ownedBy = (n: number) => new RegExp(`^masters-${n}(-|$)`);

for (const variant of ["3.8", "3.0", "3.8-full"] as Variant[]) {
    describe(`aws stack ${variant}: structure`, () => {
        let run: ProgramRun;
        let graph: DependencyGraph;
        before(async () => {
            run = await awsRun(variant);
            graph = new DependencyGraph(run.resources);
        });

        it("registers every resource under a unique URN and a unique name", () => {
            const urns = run.resources.map((r) => r.urn);
            assert.strictEqual(new Set(urns).size, urns.length);
            const names = run.resources.map((r) => r.name);
            assert.strictEqual(new Set(names).size, names.length);
        });

        it("boots the 4 masters in parallel: no master waits, even transitively, for another master's resources", () => {
            for (const n of MASTERS) {
                for (const other of MASTERS.filter((o) => o !== n)) {
                    const waits = [...graph.transitive(`masters-${n}`)].filter((d) => ownedBy(other).test(d));
                    assert.deepStrictEqual(waits, [], `masters-${n} waits for master ${other}`);
                }
            }
        });

        it("knows the 4 master IPs before any instance: the secret waits for the interfaces, instances wait for the secret", () => {
            const secretWaits = graph.transitive("cluster-secret-current");
            for (const n of MASTERS) {
                assert.ok(secretWaits.has(`master-interfaces-${n}`));
                assert.ok(![...secretWaits].some((d) => ownedBy(n).test(d)), "the secret waits for no master instance");
                assert.ok(graph.waitsFor(`masters-${n}`, "cluster-secret-current"));
                assert.ok(graph.waitsFor(`masters-${n}`, `master-interfaces-${n}`));
                assert.ok(graph.waitsFor(`masters-${n}`, "masters-iam-boot"), "the role can read the secret before boot");
            }
        });

        it("outputs the balancer, URLs, the secret and its console link, buckets and the 4 master IPs (also in the secret)", () => {
            const o = run.outputs;
            assert.match(o.loadBalancerDnsName as string, /^nlb-main-.*\.elb\.eu-west-1\.amazonaws\.com$/);
            assert.strictEqual((o.urls as Record<string, string>).openvidu, "https://openvidu.example.com/");
            assert.match(o.secretArn as string, /^arn:aws:secretsmanager:eu-west-1:123456789012:secret:/);
            assert.match(o.secretConsoleUrl as string, /^https:\/\/eu-west-1\.console\.aws\.amazon\.com\/secretsmanager\/secret\?name=cluster-secret-store-/);
            assert.ok(o.appDataBucket && o.clusterDataBucket);
            const ips = o.masterPrivateIps as string[];
            assert.strictEqual(new Set(ips).size, 4);
            const document = JSON.parse((run.named("cluster-secret-current").inputs.secretString as { value: string }).value);
            assert.deepStrictEqual(
                MASTERS.map((n) => document[`MASTER_NODE_${n}_PRIVATE_IP`]),
                ips,
            );
            assert.strictEqual((o.masterPublicIps as string[]).length, 4);
        });

        it("gives each media node the secret version and the master IPs, and each master its own data volume", () => {
            const media = decodeBase64(run.inputsOf("media-template").userData);
            assert.match(media, new RegExp(`^OPENVIDU_HA_MASTER_IPS='${(run.outputs.masterPrivateIps as string[]).join(",")}'$`, "m"));
            assert.match(media, /^OPENVIDU_HA_SECRET_VERSION='[0-9a-f-]{36}'$/m);
            for (const n of MASTERS) {
                assert.match(run.inputsOf(`masters-${n}`).userData, new RegExp(`^OPENVIDU_HA_DATA_VOLUME='masters-${n}-data-id'$`, "m"));
            }
        });
    });
}

describe("aws stack: preview", () => {
    it("registers the same resources when provider outputs are unknown (nothing is created inside an apply)", async () => {
        const preview = await runProgram(awsConfig(), AWS_SECRET_KEYS, { preview: true });
        const update = await awsRun("3.8");
        assert.deepStrictEqual(preview.resources.map((r) => r.urn).sort(), update.resources.map((r) => r.urn).sort());
    });
});

describe("aws stack: DNS", () => {
    it("with Cloudflare: a CNAME for domain to the balancer, not proxied", async () => {
        const run = await awsRun("3.8");
        const records = run.ofType("cloudflare:index/dnsRecord:DnsRecord").map((r) => run.inputsOf(r.name));
        assert.deepStrictEqual(
            records.map((r) => [r.name, r.type, r.content, r.proxied, r.ttl]),
            [["openvidu.example.com", "CNAME", run.outputs.loadBalancerDnsName, false, 60]],
        );
    });

    it("with Cloudflare and a TURN domain: a second CNAME to the TURN balancer", async () => {
        const run = await awsRun("3.8-full");
        const records = run.ofType("cloudflare:index/dnsRecord:DnsRecord").map((r) => run.inputsOf(r.name));
        assert.deepStrictEqual(records.map((r) => [r.name, r.content, r.proxied]).sort(), [
            ["openvidu.example.com", run.outputs.loadBalancerDnsName, false],
            ["turn.example.com", run.outputs.turnLoadBalancerDnsName, false],
        ]);
        assert.notStrictEqual(run.outputs.turnLoadBalancerDnsName, run.outputs.loadBalancerDnsName);
    });

    it("with dnsProvider none: no records created, the records to create as an output", async () => {
        const run = await awsRun("3.0-turn");
        assert.strictEqual(run.ofType("cloudflare:index/dnsRecord:DnsRecord").length, 0);
        assert.deepStrictEqual(
            (run.outputs.dnsRecords as { name: string; type: string; proxied: boolean }[]).map((r) => [r.name, r.type, r.proxied]),
            [
                ["openvidu.example.com", "CNAME", false],
                ["turn.example.com", "CNAME", false],
            ],
        );
    });
});

describe("aws stack: changes", () => {
    it("a changed credential media nodes use (Redis) or of the cluster-wide class (LiveKit secret, by hash) rolls the media pool; masters' user data stays", async () => {
        const [base, rotated, redis] = await Promise.all([awsRun("3.8"), awsRun("3.8-rotated"), awsRun("3.8-redis-rotated")]);
        assert.notStrictEqual(base.inputsOf("media-template").userData, rotated.inputsOf("media-template").userData, "livekitApiSecret restarts the cluster");
        assert.notStrictEqual(base.inputsOf("media-template").userData, redis.inputsOf("media-template").userData);
        assert.ok(
            !JSON.stringify(rotated.inputsOf("media-secret-current", true)).includes("rotated-livekit-api-secret"),
            "only its hash reaches the media secret",
        );
        for (const n of MASTERS) {
            assert.strictEqual(base.inputsOf(`masters-${n}`).userData, rotated.inputsOf(`masters-${n}`).userData);
            assert.strictEqual(base.inputsOf(`masters-${n}`).userData, redis.inputsOf(`masters-${n}`).userData);
        }
    });

    it("amiId overrides the image of masters and media nodes", async () => {
        const run = await awsRun("3.0-turn");
        assert.strictEqual(run.inputsOf("masters-1").ami, "ami-0123456789abcdef0");
        assert.strictEqual(run.inputsOf("media-template").imageId, "ami-0123456789abcdef0");
    });
});

describe("aws example stack", () => {
    it("renders Pulumi.aws-dev.yaml as the offline plan does (in-process), secrets hidden", async () => {
        const config = readStackConfig(ROOT, path.join(ROOT, "Pulumi.aws-dev.yaml"), "aws-dev");
        // Plain stack traces, as the other runs here (test/support/plain-stack-traces.ts): same resources, less CPU.
        const run = await withPlainStackTraces(() => runOffline(require("../../../index"), config));
        const outputs = (await resolveValue(run.result, false)) as Record<string, unknown>;
        const out = JSON.stringify(toPlan("aws", run.resources, outputs, false));
        const plan = JSON.parse(out);
        assert.strictEqual(plan.target, "aws");
        assert.strictEqual(plan.resources.filter((r: { type: string }) => r.type === "aws:ec2/instance:Instance").length, 4);
        assert.strictEqual(plan.outputs.credentials, "[secret]");
        assert.match(plan.outputs.loadBalancerDnsName, /\.elb\.eu-west-1\.amazonaws\.com$/);
        assert.ok(!out.includes("placeholder-license"), "the license placeholder must not be printed");
    });
});
