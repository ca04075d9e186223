/**
 * AWS target: the vendor's CloudFormation deployment as Pulumi components, with stable masters (fixed network
 * interfaces and their own data volumes), parallel boot, a drained scale-in and nothing secret outside the
 * cluster secret. This file only composes: the planning lives in components/aws/plan, the resources in
 * components/aws.
 */
import * as pulumi from "@pulumi/pulumi";
import { getPartitionOutput } from "@pulumi/aws/getPartition";
import { getRegionOutput } from "@pulumi/aws/getRegion";
import { getSubnetOutput } from "@pulumi/aws/ec2/getSubnet";
import { getParameterOutput } from "@pulumi/aws/ssm/getParameter";
import { AwsSettings, LoadedConfig } from "../components/config/settings";
import { CloudflareDns } from "../components/dns/cloudflare-records";
import { Credentials, CredentialValues } from "../components/credentials";
import { cnameRecords, DnsRecordPlan } from "../components/core/dns-records";
import { clusterUrls, ClusterUrls } from "../components/core/urls";
import { BootScripts } from "../components/aws/boot-scripts";
import { Buckets } from "../components/aws/buckets";
import { ClusterSecret } from "../components/aws/cluster-secret";
import { LoadBalancers } from "../components/aws/load-balancers";
import { MasterInterfaces } from "../components/aws/master-interfaces";
import { MasterNodes } from "../components/aws/master-nodes";
import { MediaNodePool } from "../components/aws/media-node-pool";
import { NodeRole } from "../components/aws/node-role";
import { SecurityGroups } from "../components/aws/security-groups";
import { mediaRootVolumeGb, nodeImageParameter } from "../components/aws/plan/architecture";
import { balancerNames, clusterSecretInput, ec2AlarmActions, mediaBootTiming, mediaImageId } from "./aws-wiring";
import { clusterSecretDocument, mediaSecretDocument } from "../components/aws/plan/cluster-secret";
import { secretConsoleUrl } from "../components/aws/plan/console";
import { masterPolicy, mediaBootPolicy } from "../components/aws/plan/iam-policies";
import { listenerPorts, loadBalancerPlan } from "../components/aws/plan/load-balancer";
import { securityRulePlan } from "../components/aws/plan/security-rules";
import { masterSubnets, oneSubnetPerZone, placementWarnings, SubnetPlacement } from "../components/aws/plan/subnets";
import { lifecycleTiming, MASTER_BOOT } from "../components/aws/plan/timing";
import { BOOT_PREFIX, bootDigests, bootFiles } from "../components/aws/plan/user-data";

export interface AwsOutputs {
    target: "aws";
    urls: ClusterUrls;
    credentials: pulumi.Output<CredentialValues>;
    dnsRecords: pulumi.Output<DnsRecordPlan[]>;
    loadBalancerDnsName: pulumi.Output<string>;
    turnLoadBalancerDnsName?: pulumi.Output<string>;
    secretArn: pulumi.Output<string>;
    secretConsoleUrl: pulumi.Output<string>;
    appDataBucket: pulumi.Output<string>;
    clusterDataBucket: pulumi.Output<string>;
    masterPrivateIps: pulumi.Output<string[]>;
    masterPublicIps: pulumi.Output<string[]>;
    masterInstanceIds: pulumi.Output<string[]>;
    masterDataVolumeIds: pulumi.Output<string[]>;
    mediaAutoScalingGroup: pulumi.Output<string>;
}

/** Availability Zone of each subnet, looked up once per id. */
function placements(ids: readonly string[]): pulumi.Output<SubnetPlacement[]> {
    return pulumi.all(ids.map((id) => getSubnetOutput({ id }).availabilityZone.apply((availabilityZone) => ({ id, availabilityZone }))));
}

