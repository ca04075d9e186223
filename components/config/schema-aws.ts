/** AWS keys: network, certificates, instance types, media scaling and storage. */
import { z } from "zod";
import { architectureOf } from "../aws/plan/architecture";
import { MAX_AWS_DRAIN_MINUTES } from "../aws/plan/timing";
import { cidrNetwork, isCidr, isIpAddress } from "./formats";
import { Checked, integerIn, Issue, requiredString } from "./schema-common";

const ACM_ARN = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/;
const SUBNET_ID = /^subnet-[0-9a-f]{8,17}$/;
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/;

const acmArn = (what: string) =>
    requiredString().regex(ACM_ARN, { error: `must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>) for ${what}` });

const subnetIds = (what: string) =>
    z
        .array(z.string().regex(SUBNET_ID, { error: "must be a subnet id (subnet-0123abcd...)" }), {
            error: (i) => (i.input === undefined ? `is required: a list of ${what} subnet ids` : "must be a list of subnet ids"),
        })
        .min(1, { error: `must list at least 1 ${what} subnet` })
        .refine((ids) => new Set(ids).size === ids.length, { error: "lists a subnet more than once" });

const instanceType = z.string().regex(INSTANCE_TYPE, { error: "must be an EC2 instance type such as c6a.xlarge" });

/** S3 bucket naming rules (3-63 chars, lowercase, digits, dots, hyphens; not an IP address). */
const bucketName = z
    .string()
    .refine((v) => /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(v) && !v.includes("..") && !isIpAddress(v), {
        error: "must be a valid S3 bucket name (3-63 lowercase letters, digits, dots or hyphens)",
    })
    // OpenVidu and the boot scripts address buckets virtual-hosted style over HTTPS (<bucket>.s3.<region>...),
    // where a dot in the name breaks the certificate match.
    .refine((v) => !v.includes("."), { error: "must not contain dots: nodes reach the bucket at https://<bucket>.s3.<region>.amazonaws.com" });

export const awsShape = {
    vpcId: requiredString().regex(/^vpc-[0-9a-f]{8,17}$/, { error: "must be a VPC id (vpc-0123abcd...)" }),
    masterSubnetIds: subnetIds("master").refine((ids) => ids.length <= 4, { error: "must list at most 4 subnets (one per master)" }),
    mediaSubnetIds: subnetIds("media"),
    certificateArn: acmArn("domain"),
    turnCertificateArn: acmArn("turnDomain").optional(),
    masterInstanceType: instanceType.default("c6a.xlarge"),
    mediaInstanceType: instanceType.default("c6a.xlarge"),
    keyName: z.string().min(1, { error: "must not be empty" }).max(255, { error: "must be at most 255 characters" }).optional(),
    amiId: z
        .string()
        .regex(/^ami-[0-9a-f]{8,17}$/, { error: "must be an AMI id (ami-0123abcd...)" })
        .optional(),
    initialMediaNodes: integerIn(1, 100).default(1),
    minMediaNodes: integerIn(1, 100).default(1),
    maxMediaNodes: integerIn(1, 100).default(5),
    scaleTargetCpu: integerIn(1, 100).default(50),
    masterDiskSizeGb: integerIn(50, 16384).default(100),
    retainVolumes: z.boolean().default(true),
    sshAllowedCidrs: z
        .array(
            z
                .string()
                .refine((v) => isCidr(v), { error: "must be a CIDR such as 198.51.100.0/24" })
                // 198.51.100.7/24 is most likely a host meant as /32, or a typo: say which network it would open.
                .refine((v) => !isCidr(v) || cidrNetwork(v) === v, {
                    error: (i) => `${String(i.input)} has host bits set: write the network, ${cidrNetwork(String(i.input))}`,
                }),
        )
        .refine((cidrs) => new Set(cidrs).size === cidrs.length, { error: "lists a CIDR more than once" })
        .default([]),
    appDataBucketName: bucketName.optional(),
    clusterDataBucketName: bucketName.optional(),
};

type AwsValues = Checked<typeof awsShape>;

