/**
 * The 4 master instances. Each boots on its own pre-created network interface (stable private IP) with its own
 * encrypted gp3 data volume, so a replaced master keeps its IP and its data; none waits for another (all boot in
 * parallel). CloudWatch alarms recover a master whose host fails and reboot one whose OS stops answering: both
 * keep the instance id, interface and volumes.
 */
import * as pulumi from "@pulumi/pulumi";
import * as ebs from "@pulumi/aws/ebs";
import * as ec2 from "@pulumi/aws/ec2";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as lb from "@pulumi/aws/lb";
import { MasterInterface } from "./master-interfaces";
import { MasterBootInput, masterUserData } from "./plan/user-data";
import { deploymentTags } from "./plan/tags";

/** Root volume: OS and Docker images; OpenVidu's data lives on the data volume. */
export const MASTER_ROOT_VOLUME_GB = 50;
/** Where the data volume is attached (NVMe instances show it as /dev/nvme*n1, found by volume id at boot). */
export const DATA_VOLUME_DEVICE = "/dev/sdf";

export interface MasterNodesArgs {
    /** The 4 masters' interfaces (see MasterInterfaces), in master order. */
    interfaces: readonly MasterInterface[];
    /** Availability Zone of each master's subnet, in master order (the data volume must be in the same zone). */
    availabilityZones: readonly pulumi.Input<string>[];
    /** AMI at creation. Later AMI changes are ignored (see below). */
    amiId: pulumi.Input<string>;
    /** EC2 instance type, e.g. c6a.xlarge; its architecture must match the AMI. */
    instanceType: string;
    /** Optional EC2 key pair for SSH (SSH is reachable only from sshAllowedCidrs). */
    keyName?: string;
    /** Instance profile of the master role. */
    instanceProfileName: pulumi.Input<string>;
    /** Size of each master's data volume in GB (at least 50). */
    dataVolumeSizeGb: number;
    /** Keep the data volumes when the stack is destroyed. */
    retainVolumes: boolean;
    /** Boot settings shared by the 4 masters (the label and volume id are added per master). */
    boot: pulumi.Input<Omit<MasterBootInput, "label" | "dataVolumeId">>;
    /** Resources every master waits for before it boots: the secret version, boot scripts and role grants. */
    bootPrerequisites: pulumi.Input<pulumi.Resource>[];
    /** Target groups every master joins, with the port it receives on. */
    targetGroups: readonly { key: string; arn: pulumi.Input<string>; port: number }[];
    /** Alarm action ARNs: `arn:<partition>:automate:<region>:ec2:recover` and `...:ec2:reboot`. */
    alarmActions: { recover: pulumi.Input<string>; reboot: pulumi.Input<string> };
    /** Value of the `openvidu-ha:deployment` tag. */
    deployment: string;
}

export interface MasterNode {
    label: string;
    instance: ec2.Instance;
    dataVolume: ebs.Volume;
}

export class MasterNodes extends pulumi.ComponentResource {
    public readonly nodes: MasterNode[];
    public readonly instanceIds: pulumi.Output<string>[];
    public readonly dataVolumeIds: pulumi.Output<string>[];

    constructor(name: string, args: MasterNodesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openvidu-ha:aws:MasterNodes", name, {}, opts);
        if (args.interfaces.length !== 4 || args.availabilityZones.length !== 4) {
            throw new Error(`MasterNodes ${name}: exactly 4 masters are required, got ${args.interfaces.length}`);
        }
        this.nodes = args.interfaces.map((eni, i) => this.master(`${name}-${i + 1}`, eni, args.availabilityZones[i], args));
        this.instanceIds = this.nodes.map((n) => n.instance.id);
        this.dataVolumeIds = this.nodes.map((n) => n.dataVolume.id);
        this.registerOutputs({ instanceIds: this.instanceIds, dataVolumeIds: this.dataVolumeIds });
    }

    private master(name: string, eni: MasterInterface, zone: pulumi.Input<string>, args: MasterNodesArgs): MasterNode {
        const tags = deploymentTags(args.deployment, eni.label);
        const dataVolume = new ebs.Volume(
            `${name}-data`,
            { availabilityZone: zone, size: args.dataVolumeSizeGb, type: "gp3", encrypted: true, tags: deploymentTags(args.deployment, `${eni.label} data`) },
            { parent: this, retainOnDelete: args.retainVolumes },
        );
        const instance = new ec2.Instance(
            name,
            {
                ami: args.amiId,
                instanceType: args.instanceType,
                keyName: args.keyName,
                iamInstanceProfile: args.instanceProfileName,
                primaryNetworkInterface: { networkInterfaceId: eni.networkInterface.id },
                metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 },
                rootBlockDevice: { volumeType: "gp3", volumeSize: MASTER_ROOT_VOLUME_GB, encrypted: true, deleteOnTermination: true, tags },
                maintenanceOptions: { autoRecovery: "default" },
                userData: pulumi
                    .all([args.boot, dataVolume.id])
                    .apply(([boot, volumeId]) => masterUserData({ ...boot, label: eni.label, dataVolumeId: volumeId })),
                tags,
            },
            {
                parent: this,
                dependsOn: args.bootPrerequisites,
                // The interface can only be attached to one instance: the old one goes first.
                deleteBeforeReplace: true,
                // A new Ubuntu AMI or boot text must not stop or replace all 4 masters at once; a master takes
                // them when it is rebuilt (its boot scripts are fetched fresh from S3 either way).
                ignoreChanges: ["ami", "userData"],
            },
        );
        new ec2.VolumeAttachment(
            `${name}-data-attachment`,
            { deviceName: DATA_VOLUME_DEVICE, instanceId: instance.id, volumeId: dataVolume.id, stopInstanceBeforeDetaching: true },
            { parent: this },
        );
        this.alarm(
            `${name}-recover`,
            instance,
            "StatusCheckFailed_System",
            2,
            args.alarmActions.recover,
            `${eni.label}: recover on a failed host (keeps instance id, IP and volumes)`,
            args.deployment,
        );
        this.alarm(
            `${name}-reboot`,
            instance,
            "StatusCheckFailed_Instance",
            3,
            args.alarmActions.reboot,
            `${eni.label}: reboot when the OS stops answering status checks`,
            args.deployment,
        );
        for (const tg of args.targetGroups) {
            new lb.TargetGroupAttachment(`${name}-${tg.key}`, { targetGroupArn: tg.arn, targetId: instance.id, port: tg.port }, { parent: this });
        }
        return { label: eni.label, instance, dataVolume };
    }

    private alarm(
        name: string,
        instance: ec2.Instance,
        metricName: string,
        periods: number,
        action: pulumi.Input<string>,
        description: string,
        deployment: string,
    ): void {
        new cloudwatch.MetricAlarm(
            name,
            {
                alarmDescription: `openvidu-ha ${deployment} ${description}`,
                namespace: "AWS/EC2",
                metricName,
                dimensions: { InstanceId: instance.id },
                statistic: "Maximum",
                period: 60,
                evaluationPeriods: periods,
                threshold: 1,
                comparisonOperator: "GreaterThanOrEqualToThreshold",
                alarmActions: [action],
                tags: deploymentTags(deployment),
            },
            { parent: this },
        );
    }
}