export function deployAws({ settings: s, secrets }: LoadedConfig<AwsSettings>): AwsOutputs {
    const deployment = `${pulumi.getProject()}-${pulumi.getStack()}`;
    const region = getRegionOutput().region;
    const partition = getPartitionOutput();
    const credentials = new Credentials("credentials", { line: s.line, overrides: secrets.credentialOverrides });

    const masterPlacements = placements(s.masterSubnetIds);
    const mediaPlacements = placements(s.mediaSubnetIds);
    pulumi.all([masterPlacements, mediaPlacements]).apply(([m, media]) => placementWarnings(m, media).forEach((w) => void pulumi.log.warn(w)));

    const lbPlan = loadBalancerPlan(s.turnDomain !== undefined);
    const groups = new SecurityGroups("security-groups", {
        vpcId: s.vpcId,
        rules: securityRulePlan({
            ports: s.line.ports,
            modules: s.modules,
            turnDomain: s.turnDomain !== undefined,
            rtcEngine: s.rtcEngine,
            listenerPorts: listenerPorts(lbPlan),
            sshAllowedCidrs: s.sshAllowedCidrs,
        }),
        deployment,
    });
    const buckets = new Buckets("buckets", {
        existingAppData: s.appDataBucketName,
        existingClusterData: s.clusterDataBucketName,
        partition: partition.partition,
        deployment,
    });
    const interfaces = new MasterInterfaces("master-interfaces", {
        subnetIds: masterSubnets(s.masterSubnetIds),
        securityGroupId: groups.ids.master,
        deployment,
    });
    const masterPrivateIps = pulumi.all(interfaces.masters.map((m) => m.privateIp));

    const secretInput = pulumi
        .all([masterPrivateIps, credentials.values, secrets.license])
        .apply(([ips, creds, license]) => clusterSecretInput(s, ips, creds, license));
    const secret = new ClusterSecret("cluster-secret", {
        document: pulumi.secret(secretInput.apply(clusterSecretDocument)),
        purpose: "service URLs and credentials (vendor keys) and the master installer inputs; read by masters",
        deployment,
    });
    const mediaSecret = new ClusterSecret("media-secret", {
        document: pulumi.secret(secretInput.apply(mediaSecretDocument)),
        purpose: "the media installer inputs (Redis password, master list); read by media nodes",
        deployment,
    });
    const files = bootFiles();
    const bootScripts = new BootScripts("boot-scripts", { bucket: buckets.clusterData.name, files, deployment });

    const bootAccess = (secretArn: pulumi.Output<string>) =>
        pulumi.all([secretArn, buckets.clusterData.arn]).apply(([arn, bootBucketArn]) => ({ secretArn: arn, bootBucketArn, bootPrefix: BOOT_PREFIX }));
    const masterRole = new NodeRole("masters-iam", {
        policy: pulumi
            .all([bootAccess(secret.arn), buckets.appData.arn, buckets.clusterData.arn])
            .apply(([boot, appDataArn, clusterDataArn]) => masterPolicy(boot, { appDataArn, clusterDataArn })),
        deployment,
    });
    const mediaRole = new NodeRole("media-iam", {
        policy: pulumi.all([bootAccess(mediaSecret.arn), buckets.appData.arn]).apply(([boot, appDataArn]) => mediaBootPolicy(boot, appDataArn)),
        deployment,
    });

    const balancers = new LoadBalancers("nlb", {
        plan: lbPlan,
        vpcId: s.vpcId,
        mainSubnetIds: masterPlacements.apply(oneSubnetPerZone),
        turnSubnetIds: mediaPlacements.apply(oneSubnetPerZone),
        securityGroupId: groups.ids.loadBalancer,
        certificateArn: s.certificateArn,
        turnCertificateArn: s.turnCertificateArn,
        deployment,
    });
    const targetGroups = (role: "master" | "media") => balancers.targetGroups.filter((tg) => tg.role === role);

    const location = {
        region,
        dnsSuffix: partition.dnsSuffix,
        bootBucket: buckets.clusterData.name,
        bootDigests: bootDigests(files),
        bootRevision: bootScripts.revision,
    };
    const alarmActions = pulumi.all([partition.partition, region]).apply(([p, r]) => ec2AlarmActions(p, r));
    const masters = new MasterNodes("masters", {
        interfaces: interfaces.masters,
        // The interface's subnet, not the configured one: interfaces keep theirs (see MasterInterfaces).
        availabilityZones: interfaces.masters.map((m) => getSubnetOutput({ id: m.subnetId }).availabilityZone),
        amiId: s.amiId ?? getParameterOutput({ name: nodeImageParameter(s.masterInstanceType) }).value,
        instanceType: s.masterInstanceType,
        keyName: s.keyName,
        instanceProfileName: masterRole.instanceProfileName,
        dataVolumeSizeGb: s.masterDiskSizeGb,
        retainVolumes: s.retainVolumes,
        boot: pulumi.output({
            ...location,
            secretId: secret.arn,
            appDataBucket: buckets.appData.name,
            clusterDataBucket: buckets.clusterData.name,
            healthTimeoutSeconds: MASTER_BOOT.healthTimeoutSeconds,
        }),
        bootPrerequisites: [secret.version, ...bootScripts.objects, ...masterRole.grants],
        targetGroups: targetGroups("master"),
        alarmActions: {
            recover: alarmActions.apply((a) => a.recover),
            reboot: alarmActions.apply((a) => a.reboot),
        },
        deployment,
    });

    const lifecycle = lifecycleTiming(s.drainTimeoutMinutes);
    const media = new MediaNodePool("media", {
        subnetIds: s.mediaSubnetIds,
        securityGroupId: groups.ids.media,
        imageId: mediaImageId(s),
        rootVolumeGb: mediaRootVolumeGb(s.mediaInstanceType),
        instanceType: s.mediaInstanceType,
        keyName: s.keyName,
        instanceProfileArn: mediaRole.instanceProfileArn,
        roleName: mediaRole.roleName,
        scaling: s.mediaScaling,
        boot: pulumi.output({
            ...location,
            secretId: mediaSecret.arn,
            secretVersionId: mediaSecret.versionId,
            masterPrivateIps,
            ...mediaBootTiming(lifecycle),
        }),
        targetGroupArns: targetGroups("media").map((tg) => tg.arn),
        lifecycle,
        bootPrerequisites: [mediaSecret.version, ...bootScripts.objects, ...mediaRole.grants],
        deployment,
    });

    const records = cnameRecords<pulumi.Input<string>>(balancerNames<pulumi.Input<string>>(s, balancers.dnsName, balancers.turnDnsName), s.dns.ttl);
    if (s.dns.provider === "cloudflare") {
        new CloudflareDns("dns", { zoneId: s.dns.cloudflareZoneId!, records });
    }

    return {
        target: "aws",
        urls: clusterUrls(s.domain, s.line, s.modules),
        credentials: credentials.values,
        dnsRecords: pulumi.output(records),
        loadBalancerDnsName: balancers.dnsName,
        ...(balancers.turnDnsName ? { turnLoadBalancerDnsName: balancers.turnDnsName } : {}),
        secretArn: secret.arn,
        secretConsoleUrl: pulumi.all([partition.partition, region, secret.name]).apply(([p, r, name]) => secretConsoleUrl(p, r, name)),
        appDataBucket: buckets.appData.name,
        clusterDataBucket: buckets.clusterData.name,
        masterPrivateIps,
        masterPublicIps: pulumi.all(interfaces.masters.map((m) => m.publicIp)),
        masterInstanceIds: pulumi.all(masters.instanceIds),
        masterDataVolumeIds: pulumi.all(masters.dataVolumeIds),
        mediaAutoScalingGroup: media.autoScalingGroupName,
    };
}
