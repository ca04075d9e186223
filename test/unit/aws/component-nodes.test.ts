/**
 * The AWS node, IAM and storage components, each alone under the offline runtime (component-run.ts: no program
 * run): media pool, masters, node roles, buckets, secrets, boot scripts. Expected values are literals: vendor
 * facts 1.3 (launch templates, ASG, scaling policy, scale-in chain, buckets, secret), the reviewed user data
 * snapshots, AWS's resource fields.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { BootScripts } from "../../../components/aws/boot-scripts";
import { Buckets } from "../../../components/aws/buckets";
import { ClusterSecret } from "../../../components/aws/cluster-secret";
import { MasterInterfaces } from "../../../components/aws/master-interfaces";
import { MasterNodes, MasterNodesArgs } from "../../../components/aws/master-nodes";
import { MediaNodePool } from "../../../components/aws/media-node-pool";
import { NodeRole } from "../../../components/aws/node-role";
import { masterBootInput, mediaBootInput } from "./boot-inputs";
import { built, one, Registered, resolved } from "./component-run";

const DEPLOYMENT = "openvidu-ha-unit";
const TAG = (name?: string) => ({ "openvidu-ha:deployment": DEPLOYMENT, ...(name === undefined ? {} : { Name: `${DEPLOYMENT} ${name}` }) });
const snapshot = (name: string) => fs.readFileSync(path.join(__dirname, "__snapshots__", name), "utf8");
/** A resource the component must wait for (a role grant, a boot script). */
class Prerequisite extends pulumi.CustomResource {
    constructor(name: string) {
        super("test:index:Prerequisite", name, {});
    }
}
const prerequisite = () => new Prerequisite("grant");

/** Resources named after a component (`<name>-...`) whose parent is not that component: none, for a well-formed one. */
const childrenOutside = (resources: readonly Registered[], component: string) =>
    resources.filter((r) => r.name.startsWith(`${component}-`) && r.type !== "test:index:Prerequisite" && r.parent !== component).map((r) => r.name);

