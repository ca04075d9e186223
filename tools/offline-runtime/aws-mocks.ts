/**
 * Deterministic outputs of the AWS resources and invokes the AWS target uses: what AWS would assign (IPs, ARNs,
 * DNS names, autonamed names, version ids), derived from the logical name (or the inputs) with a hash, so every
 * offline run gives the same values. The account is 123456789012 and addresses come from documentation ranges.
 */
import * as crypto from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { registerMockInvoke, registerMockState } from "./mock-state";
import { unwrapWireValue } from "./secrets";

export const MOCK_ACCOUNT = "123456789012";

const hex = (text: string, length: number) => crypto.createHash("sha256").update(text).digest("hex").slice(0, length);
const byte = (text: string, i: number) => parseInt(hex(text, 2 * (i + 1)).slice(2 * i, 2 * i + 2), 16);

/** The configured region (aws:region), or eu-west-1. */
export function mockRegion(): string {
    return pulumi.runtime.getConfig("aws:region") ?? "eu-west-1";
}

const arn = (service: string, resource: string, region = mockRegion()) => `arn:aws:${service}:${region}:${MOCK_ACCOUNT}:${resource}`;

/** Pulumi's autonaming: the logical name and a 7-character suffix. */
const autoName = (name: string) => `${name}-${hex(name, 7)}`;

/** A private address in 10.0.0.0/8, one per name. */
const privateIp = (name: string) => `10.${byte(name, 0)}.${byte(name, 1)}.${(byte(name, 2) % 250) + 4}`;

/** A public address in TEST-NET-3 (203.0.113.0/24). */
const publicIp = (name: string) => `203.0.113.${(byte(name, 0) % 250) + 1}`;

registerMockState("aws:ec2/networkInterface:NetworkInterface", (name) => ({
    privateIp: privateIp(name),
    privateIps: [privateIp(name)],
    macAddress: `02:00:00:${hex(name, 6).replace(/(..)(?!$)/g, "$1:")}`,
}));
registerMockState("aws:ec2/eip:Eip", (name) => ({ publicIp: publicIp(name), allocationId: `eipalloc-${hex(name, 17)}` }));
registerMockState("aws:ec2/instance:Instance", (name) => ({ arn: arn("ec2", `instance/i-${hex(name, 17)}`) }));
registerMockState("aws:ebs/volume:Volume", (name) => ({ arn: arn("ec2", `volume/vol-${hex(name, 17)}`) }));
registerMockState("aws:ec2/securityGroup:SecurityGroup", (name, inputs) => ({
    arn: arn("ec2", `security-group/sg-${hex(name, 17)}`),
    name: inputs.name ?? autoName(name),
}));
registerMockState("aws:ec2/launchTemplate:LaunchTemplate", (name, inputs) => ({
    arn: arn("ec2", `launch-template/lt-${hex(name, 17)}`),
    name: inputs.name ?? autoName(name),
    latestVersion: 1,
    defaultVersion: 1,
}));
registerMockState("aws:lb/loadBalancer:LoadBalancer", (name) => {
    const lbName = autoName(name).slice(0, 32);
    return {
        name: lbName,
        arn: arn("elasticloadbalancing", `loadbalancer/net/${lbName}/${hex(name, 16)}`),
        arnSuffix: `net/${lbName}/${hex(name, 16)}`,
        dnsName: `${lbName}-${hex(name, 10)}.elb.${mockRegion()}.amazonaws.com`,
        zoneId: "Z2IFOLAFXWLO4F",
    };
});
registerMockState("aws:lb/targetGroup:TargetGroup", (name) => {
    const tgName = autoName(name).slice(0, 32);
    return { name: tgName, arn: arn("elasticloadbalancing", `targetgroup/${tgName}/${hex(name, 16)}`), arnSuffix: `targetgroup/${tgName}/${hex(name, 16)}` };
});
registerMockState("aws:lb/listener:Listener", (name) => ({ arn: arn("elasticloadbalancing", `listener/net/${hex(name, 16)}`) }));
registerMockState("aws:autoscaling/group:Group", (name, inputs) => {
    const groupName = inputs.name ?? autoName(name);
    return { name: groupName, arn: arn("autoscaling", `autoScalingGroup:${hex(name, 8)}-0000-4000-8000-${hex(name, 12)}:autoScalingGroupName/${groupName}`) };
});
registerMockState("aws:autoscaling/policy:Policy", (name, inputs) => ({
    name: inputs.name ?? autoName(name),
    arn: arn("autoscaling", `scalingPolicy:${hex(name, 8)}:policyName/${name}`),
}));
registerMockState("aws:secretsmanager/secret:Secret", (name, inputs) => {
    const secretName = inputs.name ?? autoName(name);
    return { name: secretName, arn: arn("secretsmanager", `secret:${secretName}-${hex(name, 6)}`) };
});
// A new version id whenever the content changes, as Secrets Manager does.
registerMockState("aws:secretsmanager/secretVersion:SecretVersion", (_name, inputs) => {
    const content = String(unwrapWireValue(inputs.secretString, true));
    const h = hex(content, 32);
    return { versionId: `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}` };
});
registerMockState("aws:s3/bucket:Bucket", (name, inputs) => {
    const bucket = inputs.bucket ?? autoName(name);
    return { bucket, arn: `arn:aws:s3:::${bucket}`, bucketDomainName: `${bucket}.s3.amazonaws.com` };
});
registerMockState("aws:s3/bucketObjectv2:BucketObjectv2", (name) => ({ etag: hex(name, 32), versionId: "" }));
registerMockState("aws:iam/role:Role", (name, inputs) => {
    const roleName = inputs.name ?? autoName(name);
    return { name: roleName, arn: `arn:aws:iam::${MOCK_ACCOUNT}:role/${roleName}`, uniqueId: `AROA${hex(name, 17).toUpperCase()}` };
});
registerMockState("aws:iam/instanceProfile:InstanceProfile", (name, inputs) => {
    const profileName = inputs.name ?? autoName(name);
    return { name: profileName, arn: `arn:aws:iam::${MOCK_ACCOUNT}:instance-profile/${profileName}` };
});
registerMockState("aws:cloudwatch/metricAlarm:MetricAlarm", (name) => ({ arn: arn("cloudwatch", `alarm:${autoName(name)}`) }));

