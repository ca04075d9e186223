/**
 * Least-privilege policies per node role, scoped to this deployment's secret, buckets, boot scripts and media
 * Auto Scaling group. Pure: takes ARNs, returns IAM policy documents.
 */

export interface PolicyStatement {
    Sid: string;
    Effect: "Allow";
    Action: string[];
    Resource: string[];
}

export interface PolicyDocument {
    Version: "2012-10-17";
    Statement: PolicyStatement[];
}

export interface BootAccess {
    /** The cluster secret's ARN. */
    secretArn: string;
    /** ARN of the bucket holding the boot scripts (the cluster-data bucket). */
    bootBucketArn: string;
    /** Key prefix of the boot scripts, without slashes at either end. */
    bootPrefix: string;
}

const allow = (Sid: string, Action: string[], Resource: string[]): PolicyStatement => ({ Sid, Effect: "Allow", Action, Resource });

const document = (...statements: PolicyStatement[]): PolicyDocument => ({ Version: "2012-10-17", Statement: statements });

/** Read the cluster secret and the boot scripts: what every node needs at boot. */
function bootStatements(a: BootAccess): PolicyStatement[] {
    return [
        allow("ReadClusterSecret", ["secretsmanager:GetSecretValue"], [a.secretArn]),
        allow("ReadBootScripts", ["s3:GetObject"], [`${a.bootBucketArn}/${a.bootPrefix}/*`]),
    ];
}

/** OpenVidu's own use of a bucket (the vendor's grants): objects read/write/delete, list and locate. */
function bucketStatements(sid: string, bucketArns: readonly string[]): PolicyStatement[] {
    return [
        allow(`${sid}Objects`, ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], bucketArns.map((b) => `${b}/*`)),
        allow(`${sid}List`, ["s3:ListBucket", "s3:GetBucketLocation"], [...bucketArns]),
    ];
}

/** Masters: boot, and both buckets (app data and cluster data replace MinIO storage on AWS). */
export function masterPolicy(boot: BootAccess, buckets: { appDataArn: string; clusterDataArn: string }): PolicyDocument {
    return document(...bootStatements(boot), ...bucketStatements("ClusterBuckets", [buckets.appDataArn, buckets.clusterDataArn]));
}

/** Media nodes at boot: boot, and the app-data bucket only (recordings), as the vendor grants. */
export function mediaBootPolicy(boot: BootAccess, appDataArn: string): PolicyDocument {
    return document(...bootStatements(boot), ...bucketStatements("AppDataBucket", [appDataArn]));
}

/**
 * Media nodes at scale-in: heartbeat and complete their own terminate hook, mark themselves unhealthy when boot
 * fails, all on this deployment's group only. DescribeAutoScalingInstances (to learn the group name) has no
 * resource-level permissions, hence "*"; it is read-only.
 */
export function mediaLifecyclePolicy(autoScalingGroupArn: string): PolicyDocument {
    return document(
        allow("OwnLifecycle", ["autoscaling:CompleteLifecycleAction", "autoscaling:RecordLifecycleActionHeartbeat", "autoscaling:SetInstanceHealth"], [autoScalingGroupArn]),
        allow("FindOwnGroup", ["autoscaling:DescribeAutoScalingInstances"], ["*"]),
    );
}

/** Trust policy: EC2 instances assume the role. */
export const EC2_ASSUME_ROLE_POLICY = {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
};
