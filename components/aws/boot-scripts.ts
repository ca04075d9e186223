/**
 * The boot scripts as S3 objects under one fixed prefix of the cluster-data bucket, updated in place: a node
 * fetches the current scripts whenever it boots (a replaced master too). Media launch templates carry the
 * scripts' revision, so a script change rolls the media pool.
 */
import * as pulumi from "@pulumi/pulumi";
import * as s3 from "@pulumi/aws/s3";
import { BOOT_PREFIX, BootFile, bootRevision } from "./plan/user-data";
import { deploymentTags } from "./plan/tags";

export interface BootScriptsArgs {
    /** Bucket to upload to (the cluster-data bucket). */
    bucket: pulumi.Input<string>;
    /** The files (see `bootFiles`). */
    files: readonly BootFile[];
    /** Value of the `openvidu-ha:deployment` tag. */
    deployment: string;
}

export class BootScripts extends pulumi.ComponentResource {
    /** Content hash of the files. */
    public readonly revision: string;
    public readonly objects: s3.BucketObjectv2[];

    constructor(name: string, args: BootScriptsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openvidu-ha:aws:BootScripts", name, {}, opts);
        this.revision = bootRevision(args.files);
        this.objects = args.files.map(
            (f) =>
                new s3.BucketObjectv2(
                    `${name}-${f.name.replace(/\.sh$/, "")}`,
                    {
                        bucket: args.bucket,
                        key: `${BOOT_PREFIX}/${f.name}`,
                        content: f.content,
                        contentType: "text/x-shellscript",
                        serverSideEncryption: "AES256",
                        tags: deploymentTags(args.deployment),
                    },
                    { parent: this },
                ),
        );
        this.registerOutputs({ revision: this.revision, keys: this.objects.map((o) => o.key) });
    }
}
