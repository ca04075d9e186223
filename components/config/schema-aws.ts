/** AWS keys: network, certificates, instance types, media scaling and storage. */
import { z } from "zod";
import { isCidr, isIpAddress } from "./formats";
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
    });

export const awsShape = {
    vpcId: requiredString().regex(/^vpc-[0-9a-f]{8,17}$/, { error: "must be a VPC id (vpc-0123abcd...)" }),
    masterSubnetIds: subnetIds("master").refine((ids) => ids.length <= 4, { error: "must list at most 4 subnets (one per master)" }),
    mediaSubnetIds: subnetIds("media"),
    certificateArn: acmArn("domain"),
    turnCertificateArn: acmArn("turnDomain").optional(),
    masterInstanceType: instanceType.default("c6a.xlarge"),
    mediaInstanceType: instanceType.default("c6a.xlarge"),
    keyName: z.string().min(1).max(255, { error: "must be at most 255 characters" }).optional(),
    amiId: z.string().regex(/^ami-[0-9a-f]{8,17}$/, { error: "must be an AMI id (ami-0123abcd...)" }).optional(),
    initialMediaNodes: integerIn(1, 100).default(1),
    minMediaNodes: integerIn(1, 100).default(1),
    maxMediaNodes: integerIn(1, 100).default(5),
    scaleTargetCpu: integerIn(1, 100).default(50),
    masterDiskSizeGb: integerIn(50, 16384).default(100),
    retainVolumes: z.boolean().default(true),
    sshAllowedCidrs: z
        .array(z.string().refine((v) => isCidr(v), { error: "must be a CIDR such as 198.51.100.0/24" }))
        .default([]),
    appDataBucketName: bucketName.optional(),
    clusterDataBucketName: bucketName.optional(),
};

type AwsValues = Checked<typeof awsShape>;

/** Rules across AWS keys. `given(key)` is true when the key is configured, even if its value failed its check. */
export function checkAws(v: AwsValues, issue: Issue, given: (key: string) => boolean): void {
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
}