describe("aws component: media node pool", () => {
    const build = () =>
        built(
            () =>
                new MediaNodePool("media", {
                    subnetIds: ["subnet-a", "subnet-b"],
                    securityGroupId: "sg-media",
                    imageId: "resolve:ssm:/aws/service/canonical/ubuntu/server/noble/stable/current/amd64/hvm/ebs-gp3/ami-id",
                    instanceType: "c6a.xlarge",
                    rootVolumeGb: 50,
                    keyName: "ops-key",
                    instanceProfileArn: "arn:aws:iam::123456789012:instance-profile/media",
                    roleName: "media-role",
                    scaling: { min: 1, max: 5, initial: 2, targetCpu: 50 },
                    boot: mediaBootInput(),
                    targetGroupArns: ["arn:tg-rtmp"],
                    lifecycle: { drainTimeoutSeconds: 3600, heartbeatTimeoutSeconds: 300, heartbeatIntervalSeconds: 100 },
                    bootPrerequisites: [prerequisite()],
                    deployment: DEPLOYMENT,
                }),
        );

    it("launch template: IMDSv2 only, public IP, encrypted gp3 root, the role's profile, the reviewed user data", async () => {
        const { resources } = await build();
        const { userData, ...template } = one(resources, "aws:ec2/launchTemplate:LaunchTemplate", "media-template").inputs;
        assert.deepStrictEqual(template, {
            description: `openvidu-ha ${DEPLOYMENT} media node`,
            imageId: "resolve:ssm:/aws/service/canonical/ubuntu/server/noble/stable/current/amd64/hvm/ebs-gp3/ami-id",
            instanceType: "c6a.xlarge",
            keyName: "ops-key",
            iamInstanceProfile: { arn: "arn:aws:iam::123456789012:instance-profile/media" },
            networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "true", deleteOnTermination: "true", securityGroups: ["sg-media"] }],
            metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 },
            blockDeviceMappings: [{ deviceName: "/dev/sda1", ebs: { volumeType: "gp3", volumeSize: 50, encrypted: "true", deleteOnTermination: "true" } }],
            tagSpecifications: [
                { resourceType: "instance", tags: TAG("media") },
                { resourceType: "volume", tags: TAG("media") },
            ],
            updateDefaultVersion: true,
            tags: TAG("media"),
        });
        assert.strictEqual(Buffer.from(userData, "base64").toString("utf8"), snapshot("media-user-data.sh"));
        assert.deepStrictEqual(childrenOutside(resources, "media"), [], "every resource is the pool's child");
    });

    it("group: sizes, EC2 health with the boot grace period, a rolling refresh that never drops capacity, after the grants", async () => {
        const { resources } = await build();
        const group = one(resources, "aws:autoscaling/group:Group", "media-group");
        const { launchTemplate, ...inputs } = group.inputs;
        assert.deepStrictEqual(inputs, {
            minSize: 1,
            maxSize: 5,
            desiredCapacity: 2,
            vpcZoneIdentifiers: ["subnet-a", "subnet-b"],
            targetGroupArns: ["arn:tg-rtmp"],
            healthCheckType: "EC2",
            // Master wait (900 s) + installation + health gate (600 s): README "AWS: media nodes".
            healthCheckGracePeriod: 1800,
            instanceRefresh: {
                strategy: "Rolling",
                preferences: { minHealthyPercentage: 100, maxHealthyPercentage: 200, instanceWarmup: "300", skipMatching: true },
            },
            tags: [
                { key: "openvidu-ha:deployment", value: DEPLOYMENT, propagateAtLaunch: true },
                { key: "Name", value: `${DEPLOYMENT} media`, propagateAtLaunch: true },
            ],
        });
        // The template's version number (a change starts a refresh), never "$Latest".
        assert.deepStrictEqual(launchTemplate, { id: "media-template-id", version: "1" });
        assert.deepStrictEqual(group.options.ignoreChanges, ["desiredCapacity"]);
        assert.ok(group.dependsOn.includes("grant"), "waits for the role grants and boot scripts");
    });

    it("scales on average CPU with the vendor's 120 s warmup; the terminate hook continues without heartbeats (vendor facts 1.3)", async () => {
        const { resources, result } = await build();
        const groupName = await resolved(result.autoScalingGroupName);
        assert.deepStrictEqual(one(resources, "aws:autoscaling/policy:Policy", "media-cpu-target").inputs, {
            autoscalingGroupName: groupName,
            policyType: "TargetTrackingScaling",
            estimatedInstanceWarmup: 120,
            targetTrackingConfiguration: { predefinedMetricSpecification: { predefinedMetricType: "ASGAverageCPUUtilization" }, targetValue: 50 },
        });
        assert.deepStrictEqual(one(resources, "aws:autoscaling/lifecycleHook:LifecycleHook", "media-drain").inputs, {
            autoscalingGroupName: groupName,
            name: "openvidu-ha-drain",
            lifecycleTransition: "autoscaling:EC2_INSTANCE_TERMINATING",
            defaultResult: "CONTINUE",
            heartbeatTimeout: 300,
        });
        assert.match(await resolved(result.launchTemplateId), /^media-template-id$/);
    });

    it("lets the nodes answer their own group's hook, on the media role", async () => {
        const { resources } = await build();
        const policy = one(resources, "aws:iam/rolePolicy:RolePolicy", "media-lifecycle").inputs;
        assert.strictEqual(policy.role, "media-role");
        const groupName = await resolved(one(resources, "aws:autoscaling/policy:Policy", "media-cpu-target").inputs.autoscalingGroupName);
        const document = JSON.parse(policy.policy);
        const [own, find] = document.Statement;
        assert.deepStrictEqual(own.Action, [
            "autoscaling:CompleteLifecycleAction",
            "autoscaling:RecordLifecycleActionHeartbeat",
            "autoscaling:SetInstanceHealth",
        ]);
        assert.strictEqual(own.Resource.length, 1);
        assert.ok(own.Resource[0].startsWith("arn:aws:autoscaling:") && own.Resource[0].endsWith(`:autoScalingGroupName/${groupName}`), own.Resource[0]);
        assert.deepStrictEqual([find.Action, find.Resource], [["autoscaling:DescribeAutoScalingInstances"], ["*"]]);
    });
});

