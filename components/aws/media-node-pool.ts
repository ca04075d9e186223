/**
 * The media nodes: a launch template and an Auto Scaling group with target tracking on average CPU, EC2 health
 * checks (plus the node's own unhealthy report), rolling instance refresh whenever the template changes, and a terminate lifecycle hook that the
 * node's own watcher (lifecycle-watch.sh) answers after draining. The hook bounds the drain: without heartbeats
 * the termination continues after the heartbeat timeout.
 */
import * as pulumi from "@pulumi/pulumi";
import * as autoscaling from "@pulumi/aws/autoscaling";
import * as ec2 from "@pulumi/aws/ec2";
import * as iam from "@pulumi/aws/iam";
import { MediaScaling } from "../config/settings";
import { mediaLifecyclePolicy } from "./plan/iam-policies";
import { LIFECYCLE_HOOK_NAME, LifecycleTiming, MEDIA_BOOT } from "./plan/timing";
import { deploymentTags } from "./plan/tags";
import { MediaBootInput, mediaUserData } from "./plan/user-data";

export interface MediaNodePoolArgs {
    /** Subnets of the group (public, any number of Availability Zones). */
    subnetIds: readonly string[];
    /** Security group of the media nodes. */
    securityGroupId: pulumi.Input<string>;
    /** AMI id, or `resolve:ssm:<parameter>` so every launch takes the parameter's current image. */
    imageId: pulumi.Input<string>;
    /** EC2 instance type; its architecture must match the image. */
    instanceType: string;
    /** Root volume, GB (gp3, encrypted): the vendor's 50, 100 on Nvidia GPU types (see mediaRootVolumeGb). */
    rootVolumeGb: number;
    /** Optional EC2 key pair for SSH (SSH is reachable only from sshAllowedCidrs). */
    keyName?: string;
    /** Instance profile of the media role. */
    instanceProfileArn: pulumi.Input<string>;
    /** Name of the media role; the lifecycle policy (scoped to this group) is attached to it. */
    roleName: pulumi.Input<string>;
    /** Group sizes (min <= initial <= max) and the CPU target in percent. `initial` applies at creation only. */
    scaling: MediaScaling;
    /** Boot settings of every node (rendered into the template's user data). */
    boot: pulumi.Input<MediaBootInput>;
    /** Target groups the nodes join (RTMP, TURN). */
    targetGroupArns: pulumi.Input<string>[];
    /** Terminate hook timing (see `lifecycleTiming`). */
    lifecycle: LifecycleTiming;
    /** Resources the group waits for before it launches nodes: role grants and boot scripts. */
    bootPrerequisites: pulumi.Input<pulumi.Resource>[];
    /** Value of the `openvidu-ha:deployment` tag. */
    deployment: string;
}

export class MediaNodePool extends pulumi.ComponentResource {
    public readonly autoScalingGroupName: pulumi.Output<string>;
    public readonly launchTemplateId: pulumi.Output<string>;

    constructor(name: string, args: MediaNodePoolArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openvidu-ha:aws:MediaNodePool", name, {}, opts);
        const tags = deploymentTags(args.deployment, "media");
        const template = new ec2.LaunchTemplate(
            `${name}-template`,
            {
                description: `openvidu-ha ${args.deployment} media node`,
                imageId: args.imageId,
                instanceType: args.instanceType,
                keyName: args.keyName,
                iamInstanceProfile: { arn: args.instanceProfileArn },
                networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "true", deleteOnTermination: "true", securityGroups: [args.securityGroupId] }],
                metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 },
                blockDeviceMappings: [
                    { deviceName: "/dev/sda1", ebs: { volumeType: "gp3", volumeSize: args.rootVolumeGb, encrypted: "true", deleteOnTermination: "true" } },
                ],
                userData: pulumi.output(args.boot).apply((boot) => Buffer.from(mediaUserData(boot), "utf8").toString("base64")),
                tagSpecifications: [
                    { resourceType: "instance", tags },
                    { resourceType: "volume", tags },
                ],
                updateDefaultVersion: true,
                tags,
            },
            { parent: this },
        );
        const group = new autoscaling.Group(
            `${name}-group`,
            {
                minSize: args.scaling.min,
                maxSize: args.scaling.max,
                desiredCapacity: args.scaling.initial,
                vpcZoneIdentifiers: [...args.subnetIds],
                // The version number, not "$Latest": a new template version is a change, which starts a refresh.
                launchTemplate: { id: template.id, version: template.latestVersion.apply(String) },
                targetGroupArns: args.targetGroupArns,
                // EC2 health, not the load balancer's: the RTMP (Ingress :9092) and TURN target groups' checks fail
                // when only Ingress or TURN does, and replacing the node would end every session on it. A node that
                // cannot serve at all marks itself unhealthy (boot-media.sh: SetInstanceHealth); a failed instance
                // fails EC2 status checks.
                healthCheckType: "EC2",
                healthCheckGracePeriod: MEDIA_BOOT.healthCheckGracePeriodSeconds,
                instanceRefresh: {
                    strategy: "Rolling",
                    // New nodes first, then the old ones drain through the lifecycle hook: capacity never drops.
                    preferences: { minHealthyPercentage: 100, maxHealthyPercentage: 200, instanceWarmup: "300", skipMatching: true },
                },
                tags: Object.entries(tags).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
            },
            // The scaling policy owns the desired capacity after creation.
            { parent: this, dependsOn: args.bootPrerequisites, ignoreChanges: ["desiredCapacity"] },
        );
        new autoscaling.Policy(
            `${name}-cpu-target`,
            {
                autoscalingGroupName: group.name,
                policyType: "TargetTrackingScaling",
                estimatedInstanceWarmup: MEDIA_BOOT.estimatedWarmupSeconds,
                targetTrackingConfiguration: {
                    predefinedMetricSpecification: { predefinedMetricType: "ASGAverageCPUUtilization" },
                    targetValue: args.scaling.targetCpu,
                },
            },
            { parent: this },
        );
        new autoscaling.LifecycleHook(
            `${name}-drain`,
            {
                autoscalingGroupName: group.name,
                name: LIFECYCLE_HOOK_NAME,
                lifecycleTransition: "autoscaling:EC2_INSTANCE_TERMINATING",
                defaultResult: "CONTINUE",
                heartbeatTimeout: args.lifecycle.heartbeatTimeoutSeconds,
            },
            { parent: this },
        );
        new iam.RolePolicy(
            `${name}-lifecycle`,
            { role: args.roleName, policy: group.arn.apply((arn) => JSON.stringify(mediaLifecyclePolicy(arn))) },
            { parent: this },
        );
        this.autoScalingGroupName = group.name;
        this.launchTemplateId = template.id;
        this.registerOutputs({ autoScalingGroupName: this.autoScalingGroupName, launchTemplateId: this.launchTemplateId });
    }
}