registerMockInvoke("aws:index/getRegion:getRegion", () => {
    const region = mockRegion();
    return { region, name: region, id: region, endpoint: `ec2.${region}.amazonaws.com`, description: region };
});
registerMockInvoke("aws:index/getPartition:getPartition", () => ({
    partition: "aws",
    dnsSuffix: "amazonaws.com",
    id: "aws",
    reverseDnsPrefix: "com.amazonaws",
}));
/** Subnets ending in 1, 2, 3, 4 land in zones b, c, d, a: a fixture's 4 subnets get 4 distinct zones. */
registerMockInvoke("aws:ec2/getSubnet:getSubnet", (inputs) => {
    const id = String(inputs.id);
    const zone = "abcd"[parseInt(id.slice(-1), 16) % 4];
    return { id, availabilityZone: `${mockRegion()}${zone}`, vpcId: "vpc-0a1b2c3d4e5f60718", cidrBlock: `10.${byte(id, 0)}.0.0/20`, mapPublicIpOnLaunch: true };
});
/** The value the getParameter mock returns for a parameter: an AMI id derived from its name. */
export const mockParameterValue = (name: string) => `ami-${hex(name, 17)}`;

registerMockInvoke("aws:ssm/getParameter:getParameter", (inputs) => ({
    name: inputs.name,
    type: "String",
    value: mockParameterValue(String(inputs.name)),
    version: 1,
}));
// Route 53 (on-prem DNS): the record's fqdn is its name; health checks get an ARN.
registerMockState("aws:route53/record:Record", (_name, inputs) => ({ fqdn: String(inputs.name).replace(/\.$/, "") }));
registerMockState("aws:route53/healthCheck:HealthCheck", (name) => ({ arn: `arn:aws:route53:::healthcheck/${hex(name, 8)}-${hex(name, 12).slice(8)}` }));