describe("aws component: master nodes", () => {
    function args(overrides: Partial<MasterNodesArgs> = {}): (i: MasterInterfaces) => MasterNodesArgs {
        const { label: _label, dataVolumeId: _volume, ...boot } = masterBootInput();
        return (i) => ({
            interfaces: i.masters,
            availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c", "eu-west-1a"],
            amiId: "ami-0123456789abcdef0",
            instanceType: "c6a.xlarge",
            instanceProfileName: "masters-profile",
            dataVolumeSizeGb: 100,
            retainVolumes: true,
            boot,
            bootPrerequisites: [prerequisite()],
            targetGroups: [
                { key: "masters-http", arn: "arn:tg-http", port: 80 },
                { key: "masters-https", arn: "arn:tg-https", port: 443 },
            ],
            alarmActions: { recover: "arn:aws:automate:eu-west-1:ec2:recover", reboot: "arn:aws:automate:eu-west-1:ec2:reboot" },
            deployment: DEPLOYMENT,
            ...overrides,
        });
    }
    const build = (overrides: Partial<MasterNodesArgs> = {}) =>
        built(() => {
            const interfaces = new MasterInterfaces("mi", { subnetIds: ["s1", "s2", "s3", "s4"], securityGroupId: "sg-m", deployment: DEPLOYMENT });
            return new MasterNodes("masters", args(overrides)(interfaces));
        });

    it("each master: its own interface, IMDSv2 only, encrypted gp3 root of 50 GB, auto-recovery, the reviewed user data", async () => {
        const { resources } = await build();
        const master = one(resources, "aws:ec2/instance:Instance", "masters-2");
        const { userData, ...inputs } = master.inputs;
        assert.deepStrictEqual(inputs, {
            ami: "ami-0123456789abcdef0",
            instanceType: "c6a.xlarge",
            iamInstanceProfile: "masters-profile",
            primaryNetworkInterface: { networkInterfaceId: "mi-2-id" },
            metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 },
            rootBlockDevice: { volumeType: "gp3", volumeSize: 50, encrypted: true, deleteOnTermination: true, tags: TAG("master-2") },
            maintenanceOptions: { autoRecovery: "default" },
            tags: TAG("master-2"),
        });
        // The snapshot's volume id stands for the one the mocks give this master's data volume.
        assert.strictEqual(userData, snapshot("master-user-data.sh").replace("vol-0123456789abcdef0", "masters-2-data-id"));
        // One interface per instance: the old one goes first; AMI and boot text changes wait for a rebuild.
        assert.strictEqual(master.options.deleteBeforeReplace, true);
        assert.deepStrictEqual(master.options.ignoreChanges, ["ami", "userData"]);
        assert.ok(master.dependsOn.includes("grant"));
        assert.deepStrictEqual(childrenOutside(resources, "masters"), [], "every resource is the masters' child");
    });

    it("each master: its own encrypted gp3 data volume in its zone, attached as /dev/sdf, kept on destroy when retainVolumes", async () => {
        const { resources, result } = await build();
        for (const [i, zone] of ["eu-west-1a", "eu-west-1b", "eu-west-1c", "eu-west-1a"].entries()) {
            const volume = one(resources, "aws:ebs/volume:Volume", `masters-${i + 1}-data`);
            assert.deepStrictEqual(volume.inputs, { availabilityZone: zone, size: 100, type: "gp3", encrypted: true, tags: TAG(`master-${i + 1} data`) });
            assert.strictEqual(volume.options.retainOnDelete, true);
            assert.deepStrictEqual(one(resources, "aws:ec2/volumeAttachment:VolumeAttachment", `masters-${i + 1}-data-attachment`).inputs, {
                deviceName: "/dev/sdf",
                instanceId: `masters-${i + 1}-id`,
                volumeId: `masters-${i + 1}-data-id`,
                stopInstanceBeforeDetaching: true,
            });
        }
        assert.deepStrictEqual(await resolved(result.instanceIds), ["masters-1-id", "masters-2-id", "masters-3-id", "masters-4-id"]);
        assert.deepStrictEqual(await resolved(result.dataVolumeIds), ["masters-1-data-id", "masters-2-data-id", "masters-3-data-id", "masters-4-data-id"]);
        assert.deepStrictEqual(
            result.nodes.map((n) => n.label),
            ["master-1", "master-2", "master-3", "master-4"],
        );
        const { resources: notRetained } = await build({ retainVolumes: false });
        assert.strictEqual(one(notRetained, "aws:ebs/volume:Volume", "masters-1-data").options.retainOnDelete, false);
    });

    it("alarms: recover after 2 failed system checks, reboot after 3 failed instance checks, per master", async () => {
        const { resources } = await build();
        const alarm = (metricName: string, periods: number, action: string, description: string) => ({
            alarmDescription: `openvidu-ha ${DEPLOYMENT} master-3: ${description}`,
            namespace: "AWS/EC2",
            metricName,
            dimensions: { InstanceId: "masters-3-id" },
            statistic: "Maximum",
            period: 60,
            evaluationPeriods: periods,
            threshold: 1,
            comparisonOperator: "GreaterThanOrEqualToThreshold",
            alarmActions: [action],
            tags: TAG(),
        });
        assert.deepStrictEqual(
            one(resources, "aws:cloudwatch/metricAlarm:MetricAlarm", "masters-3-recover").inputs,
            alarm("StatusCheckFailed_System", 2, "arn:aws:automate:eu-west-1:ec2:recover", "recover on a failed host (keeps instance id, IP and volumes)"),
        );
        assert.deepStrictEqual(
            one(resources, "aws:cloudwatch/metricAlarm:MetricAlarm", "masters-3-reboot").inputs,
            alarm("StatusCheckFailed_Instance", 3, "arn:aws:automate:eu-west-1:ec2:reboot", "reboot when the OS stops answering status checks"),
        );
        assert.strictEqual(resources.filter((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm").length, 8);
    });

    it("joins every master target group on its port", async () => {
        const { resources } = await build();
        assert.deepStrictEqual(one(resources, "aws:lb/targetGroupAttachment:TargetGroupAttachment", "masters-4-masters-https").inputs, {
            targetGroupArn: "arn:tg-https",
            targetId: "masters-4-id",
            port: 443,
        });
        assert.strictEqual(resources.filter((r) => r.type === "aws:lb/targetGroupAttachment:TargetGroupAttachment").length, 8);
    });

    it("refuses anything but 4 masters with 4 zones", async () => {
        const withInterfaces = (count: number, zones: string[]) =>
            built(() => {
                const interfaces = new MasterInterfaces("mi", { subnetIds: ["s1", "s2", "s3", "s4"], securityGroupId: "sg-m", deployment: DEPLOYMENT });
                return new MasterNodes("masters", { ...args()(interfaces), interfaces: interfaces.masters.slice(0, count), availabilityZones: zones });
            });
        const zones = ["eu-west-1a", "eu-west-1b", "eu-west-1c", "eu-west-1a"];
        await assert.rejects(withInterfaces(3, zones), (e: Error) => e.message === "MasterNodes masters: exactly 4 masters are required, got 3");
        await assert.rejects(withInterfaces(4, zones.slice(0, 1)), (e: Error) => e.message === "MasterNodes masters: exactly 4 masters are required, got 4");
    });
});

describe("aws component: node role", () => {
    it("an EC2 role with its boot policy and Session Manager's channels only; the grants an instance waits for", async () => {
        const policy = {
            Version: "2012-10-17" as const,
            Statement: [{ Sid: "ReadOwnSecret", Effect: "Allow" as const, Action: ["secretsmanager:GetSecretValue"], Resource: ["arn:s"] }],
        };
        const { resources, result } = await built(() => new NodeRole("media-iam", { policy, deployment: DEPLOYMENT }));
        const role = one(resources, "aws:iam/role:Role", "media-iam-role").inputs;
        assert.deepStrictEqual(JSON.parse(role.assumeRolePolicy), {
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
        });
        assert.strictEqual(role.description, `openvidu-ha ${DEPLOYMENT} media-iam`);
        assert.deepStrictEqual(childrenOutside(resources, "media-iam"), [], "every resource is the role's child");
        assert.deepStrictEqual(role.tags, TAG("media-iam"));
        const roleName = await resolved(result.roleName);
        const boot = one(resources, "aws:iam/rolePolicy:RolePolicy", "media-iam-boot").inputs;
        assert.deepStrictEqual([boot.role, JSON.parse(boot.policy)], [roleName, policy]);
        const ssm = one(resources, "aws:iam/rolePolicy:RolePolicy", "media-iam-session-manager").inputs;
        assert.strictEqual(ssm.role, roleName);
        assert.deepStrictEqual(JSON.parse(ssm.policy).Statement[0].Action, [
            "ssm:UpdateInstanceInformation",
            "ssmmessages:CreateControlChannel",
            "ssmmessages:CreateDataChannel",
            "ssmmessages:OpenControlChannel",
            "ssmmessages:OpenDataChannel",
        ]);
        assert.deepStrictEqual(one(resources, "aws:iam/instanceProfile:InstanceProfile", "media-iam-profile").inputs, {
            role: roleName,
            tags: TAG("media-iam"),
        });
        const grants: string[] = await resolved(result.grants);
        assert.deepStrictEqual(
            grants.map((urn) => urn.slice(urn.lastIndexOf("::") + 2)),
            ["media-iam-boot", "media-iam-session-manager"],
        );
        assert.match(await resolved(result.instanceProfileArn), /:instance-profile\//);
        assert.strictEqual(
            await resolved(result.instanceProfileName),
            await resolved(result.instanceProfileArn).then((a: string) => a.slice(a.lastIndexOf("/") + 1)),
        );
    });

    it("without Session Manager: the boot policy is the only grant", async () => {
        const policy = { Version: "2012-10-17" as const, Statement: [] };
        const { resources, result } = await built(() => new NodeRole("masters-iam", { policy, sessionManager: false, deployment: DEPLOYMENT }));
        assert.deepStrictEqual(
            resources.filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy").map((r) => r.name),
            ["masters-iam-boot"],
        );
        assert.strictEqual(result.grants.length, 1);
    });
});

describe("aws component: buckets", () => {
    it("creates both buckets private, owner-enforced, encrypted, and keeps them on destroy (vendor facts 1.3: Retain)", async () => {
        const { resources, result } = await built(() => new Buckets("buckets", { partition: "aws", deployment: DEPLOYMENT }));
        for (const purpose of ["app-data", "cluster-data"]) {
            const name = `buckets-${purpose}`;
            const owned = resources.filter((r) => r.name.startsWith(name));
            assert.deepStrictEqual(
                owned.map((r) => r.type).sort(),
                [
                    "aws:s3/bucket:Bucket",
                    "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
                    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
                    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                ],
                purpose,
            );
            assert.ok(
                owned.every((r) => r.options.retainOnDelete && r.parent === "buckets"),
                purpose,
            );
            assert.deepStrictEqual(one(resources, "aws:s3/bucket:Bucket", name).inputs, { forceDestroy: false, tags: TAG(name) });
            assert.deepStrictEqual(one(resources, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", `${name}-public-access`).inputs, {
                bucket: `${name}-id`,
                blockPublicAcls: true,
                blockPublicPolicy: true,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
            });
            assert.deepStrictEqual(one(resources, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", `${name}-ownership`).inputs, {
                bucket: `${name}-id`,
                rule: { objectOwnership: "BucketOwnerEnforced" },
            });
            assert.deepStrictEqual(
                one(resources, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", `${name}-encryption`).inputs,
                { bucket: `${name}-id`, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }] },
            );
        }
        const [app, cluster] = await resolved([result.appData, result.clusterData]);
        assert.match(app.name, /^buckets-app-data/);
        assert.match(cluster.name, /^buckets-cluster-data/);
        assert.match(app.arn, /^arn:aws:s3:::buckets-app-data/);
    });

    it("only references buckets the stack names: no bucket resource, ARNs in the stack's partition", async () => {
        const { resources, result } = await built(
            () =>
                new Buckets("buckets", {
                    partition: "aws-cn",
                    deployment: DEPLOYMENT,
                    existingAppData: "acme-recordings",
                    existingClusterData: "acme-cluster",
                }),
        );
        assert.deepStrictEqual(
            resources.map((r) => r.type),
            ["openvidu-ha:aws:Buckets"],
        );
        assert.deepStrictEqual(await resolved([result.appData, result.clusterData]), [
            { name: "acme-recordings", arn: "arn:aws-cn:s3:::acme-recordings" },
            { name: "acme-cluster", arn: "arn:aws-cn:s3:::acme-cluster" },
        ]);
    });
});

describe("aws component: cluster secret", () => {
    it("stores the document as JSON, secret, with a 30-day recovery window by default and a plain description", async () => {
        const { resources, result } = await built(
            () =>
                new ClusterSecret("media-secret", {
                    document: { REDIS_PASSWORD: "s3cr3t", A: "1" },
                    purpose: "the media installer inputs",
                    deployment: DEPLOYMENT,
                }),
        );
        assert.deepStrictEqual(one(resources, "aws:secretsmanager/secret:Secret", "media-secret-store").inputs, {
            description: `openvidu-ha ${DEPLOYMENT}: the media installer inputs`,
            recoveryWindowInDays: 30,
            tags: TAG("media secret"),
        });
        const version = one(resources, "aws:secretsmanager/secretVersion:SecretVersion", "media-secret-current");
        assert.strictEqual(version.inputs.secretString, "[secret]", "the document is a secret even when its input is not");
        assert.strictEqual(version.inputs.secretId, "media-secret-store-id");
        assert.deepStrictEqual(childrenOutside(resources, "media-secret"), [], "both resources are the secret's children");
        assert.deepStrictEqual(JSON.parse(await resolved(pulumi.output(result.version.secretString))), { REDIS_PASSWORD: "s3cr3t", A: "1" });
        assert.match(await resolved(result.arn), /^arn:aws:secretsmanager:.*:secret:media-secret-store/);
        assert.match(await resolved(result.name), /^media-secret-store/);
        assert.ok((await resolved(result.versionId)).length > 0);
        const { resources: week } = await built(() => new ClusterSecret("s", { document: {}, purpose: "p", recoveryWindowInDays: 7, deployment: DEPLOYMENT }));
        assert.strictEqual(one(week, "aws:secretsmanager/secret:Secret", "s-store").inputs.recoveryWindowInDays, 7);
    });
});

describe("aws component: boot scripts", () => {
    it("uploads each file under its revision's key, encrypted, kept when a new revision replaces it", async () => {
        const { resources, result } = await built(
            () =>
                new BootScripts("boot-scripts", {
                    bucket: "cluster-data",
                    deployment: DEPLOYMENT,
                    files: [
                        { name: "a.sh", content: "echo a\n" },
                        { name: "b.sh", content: "echo b\n" },
                    ],
                }),
        );
        // The revision of these two files (see plan-user-data.test.ts).
        assert.strictEqual(result.revision, "c52a619a8c596cb5");
        const object = one(resources, "aws:s3/bucketObjectv2:BucketObjectv2", "boot-scripts-b");
        assert.deepStrictEqual(object.inputs, {
            bucket: "cluster-data",
            key: "openvidu-ha/boot/c52a619a8c596cb5/b.sh",
            content: "echo b\n",
            contentType: "text/x-shellscript",
            serverSideEncryption: "AES256",
            tags: TAG(),
        });
        assert.strictEqual(object.options.retainOnDelete, true);
        assert.deepStrictEqual(childrenOutside(resources, "boot-scripts"), [], "every object is the component's child");
        assert.deepStrictEqual(result.objects.length, 2);
        assert.deepStrictEqual(await resolved(result.objects.map((o) => o.key)), [
            "openvidu-ha/boot/c52a619a8c596cb5/a.sh",
            "openvidu-ha/boot/c52a619a8c596cb5/b.sh",
        ]);
    });
});
