/**
 * Least-privilege policies per node role, scoped to this deployment's secrets, buckets, boot scripts and media
 * Auto Scaling group. Pure: takes ARNs, returns IAM policy documents.
 */

export interface PolicyStatement {
    Sid: string;
    Effect: "Allow" | "Deny";
    Action: string[];
    Resource: string[];
}

export interface PolicyDocument {
    Version: "2012-10-17";
    Statement: PolicyStatement[];
}

export interface BootAccess {
    /** ARN of the secret this role reads at boot: the cluster secret for masters, the media secret for media nodes. */
    secretArn: string;
    /** ARN of the bucket holding the boot scripts (the cluster-data bucket). */
    bootBucketArn: string;
    /** Key prefix of the boot scripts, without slashes at either end. */
    bootPrefix: string;
}

const allow = (Sid: string, Action: string[], Resource: string[]): PolicyStatement => ({ Sid, Effect: "Allow", Action, Resource });
const deny = (Sid: string, Action: string[], Resource: string[]): PolicyStatement => ({ Sid, Effect: "Deny", Action, Resource });

const document = (...statements: PolicyStatement[]): PolicyDocument => ({ Version: "2012-10-17", Statement: statements });

/**
 * Every S3 action that creates, changes or removes an object or its metadata. Denied on the boot prefix: the boot
 * scripts run as root on every node, so no node may change what nodes boot (only the deployer, through Pulumi).
 */
export const OBJECT_WRITE_ACTIONS = ["s3:PutObject*", "s3:DeleteObject*", "s3:RestoreObject", "s3:ReplicateObject", "s3:ReplicateDelete"];

/**
 * Read this role's secret and the boot scripts: what every node needs at boot. The explicit Deny wins over any
 * Allow (the masters' read-write grant on the cluster-data bucket, which holds the boot prefix).
 */
function bootStatements(a: BootAccess): PolicyStatement[] {
    const boot = `${a.bootBucketArn}/${a.bootPrefix}/*`;
    return [
        allow("ReadOwnSecret", ["secretsmanager:GetSecretValue"], [a.secretArn]),
        allow("ReadBootScripts", ["s3:GetObject"], [boot]),
        deny("BootScriptsReadOnly", OBJECT_WRITE_ACTIONS, [boot]),
    ];
}

/** OpenVidu's own use of a bucket (the vendor's grants): objects read/write/delete, list and locate. */
function bucketStatements(sid: string, bucketArns: readonly string[]): PolicyStatement[] {
    return [
        allow(
            `${sid}Objects`,
            ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
            bucketArns.map((b) => `${b}/*`),
        ),
        allow(`${sid}List`, ["s3:ListBucket", "s3:GetBucketLocation"], [...bucketArns]),
    ];
}

/** Masters: boot (the cluster secret), and both buckets (app data and cluster data replace MinIO storage on AWS). */
export function masterPolicy(boot: BootAccess, buckets: { appDataArn: string; clusterDataArn: string }): PolicyDocument {
    return document(...bootStatements(boot), ...bucketStatements("ClusterBuckets", [buckets.appDataArn, buckets.clusterDataArn]));
}

/** Where masters report the configuration they run (converge-watch.sh); media nodes read it before they install. */
export const MASTER_STATUS_PREFIX = "openvidu-ha/converge/status";

/**
 * Media nodes at boot: boot (the media secret only), the masters' status objects (read), and the app-data bucket
 * only (recordings), as the vendor grants.
 */
export function mediaBootPolicy(boot: BootAccess, appDataArn: string): PolicyDocument {
    return document(
        ...bootStatements(boot),
        allow("ReadMasterStatus", ["s3:GetObject"], [`${boot.bootBucketArn}/${MASTER_STATUS_PREFIX}/*`]),
        ...bucketStatements("AppDataBucket", [appDataArn]),
    );
}

/**
 * Media nodes at scale-in: heartbeat and complete their own terminate hook, mark themselves unhealthy when boot
 * fails, all on this deployment's group only. DescribeAutoScalingInstances (to learn the group name) has no
 * resource-level permissions, hence "*"; it is read-only.
 */
export function mediaLifecyclePolicy(autoScalingGroupArn: string): PolicyDocument {
    return document(
        allow(
            "OwnLifecycle",
            ["autoscaling:CompleteLifecycleAction", "autoscaling:RecordLifecycleActionHeartbeat", "autoscaling:SetInstanceHealth"],
            [autoScalingGroupArn],
        ),
        allow("FindOwnGroup", ["autoscaling:DescribeAutoScalingInstances"], ["*"]),
    );
}

/**
 * Session Manager shells, and nothing else. AWS's managed AmazonSSMManagedInstanceCore also grants
 * ssm:GetParameter(s) and ssm:ListAssociations/… on "*" (every SSM parameter of the account); this is the custom
 * instance policy AWS documents for Session Manager alone ("Create a custom IAM instance profile for Session
 * Manager": ssm:UpdateInstanceInformation and the four ssmmessages channel actions). None of these actions has
 * resource-level permissions, hence "*".
 */
export function sessionManagerPolicy(): PolicyDocument {
    return document(
        allow(
            "SessionManagerOnly",
            [
                "ssm:UpdateInstanceInformation",
                "ssmmessages:CreateControlChannel",
                "ssmmessages:CreateDataChannel",
                "ssmmessages:OpenControlChannel",
                "ssmmessages:OpenDataChannel",
            ],
            ["*"],
        ),
    );
}

/** Trust policy: EC2 instances assume the role. */
export const EC2_ASSUME_ROLE_POLICY = {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
};
