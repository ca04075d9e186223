/** Validation of the AWS keys: every rule with its exact message, each naming its key. */
import * as assert from "assert";
import { awsConfig } from "../../support/fixtures";
import { problemsOf } from "../../support/validation";

const CERT = (region: string) => `arn:aws:acm:${region}:123456789012:certificate/11111111-2222-3333-4444-555555555555`;
const S = (n: string) => `subnet-0a1b2c3d${n}`;

describe("validation: AWS keys", () => {
    it("accepts the fixture and the all-options stack", () => {
        assert.deepStrictEqual(problemsOf(awsConfig()), []);
        assert.deepStrictEqual(
            problemsOf(
                awsConfig({
                    turnDomain: "turn.example.com",
                    turnCertificateArn: CERT("eu-west-1"),
                    sshAllowedCidrs: ["198.51.100.0/24", "2001:db8::/32"],
                    keyName: "ops",
                    amiId: "ami-0123456789abcdef0",
                    appDataBucketName: "rec-bucket",
                    clusterDataBucketName: "cluster-bucket",
                }),
            ),
            [],
        );
    });

    it("requires the VPC, subnets and certificate", () => {
        assert.deepStrictEqual(problemsOf(awsConfig({ vpcId: undefined, masterSubnetIds: undefined, mediaSubnetIds: undefined, certificateArn: undefined })), [
            "vpcId: is required",
            "masterSubnetIds: is required: a list of master subnet ids",
            "mediaSubnetIds: is required: a list of media subnet ids",
            "certificateArn: is required",
        ]);
    });

    it("rejects malformed ids and ARNs", () => {
        assert.deepStrictEqual(
            problemsOf(
                awsConfig({
                    vpcId: "vpc-xyz",
                    masterSubnetIds: ["subnet-1", S("01")],
                    certificateArn: "arn:aws:acm:eu-west-1:123:certificate/x",
                    amiId: "ami-zz",
                }),
            ),
            [
                "vpcId: must be a VPC id (vpc-0123abcd...)",
                "masterSubnetIds[0]: must be a subnet id (subnet-0123abcd...)",
                "certificateArn: must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>) for domain",
                "amiId: must be an AMI id (ami-0123abcd...)",
            ],
        );
        assert.deepStrictEqual(problemsOf(awsConfig({ turnDomain: "turn.example.com", turnCertificateArn: "arn:aws:iam::123456789012:role/x" })), [
            "turnCertificateArn: must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>) for turnDomain",
        ]);
    });

    it("takes 1 to 4 master subnets and at least 1 media subnet, each once", () => {
        assert.deepStrictEqual(problemsOf(awsConfig({ masterSubnetIds: ["01", "02", "03", "04", "05"].map(S), mediaSubnetIds: [] })), [
            "masterSubnetIds: must list at most 4 subnets (one per master)",
            "mediaSubnetIds: must list at least 1 media subnet",
        ]);
        assert.deepStrictEqual(problemsOf(awsConfig({ masterSubnetIds: [S("01"), S("01")], mediaSubnetIds: [S("02"), S("02")] })), [
            "masterSubnetIds: lists a subnet more than once",
            "mediaSubnetIds: lists a subnet more than once",
        ]);
        assert.deepStrictEqual(problemsOf(awsConfig({ masterSubnetIds: [S("01")] })), []);
    });

    it("rejects malformed instance types and an empty key pair name", () => {
        assert.deepStrictEqual(problemsOf(awsConfig({ masterInstanceType: "huge", mediaInstanceType: "C6A.XLARGE", keyName: "" })), [
            "masterInstanceType: must be an EC2 instance type such as c6a.xlarge",
            "mediaInstanceType: must be an EC2 instance type such as c6a.xlarge",
            "keyName: must not be empty",
        ]);
    });

    it("requires minMediaNodes <= initialMediaNodes <= maxMediaNodes", () => {
        assert.deepStrictEqual(problemsOf(awsConfig({ minMediaNodes: "3", maxMediaNodes: "2", initialMediaNodes: "5" })), [
            "minMediaNodes: (3) must not exceed maxMediaNodes (2)",
            "initialMediaNodes: (5) must be between minMediaNodes (3) and maxMediaNodes (2)",
        ]);
        assert.deepStrictEqual(problemsOf(awsConfig({ minMediaNodes: "2", initialMediaNodes: "1" })), [
            "initialMediaNodes: (1) must be between minMediaNodes (2) and maxMediaNodes (5)",
        ]);
        assert.deepStrictEqual(problemsOf(awsConfig({ minMediaNodes: "2", initialMediaNodes: "2", maxMediaNodes: "2" })), []);
    });

    it("bounds the sizes, the CPU target (1..100) and the master disk (at least 50 GB)", () => {
        assert.deepStrictEqual(problemsOf(awsConfig({ initialMediaNodes: "0", maxMediaNodes: "101", scaleTargetCpu: "0", masterDiskSizeGb: "49" })), [
            "initialMediaNodes: must be between 1 and 100",
            "maxMediaNodes: must be between 1 and 100",
            "scaleTargetCpu: must be between 1 and 100",
            "masterDiskSizeGb: must be between 50 and 16384",
        ]);
        assert.deepStrictEqual(problemsOf(awsConfig({ scaleTargetCpu: "101" })), ["scaleTargetCpu: must be between 1 and 100"]);
        assert.deepStrictEqual(problemsOf(awsConfig({ scaleTargetCpu: "100", masterDiskSizeGb: "50" })), []);
    });

    it("types numbers and booleans", () => {
        assert.deepStrictEqual(problemsOf(awsConfig({ retainVolumes: "yes", initialMediaNodes: "1.5" })), [
            "retainVolumes: must be true or false",
            "initialMediaNodes: must be an integer",
        ]);
    });

    it("takes SSH CIDRs, each once", () => {
        assert.deepStrictEqual(problemsOf(awsConfig({ sshAllowedCidrs: ["198.51.100.0/24", "198.51.100.0/24", "10.0.0.1"] })), [
            "sshAllowedCidrs[2]: must be a CIDR such as 198.51.100.0/24",
            "sshAllowedCidrs: lists a CIDR more than once",
        ]);
    });

    it("checks existing bucket names: S3 rules, no dots (virtual-hosted HTTPS), two different buckets", () => {
        assert.deepStrictEqual(problemsOf(awsConfig({ appDataBucketName: "My_Bucket", clusterDataBucketName: "a.b.c" })), [
            "appDataBucketName: must be a valid S3 bucket name (3-63 lowercase letters, digits, dots or hyphens)",
            "clusterDataBucketName: must not contain dots: nodes reach the bucket at https://<bucket>.s3.<region>.amazonaws.com",
        ]);
        assert.deepStrictEqual(problemsOf(awsConfig({ appDataBucketName: "same-bucket", clusterDataBucketName: "same-bucket" })), [
            "clusterDataBucketName: must differ from appDataBucketName",
        ]);
    });

    it("pairs turnDomain with turnCertificateArn, in the region of certificateArn (when the stack's region is unknown)", () => {
        assert.deepStrictEqual(problemsOf(awsConfig({ turnDomain: "turn.example.com" })), ["turnCertificateArn: is required when turnDomain is set"]);
        assert.deepStrictEqual(problemsOf(awsConfig({ turnCertificateArn: CERT("eu-west-1") })), ["turnCertificateArn: is only used with turnDomain"]);
        assert.deepStrictEqual(problemsOf(awsConfig({ "aws:region": undefined, turnDomain: "turn.example.com", turnCertificateArn: CERT("us-east-1") })), [
            "turnCertificateArn: must be in the region of certificateArn (eu-west-1): both load balancers take certificates of their own region",
        ]);
        // The comparison needs both certificates: one alone is in no conflict.
        assert.deepStrictEqual(problemsOf(awsConfig({ "aws:region": undefined })), []);
        assert.deepStrictEqual(
            problemsOf(
                awsConfig({ "aws:region": undefined, certificateArn: undefined, turnDomain: "turn.example.com", turnCertificateArn: CERT("us-east-1") }),
            ),
            ["certificateArn: is required"],
        );
    });

    it("refuses one amiId for masters and media nodes of different architectures", () => {
        assert.deepStrictEqual(problemsOf(awsConfig({ amiId: "ami-0123456789abcdef0", masterInstanceType: "c7g.xlarge" })), [
            "amiId: one image cannot serve masterInstanceType c7g.xlarge (arm64) and mediaInstanceType c6a.xlarge (x86_64): use instance types of one architecture, or leave amiId unset to get Ubuntu 24.04 for each",
        ]);
        assert.deepStrictEqual(problemsOf(awsConfig({ amiId: "ami-0123456789abcdef0", masterInstanceType: "c7g.xlarge", mediaInstanceType: "m7g.large" })), []);
        assert.deepStrictEqual(problemsOf(awsConfig({ masterInstanceType: "c7g.xlarge" })), []);
        // A malformed instance type is named once; the architecture rule needs both types valid.
        assert.deepStrictEqual(problemsOf(awsConfig({ amiId: "ami-0123456789abcdef0", masterInstanceType: "not-a-type" })), [
            "masterInstanceType: must be an EC2 instance type such as c6a.xlarge",
        ]);
        assert.deepStrictEqual(problemsOf(awsConfig({ amiId: "ami-0123456789abcdef0", mediaInstanceType: "not-a-type" })), [
            "mediaInstanceType: must be an EC2 instance type such as c6a.xlarge",
        ]);
    });

    it("bounds drainTimeoutMinutes by the 48-hour lifecycle ceiling on AWS", () => {
        assert.deepStrictEqual(problemsOf(awsConfig({ drainTimeoutMinutes: "2871" })), [
            "drainTimeoutMinutes: (2871) must be at most 2870 on AWS: the terminate hook lasts at most 48 hours, 10 minutes of which stop the node and complete the hook",
        ]);
        assert.deepStrictEqual(problemsOf(awsConfig({ drainTimeoutMinutes: "2870" })), []);
        assert.deepStrictEqual(problemsOf(awsConfig({ drainTimeoutMinutes: "2881" })), ["drainTimeoutMinutes: must be between 1 and 2880"]);
    });

    it("rejects on-prem keys on an AWS stack", () => {
        assert.deepStrictEqual(problemsOf(awsConfig({ masterNodes: [], sshUser: "ubuntu", certificateType: "selfsigned" })), [
            "masterNodes: only used when target is onprem",
            "sshUser: only used when target is onprem",
            "certificateType: only used when target is onprem",
        ]);
    });
});
