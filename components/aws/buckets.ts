/**
 * The app-data bucket (recordings, application data) and the cluster-data bucket (replicated cluster state, boot
 * scripts), which replace MinIO storage on AWS. Created private and encrypted and kept on destroy, or, when the
 * stack names existing buckets, only referenced (no bucket resource at all).
 */
import * as pulumi from "@pulumi/pulumi";
import * as s3 from "@pulumi/aws/s3";
import { deploymentTags } from "./plan/tags";

export type BucketPurpose = "app-data" | "cluster-data";

export interface BucketsArgs {
    /** Existing app-data bucket name; default: a bucket is created. */
    existingAppData?: string;
    /** Existing cluster-data bucket name; default: a bucket is created. */
    existingClusterData?: string;
    /** Partition of the ARNs (aws, aws-cn, aws-us-gov). */
    partition: pulumi.Input<string>;
    /** Value of the `openvidu-ha:deployment` tag. */
    deployment: string;
}

export interface BucketRef {
    name: pulumi.Output<string>;
    arn: pulumi.Output<string>;
}

export class Buckets extends pulumi.ComponentResource {
    public readonly appData: BucketRef;
    public readonly clusterData: BucketRef;

    constructor(name: string, args: BucketsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openvidu-ha:aws:Buckets", name, {}, opts);
        this.appData = this.bucket(`${name}-app-data`, args.existingAppData, args);
        this.clusterData = this.bucket(`${name}-cluster-data`, args.existingClusterData, args);
        this.registerOutputs({ appDataBucket: this.appData.name, clusterDataBucket: this.clusterData.name });
    }

    private bucket(name: string, existing: string | undefined, args: BucketsArgs): BucketRef {
        if (existing !== undefined) {
            return { name: pulumi.output(existing), arn: pulumi.interpolate`arn:${args.partition}:s3:::${existing}` };
        }
        // Kept on destroy with its settings: recordings and cluster data outlive the deployment.
        const keep = { parent: this, retainOnDelete: true };
        const bucket = new s3.Bucket(name, { forceDestroy: false, tags: deploymentTags(args.deployment, name) }, keep);
        new s3.BucketPublicAccessBlock(
            `${name}-public-access`,
            { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
            keep,
        );
        new s3.BucketOwnershipControls(`${name}-ownership`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, keep);
        new s3.BucketServerSideEncryptionConfiguration(
            `${name}-encryption`,
            { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }] },
            keep,
        );
        return { name: bucket.bucket, arn: bucket.arn };
    }
}
