/**
 * Security properties of the AWS stack: no secret in any plain input or output (user data decoded), the exact
 * security group rules as resources, private and encrypted buckets, IAM scoped to this deployment.
 */
import * as assert from "assert";
import { ProgramRun } from "../../support/program";
import { isWrappedSecret, unwrapWireValue } from "../../../tools/offline-runtime";
import { awsRun, decodeBase64, plainInputs, Variant } from "./runs";
import { EXPECTED_3_0, expand, normalized, vendor38For } from "./vendor-rules";
import { PolicyDocument } from "../../../components/aws/plan/iam-policies";
import { iamDecision } from "./iam-evaluation";

const GROUP_BY_ID: Record<string, string> = {
    "security-groups-lb-id": "loadBalancer",
    "security-groups-masters-id": "master",
    "security-groups-media-id": "media",
};

/** Every secret value of a run: the license and each credential (revealed from the secret output). */
function secretValues(run: ProgramRun): string[] {
    const credentials = run.revealedOutputs.credentials as Record<string, string>;
    return ["TEST-LICENSE-0123456789", ...Object.values(credentials)];
}

/** Every plain string a run exposes: inputs (secrets hidden), user data decoded, options, names, outputs. */
function plainSurface(run: ProgramRun, reveal = false): string {
    const parts: string[] = [JSON.stringify(reveal ? run.revealedOutputs : run.outputs)];
    for (const r of run.resources) {
        const inputs = reveal ? (unwrapWireValue(r.inputs, true) as Record<string, any>) : plainInputs(r);
        parts.push(r.urn, JSON.stringify(inputs), JSON.stringify(r.options));
        if (r.type === "aws:ec2/launchTemplate:LaunchTemplate") {
            parts.push(decodeBase64(inputs.userData));
        }
    }
    return parts.join("\n");
}

const ingressRules = (run: ProgramRun) =>
    normalized(
        run.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").map((r) => {
            const i = plainInputs(r);
            return {
                group: GROUP_BY_ID[i.securityGroupId],
                protocol: i.ipProtocol,
                from: i.fromPort,
                to: i.toPort,
                peer: i.referencedSecurityGroupId ? GROUP_BY_ID[i.referencedSecurityGroupId] : (i.cidrIpv4 ?? i.cidrIpv6),
            };
        }),
    );

for (const variant of ["3.8", "3.0", "3.8-full", "3.0-turn", "3.8-rotated"] as Variant[]) {
    describe(`aws stack ${variant}: secrets`, () => {
        let run: ProgramRun;
        before(async () => {
            run = await awsRun(variant);
        });

        it("shows no secret value in any plain input, option, name, decoded user data or output", () => {
            const surface = plainSurface(run);
            const values = secretValues(run);
            assert.ok(values.length >= 15);
            for (const value of values) {
                assert.ok(!surface.includes(value), `a secret value is exposed: ${value.slice(0, 12)}...`);
            }
        });

        it("keeps them in the secret version only, wrapped as a secret, and in the secret credentials output", () => {
            const version = run.named("cluster-secret-current");
            assert.ok(isWrappedSecret(version.inputs.secretString));
            const document = JSON.parse((version.inputs.secretString as { value: string }).value) as Record<string, string>;
            for (const value of secretValues(run)) {
                assert.ok(
                    Object.values(document).some((v) => v.includes(value)),
                    "the secret document holds every credential",
                );
            }
            assert.strictEqual(run.outputs.credentials, "[secret]");
        });

        it("the surface check can fail: with secrets revealed, the same search finds every value", () => {
            const revealed = plainSurface(run, true);
            for (const value of secretValues(run)) {
                assert.ok(revealed.includes(value), value.slice(0, 12));
            }
        });
    });
}

