/** The AWS stack's resources and their key properties, for both release lines and the all-options variant. */
import * as assert from "assert";
import { ProgramRun } from "../../support/program";
import { mockParameterValue } from "../../../tools/offline-runtime/aws-mocks";
import { ubuntuAmiParameter } from "../../../components/aws/plan/architecture";
import { awsRun, decodeBase64, TURN_CERT, Variant } from "./runs";

const T = {
    eni: "aws:ec2/networkInterface:NetworkInterface",
    eip: "aws:ec2/eip:Eip",
    instance: "aws:ec2/instance:Instance",
    volume: "aws:ebs/volume:Volume",
    attachment: "aws:ec2/volumeAttachment:VolumeAttachment",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    lb: "aws:lb/loadBalancer:LoadBalancer",
    tg: "aws:lb/targetGroup:TargetGroup",
    tgAttachment: "aws:lb/targetGroupAttachment:TargetGroupAttachment",
    listener: "aws:lb/listener:Listener",
    lt: "aws:ec2/launchTemplate:LaunchTemplate",
    asg: "aws:autoscaling/group:Group",
    policy: "aws:autoscaling/policy:Policy",
    hook: "aws:autoscaling/lifecycleHook:LifecycleHook",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    bucket: "aws:s3/bucket:Bucket",
    secret: "aws:secretsmanager/secret:Secret",
    secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
    object: "aws:s3/bucketObjectv2:BucketObjectv2",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    profile: "aws:iam/instanceProfile:InstanceProfile",
};

const count = (run: ProgramRun, type: string) => run.ofType(type).length;

