/**
 * The boot scripts as S3 objects of the cluster-data bucket, one key per file and revision
 * (`openvidu-ha/boot/<revision>/<file>`). A script change uploads a new revision and keeps the old one (the
 * objects are retained on delete): a node launched from an older launch template during the media pool's roll,
 * or a master rebuilt from its recorded user data, fetches exactly the scripts its user data names by SHA-256.
 * The user data carries the revision, so a script change rolls the media pool.
 */
import * as pulumi from "@pulumi/pulumi";
import * as s3 from "@pulumi/aws/s3";
import { BootFile, bootObjectKey, bootRevision } from "./plan/user-data";
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
                        key: bootObjectKey(this.revision, f.name),
                        content: f.content,
                        contentType: "text/x-shellscript",
                        serverSideEncryption: "AES256",
                        tags: deploymentTags(args.deployment),
                    },
                    // Kept when replaced by a new revision: nodes still booting from the old one fetch it.
                    { parent: this, retainOnDelete: true },
                ),
        );
        this.registerOutputs({ revision: this.revision, keys: this.objects.map((o) => o.key) });
    }
}