describe("aws stack: security group rules as resources", () => {
    it("3.8: ingress equals the vendor's template (SSH aside; pion: no TCP 50000-60000), one resource per rule", async () => {
        assert.deepStrictEqual(ingressRules(await awsRun("3.8")), expand(vendor38For("pion")));
    });

    it("3.0: the seed's tables behind the load balancer", async () => {
        assert.deepStrictEqual(ingressRules(await awsRun("3.0")), expand(EXPECTED_3_0));
    });

    it("with sshAllowedCidrs and a TURN domain: SSH from those CIDRs only, TURN 5349 from the load balancer", async () => {
        const rules = ingressRules(await awsRun("3.8-full"));
        const extra = rules.filter((r) => !expand(vendor38For("mediasoup")).includes(r));
        assert.deepStrictEqual(extra, ["master tcp 22 198.51.100.0/24", "media tcp 22 198.51.100.0/24", "media tcp 5349 loadBalancer"]);
    });

    it("uses separate rule resources only: no inline rules on the groups, explicit egress", async () => {
        const run = await awsRun("3.8");
        for (const sg of run.ofType("aws:ec2/securityGroup:SecurityGroup")) {
            assert.strictEqual(plainInputs(sg).ingress, undefined);
            assert.strictEqual(plainInputs(sg).egress, undefined);
        }
        assert.strictEqual(run.ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").length, 4 + 5);
    });
});

describe("aws stack: buckets and IAM", () => {
    it("creates private, encrypted buckets kept on destroy, with their settings kept too", async () => {
        const run = await awsRun("3.8");
        for (const b of ["buckets-app-data", "buckets-cluster-data"]) {
            assert.strictEqual(run.named(b).options.retainOnDelete, true);
            assert.deepStrictEqual(run.inputsOf(`${b}-public-access`), {
                blockPublicAcls: true,
                blockPublicPolicy: true,
                bucket: `${b}-id`,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
            });
            assert.strictEqual(run.inputsOf(`${b}-encryption`).rules[0].applyServerSideEncryptionByDefault.sseAlgorithm, "AES256");
            assert.strictEqual(run.inputsOf(`${b}-ownership`).rule.objectOwnership, "BucketOwnerEnforced");
            for (const part of ["public-access", "encryption", "ownership"]) {
                assert.strictEqual(run.named(`${b}-${part}`).options.retainOnDelete, true);
            }
        }
    });

    it("uses the named existing buckets without creating any", async () => {
        const run = await awsRun("3.8-full");
        assert.deepStrictEqual([run.outputs.appDataBucket, run.outputs.clusterDataBucket], ["acme-openvidu-recordings", "acme-openvidu-cluster"]);
        assert.ok(run.ofType("aws:s3/bucketObjectv2:BucketObjectv2").every((o) => plainInputs(o).bucket === "acme-openvidu-cluster"));
        const policy = JSON.parse(run.inputsOf("masters-iam-boot").policy);
        const resources = policy.Statement.flatMap((s: { Resource: string[] }) => s.Resource);
        assert.ok(resources.includes("arn:aws:s3:::acme-openvidu-recordings/*"));
        assert.ok(resources.includes("arn:aws:s3:::acme-openvidu-cluster/openvidu-ha/boot/*"));
    });

    it("scopes every grant to this deployment's secret, buckets and group (only DescribeAutoScalingInstances on *)", async () => {
        const run = await awsRun("3.8");
        const secretArn = run.outputs.secretArn as string;
        const allowed = [secretArn, `arn:aws:s3:::${run.outputs.appDataBucket as string}`, `arn:aws:s3:::${run.outputs.clusterDataBucket as string}`];
        const mediaSecret = JSON.parse(run.inputsOf("media-iam-boot").policy).Statement[0].Resource[0] as string;
        allowed.push(mediaSecret);
        assert.match(mediaSecret, /^arn:aws:secretsmanager:eu-west-1:123456789012:secret:media-secret-store-/);
        for (const name of ["masters-iam-boot", "media-iam-boot", "media-lifecycle"]) {
            for (const s of JSON.parse(run.inputsOf(name).policy).Statement as { Action: string[]; Resource: string[] }[]) {
                for (const resource of s.Resource) {
                    const ok = allowed.some((a) => resource === a || resource.startsWith(`${a}/`)) || /autoScalingGroupName\/media-group-/.test(resource);
                    assert.ok(ok || (resource === "*" && s.Action.join() === "autoscaling:DescribeAutoScalingInstances"), `${name}: ${resource}`);
                }
            }
        }
        assert.ok(
            !JSON.parse(run.inputsOf("media-iam-boot").policy).Statement.some((s: { Resource: string[] }) =>
                s.Resource.some(
                    (r) =>
                        r.includes(run.outputs.clusterDataBucket as string) &&
                        !r.endsWith("/openvidu-ha/boot/*") &&
                        !r.endsWith("/openvidu-ha/converge/status/*"),
                ),
            ),
            "media nodes read only the boot scripts and the masters' status objects of the cluster-data bucket",
        );
    });

    it("lets masters read the cluster secret and media nodes only the media secret, which holds no license or admin credential", async () => {
        const run = await awsRun("3.8");
        const secretsRead = (name: string) =>
            (JSON.parse(run.inputsOf(name).policy).Statement as { Action: string[]; Resource: string[] }[])
                .filter((s) => s.Action.includes("secretsmanager:GetSecretValue"))
                .flatMap((s) => s.Resource);
        assert.deepStrictEqual(secretsRead("masters-iam-boot"), [run.outputs.secretArn]);
        const [mediaSecret] = secretsRead("media-iam-boot");
        assert.match(mediaSecret, /:secret:media-secret-store-/);
        assert.notStrictEqual(mediaSecret, run.outputs.secretArn);
        const media = decodeBase64(run.inputsOf("media-template").userData);
        assert.match(media, new RegExp(`^OPENVIDU_HA_SECRET_ID='${mediaSecret}'$`, "m"));
        const mediaDocument = JSON.stringify(run.inputsOf("media-secret-current", true).secretString);
        const credentials = run.inputsOf("cluster-secret-current", true).secretString as string;
        const cluster = JSON.parse(credentials) as Record<string, string>;
        assert.ok(mediaDocument.includes(cluster.REDIS_PASSWORD), "the Redis password, which the media installer needs");
        for (const key of [
            "OPENVIDU_PRO_LICENSE",
            "DASHBOARD_ADMIN_PASSWORD",
            "GRAFANA_ADMIN_PASSWORD",
            "MEET_INITIAL_ADMIN_PASSWORD",
            "LIVEKIT_API_SECRET",
            "MONGO_ADMIN_PASSWORD",
        ]) {
            assert.ok(!mediaDocument.includes(cluster[key]), key);
        }
        assert.ok(isWrappedSecret(run.named("media-secret-current").inputs.secretString));
    });

    it("denies every node writing the boot scripts, and grants Session Manager without ssm:GetParameter(s)", async () => {
        const run = await awsRun("3.8");
        const script = `arn:aws:s3:::${run.outputs.clusterDataBucket as string}/openvidu-ha/boot/boot-master.sh`;
        for (const role of ["masters-iam", "media-iam"]) {
            const boot = JSON.parse(run.inputsOf(`${role}-boot`).policy) as PolicyDocument;
            assert.strictEqual(iamDecision(boot, "s3:PutObject", script), "explicitDeny", role);
            assert.strictEqual(iamDecision(boot, "s3:GetObject", script), "allow", role);
            const ssm = JSON.parse(run.inputsOf(`${role}-session-manager`).policy) as PolicyDocument;
            assert.strictEqual(iamDecision(ssm, "ssm:GetParameter", "arn:aws:ssm:eu-west-1:123456789012:parameter/any"), "implicitDeny", role);
            assert.strictEqual(iamDecision(ssm, "ssmmessages:CreateControlChannel", "*"), "allow", role);
        }
    });
});