for (const variant of ["3.8", "3.0", "3.8-full"] as Variant[]) {
    const full = variant === "3.8-full";
    describe(`aws stack ${variant}: resources`, () => {
        let run: ProgramRun;
        before(async () => {
            run = await awsRun(variant);
        });

        it("creates 4 masters, each with its interface, Elastic IP, data volume, attachment, 2 alarms and 2 target registrations", () => {
            for (const type of [T.eni, T.eip, T.instance, T.volume, T.attachment]) {
                assert.strictEqual(count(run, type), 4, type);
            }
            assert.strictEqual(count(run, T.alarm), 8);
            assert.strictEqual(count(run, T.tgAttachment), 8);
        });

        it("creates the security groups, the cluster and media secrets with one version each, the boot scripts, 2 roles with 5 policies", () => {
            assert.strictEqual(count(run, T.sg), 3);
            assert.strictEqual(count(run, T.secret), 2);
            assert.strictEqual(count(run, T.secretVersion), 2);
            assert.strictEqual(count(run, T.object), 10);
            assert.strictEqual(count(run, T.role), 2);
            assert.strictEqual(count(run, T.profile), 2);
            assert.strictEqual(count(run, T.rolePolicy), 5, "boot and Session Manager per role, media lifecycle");
            assert.strictEqual(count(run, "aws:iam/rolePolicyAttachment:RolePolicyAttachment"), 0, "no managed policy (AmazonSSMManagedInstanceCore)");
            assert.strictEqual(count(run, T.bucket), full ? 0 : 2);
        });

        it("masters: IMDSv2 required, encrypted gp3 root, primary interface = their own pre-created interface", () => {
            for (let i = 1; i <= 4; i++) {
                const m = run.inputsOf(`masters-${i}`);
                assert.deepStrictEqual(m.metadataOptions, { httpEndpoint: "enabled", httpPutResponseHopLimit: 1, httpTokens: "required" });
                assert.strictEqual(m.rootBlockDevice.encrypted, true);
                assert.strictEqual(m.rootBlockDevice.volumeType, "gp3");
                assert.strictEqual(m.primaryNetworkInterface.networkInterfaceId, `master-interfaces-${i}-id`);
                assert.strictEqual(m.subnetId, undefined);
                assert.strictEqual(m.vpcSecurityGroupIds, undefined);
                assert.strictEqual(m.instanceType, full ? "c7g.xlarge" : "c6a.xlarge");
                assert.strictEqual(m.keyName, full ? "ops-key" : undefined);
                assert.deepStrictEqual(m.maintenanceOptions, { autoRecovery: "default" });
            }
        });

        it("masters: own encrypted gp3 data volume of masterDiskSizeGb in the interface's zone, retained per retainVolumes", () => {
            for (let i = 1; i <= 4; i++) {
                const v = run.inputsOf(`masters-${i}-data`);
                assert.strictEqual(v.encrypted, true);
                assert.strictEqual(v.type, "gp3");
                assert.strictEqual(v.size, full ? 250 : 100);
                assert.strictEqual(v.availabilityZone, `eu-west-1${"bcda"[i - 1]}`);
                assert.strictEqual(run.named(`masters-${i}-data`).options.retainOnDelete, !full);
                const a = run.inputsOf(`masters-${i}-data-attachment`);
                assert.deepStrictEqual([a.instanceId, a.volumeId, a.deviceName], [`masters-${i}-id`, `masters-${i}-data-id`, "/dev/sdf"]);
            }
        });

        it("masters: recovered on a failed host and rebooted on a failed OS by CloudWatch alarms", () => {
            for (let i = 1; i <= 4; i++) {
                const recover = run.inputsOf(`masters-${i}-recover`);
                assert.strictEqual(recover.metricName, "StatusCheckFailed_System");
                assert.deepStrictEqual(recover.alarmActions, ["arn:aws:automate:eu-west-1:ec2:recover"]);
                assert.deepStrictEqual(recover.dimensions, { InstanceId: `masters-${i}-id` });
                const reboot = run.inputsOf(`masters-${i}-reboot`);
                assert.strictEqual(reboot.metricName, "StatusCheckFailed_Instance");
                assert.deepStrictEqual(reboot.alarmActions, ["arn:aws:automate:eu-west-1:ec2:reboot"]);
            }
        });

        it("masters: replaced delete-first (one interface, one instance), AMI and user data changes ignored", () => {
            for (let i = 1; i <= 4; i++) {
                const options = run.named(`masters-${i}`).options;
                assert.strictEqual(options.deleteBeforeReplace, true);
                assert.deepStrictEqual(options.ignoreChanges, ["ami", "userData"]);
                assert.deepStrictEqual(run.named(`master-interfaces-${i}`).options.ignoreChanges, ["subnetId"]);
            }
        });

        it("masters: the AMI is Ubuntu 24.04 for the instance architecture, from Canonical's SSM parameter", () => {
            const parameter = ubuntuAmiParameter(full ? "arm64" : "x86_64");
            for (let i = 1; i <= 4; i++) {
                assert.strictEqual(run.inputsOf(`masters-${i}`).ami, mockParameterValue(parameter));
            }
        });

        it("load balancer: internet-facing network balancer, cross-zone, in the master subnets", () => {
            const lb = run.inputsOf("nlb-main");
            assert.strictEqual(lb.loadBalancerType, "network");
            assert.strictEqual(lb.internal, false);
            assert.strictEqual(lb.enableCrossZoneLoadBalancing, true);
            assert.deepStrictEqual(lb.subnets, [
                "subnet-0a1b2c3d4e5f60001",
                "subnet-0a1b2c3d4e5f60002",
                "subnet-0a1b2c3d4e5f60003",
                "subnet-0a1b2c3d4e5f60004",
            ]);
            assert.deepStrictEqual(lb.securityGroups, ["security-groups-lb-id"]);
        });

        it("listeners: 80 TCP and 443 TLS to masters, 1935 TLS to media RTMP, with the certificate and TLS policy", () => {
            const listener = (name: string) => run.inputsOf(name);
            const tgOf = (name: string) => listener(name).defaultActions[0].targetGroupArn as string;
            assert.deepStrictEqual([listener("nlb-http").port, listener("nlb-http").protocol, listener("nlb-http").certificateArn], [80, "TCP", undefined]);
            for (const [name, port] of [
                ["nlb-https", 443],
                ["nlb-rtmps", 1935],
            ] as const) {
                assert.strictEqual(listener(name).port, port);
                assert.strictEqual(listener(name).protocol, "TLS");
                assert.strictEqual(listener(name).certificateArn, "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555");
                assert.strictEqual(listener(name).sslPolicy, "ELBSecurityPolicy-TLS13-1-2-2021-06");
            }
            assert.match(tgOf("nlb-http"), /nlb-masters-http-/);
            assert.match(tgOf("nlb-https"), /nlb-masters-https-/);
            assert.match(tgOf("nlb-rtmps"), /nlb-media-rtmp-/);
            assert.strictEqual(run.inputsOf("nlb-media-rtmp").port, 1945);
            assert.strictEqual(run.inputsOf("nlb-masters-https").healthCheck.path, "/health/caddy");
            assert.strictEqual(run.inputsOf("nlb-media-rtmp").healthCheck.port, "9092");
        });

        it(
            full ? "TURN: a second balancer in the media subnets, TLS 443 with the TURN certificate to media 5349" : "no TURN balancer without a TURN domain",
            () => {
                assert.strictEqual(count(run, T.lb), full ? 2 : 1);
                assert.strictEqual(count(run, T.listener), full ? 4 : 3);
                if (full) {
                    const l = run.inputsOf("nlb-turn-tls");
                    assert.deepStrictEqual([l.port, l.protocol, l.certificateArn, l.sslPolicy], [443, "TLS", TURN_CERT, "ELBSecurityPolicy-TLS13-1-2-2021-06"]);
                    assert.match(l.loadBalancerArn, /nlb-turn-/);
                    assert.strictEqual(run.inputsOf("nlb-media-turn").port, 5349);
                    assert.deepStrictEqual(run.inputsOf("nlb-turn").subnets, ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]);
                    assert.strictEqual(run.inputsOf("media-group").targetGroupArns.length, 2);
                }
            },
        );

        it("media: launch template with IMDSv2, encrypted root, public IP, media group, instance profile and the right image", () => {
            const lt = run.inputsOf("media-template");
            assert.strictEqual(lt.metadataOptions.httpTokens, "required");
            assert.deepStrictEqual(lt.blockDeviceMappings[0].ebs, { deleteOnTermination: "true", encrypted: "true", volumeSize: 50, volumeType: "gp3" });
            assert.deepStrictEqual(lt.networkInterfaces, [
                { associatePublicIpAddress: "true", deleteOnTermination: "true", deviceIndex: 0, securityGroups: ["security-groups-media-id"] },
            ]);
            assert.match(lt.iamInstanceProfile.arn, /instance-profile\/media-iam-profile-/);
            assert.strictEqual(
                lt.imageId,
                `resolve:ssm:/aws/service/canonical/ubuntu/server/noble/stable/current/${full ? "arm64" : "amd64"}/hvm/ebs-gp3/ami-id`,
            );
            assert.strictEqual(lt.keyName, full ? "ops-key" : undefined);
            assert.match(decodeBase64(lt.userData), /^ExecStart=\/bin\/sh \$dir\/boot-media.sh$/m);
        });

        it("media: group sizes, EC2 health checks with a grace period, rolling refresh on the template's latest version", () => {
            const g = run.inputsOf("media-group");
            assert.deepStrictEqual([g.minSize, g.desiredCapacity, g.maxSize], full ? [2, 3, 8] : [1, 1, 5]);
            assert.deepStrictEqual(run.named("media-group").options.ignoreChanges, ["desiredCapacity"]);
            assert.strictEqual(g.healthCheckType, "EC2");
            assert.strictEqual(g.healthCheckGracePeriod, 1800);
            assert.deepStrictEqual(g.launchTemplate, { id: "media-template-id", version: "1" });
            assert.strictEqual(g.instanceRefresh.strategy, "Rolling");
            assert.strictEqual(g.instanceRefresh.preferences.minHealthyPercentage, 100);
            assert.deepStrictEqual(g.vpcZoneIdentifiers, ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]);
        });

        it("media: target tracking on average CPU at scaleTargetCpu, warmup 120 s; terminate hook bounded by the drain timeout", () => {
            const p = run.inputsOf("media-cpu-target");
            assert.strictEqual(p.policyType, "TargetTrackingScaling");
            assert.strictEqual(p.estimatedInstanceWarmup, 120);
            assert.deepStrictEqual(p.targetTrackingConfiguration, {
                predefinedMetricSpecification: { predefinedMetricType: "ASGAverageCPUUtilization" },
                targetValue: full ? 65 : 50,
            });
            const h = run.inputsOf("media-drain");
            // Default drainTimeoutMinutes on AWS: 2870 (the hook's ceiling); heartbeat timeout = (2870 + 10) * 60 / 100.
            assert.deepStrictEqual(
                [h.lifecycleTransition, h.defaultResult, h.heartbeatTimeout, h.name],
                ["autoscaling:EC2_INSTANCE_TERMINATING", "CONTINUE", full ? 300 : 1728, "openvidu-ha-drain"],
            );
            assert.match(
                decodeBase64(run.inputsOf("media-template").userData),
                new RegExp(`^OPENVIDU_HA_DRAIN_TIMEOUT_SECONDS='${full ? 7200 : 172200}'$`, "m"),
            );
        });
    });
}