/** CIDRs that open a port to every address. */
const WORLD_CIDRS = new Set(["0.0.0.0/0", "::/0"]);

/** Allowed but risky AWS settings, one warning each, naming the key. */
export function awsWarnings(v: AwsValues): string[] {
    return (v.sshAllowedCidrs ?? []).flatMap((cidr, i) =>
        WORLD_CIDRS.has(cidr)
            ? [`sshAllowedCidrs[${i}]: ${cidr} opens SSH on every node to the whole internet; prefer your operators' networks (or Session Manager)`]
            : [],
    );
}

/**
 * Rules across AWS keys (and the common drainTimeoutMinutes, bounded tighter on AWS). `given(key)` is true when
 * the key is configured, even if its value failed its check. `region` is the stack's (aws:region), when known.
 */
export function checkAws(
    v: AwsValues & { drainTimeoutMinutes?: number; dnsProvider?: string },
    issue: Issue,
    given: (key: string) => boolean,
    region?: string,
): void {
    if (v.dnsProvider === "route53") {
        issue(["dnsProvider"], "route53 is only supported with target onprem (use cloudflare or none)");
    }
    const { minMediaNodes: min, initialMediaNodes: initial, maxMediaNodes: max } = v;
    if (min !== undefined && max !== undefined && min > max) {
        issue(["minMediaNodes"], `(${min}) must not exceed maxMediaNodes (${max})`);
    }
    if (initial !== undefined && min !== undefined && max !== undefined && (initial < min || initial > max)) {
        issue(["initialMediaNodes"], `(${initial}) must be between minMediaNodes (${min}) and maxMediaNodes (${max})`);
    }
    if (given("turnDomain") && !given("turnCertificateArn")) {
        issue(["turnCertificateArn"], "is required when turnDomain is set");
    }
    if (!given("turnDomain") && given("turnCertificateArn")) {
        issue(["turnCertificateArn"], "is only used with turnDomain");
    }
    if (v.appDataBucketName !== undefined && v.appDataBucketName === v.clusterDataBucketName) {
        issue(["clusterDataBucketName"], "must differ from appDataBucketName");
    }
    const certRegion = (arn: string | undefined) => arn?.split(":")[3];
    for (const key of ["certificateArn", "turnCertificateArn"] as const) {
        const inRegion = certRegion(v[key]);
        if (region !== undefined && inRegion !== undefined && inRegion !== region) {
            issue([key], `is in ${inRegion}, but the stack deploys to ${region} (aws:region): the load balancer takes certificates of its own region`);
        }
    }
    // Without a known stack region, at least both certificates must share one.
    if (
        region === undefined &&
        v.certificateArn !== undefined &&
        v.turnCertificateArn !== undefined &&
        certRegion(v.certificateArn) !== certRegion(v.turnCertificateArn)
    ) {
        issue(
            ["turnCertificateArn"],
            `must be in the region of certificateArn (${certRegion(v.certificateArn)}): both load balancers take certificates of their own region`,
        );
    }
    if (v.amiId !== undefined && v.masterInstanceType !== undefined && v.mediaInstanceType !== undefined) {
        const master = architectureOf(v.masterInstanceType);
        const media = architectureOf(v.mediaInstanceType);
        if (master !== media) {
            issue(
                ["amiId"],
                `one image cannot serve masterInstanceType ${v.masterInstanceType} (${master}) and mediaInstanceType ${v.mediaInstanceType} (${media}): use instance types of one architecture, or leave amiId unset to get Ubuntu 24.04 for each`,
            );
        }
    }
    const drainMinutes = v.drainTimeoutMinutes;
    if (given("drainTimeoutMinutes") && drainMinutes !== undefined && drainMinutes > MAX_AWS_DRAIN_MINUTES) {
        issue(
            ["drainTimeoutMinutes"],
            `(${drainMinutes}) must be at most ${MAX_AWS_DRAIN_MINUTES} on AWS: the terminate hook lasts at most 48 hours, 10 minutes of which stop the node and complete the hook`,
        );
    }
}
