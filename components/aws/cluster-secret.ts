/**
 * One Secrets Manager secret holding a JSON document, with its current version. The stack makes two: the cluster
 * secret (the vendor's keys and the masters' installer inputs, see `clusterSecretDocument`), readable by the
 * master role only, and the media secret (the media installer's inputs, see `mediaSecretDocument`), readable by
 * the media role only. Nodes read their secret through their role at boot; these are the only places
 * credentials live outside the Pulumi state.
 */
import * as pulumi from "@pulumi/pulumi";
import * as secretsmanager from "@pulumi/aws/secretsmanager";
import { deploymentTags } from "./plan/tags";

export interface ClusterSecretArgs {
    /** The secret document (string values). Stored as JSON; treated as secret whether or not the input is. */
    document: pulumi.Input<Record<string, string>>;
    /**
     * Days a deleted secret can still be restored. Default 30 (the AWS default), so credentials matching retained
     * master volumes survive a `pulumi destroy` for a month.
     */
    recoveryWindowInDays?: number;
    /** What the secret holds and who reads it, for its description (plain text: never a value). */
    purpose: string;
    /** Value of the `openvidu-ha:deployment` tag. */
    deployment: string;
}

export class ClusterSecret extends pulumi.ComponentResource {
    public readonly arn: pulumi.Output<string>;
    public readonly name: pulumi.Output<string>;
    /** Id of the current version; changes whenever the document does. */
    public readonly versionId: pulumi.Output<string>;
    /** The version resource: nodes that read AWSCURRENT wait for it. */
    public readonly version: secretsmanager.SecretVersion;

    constructor(name: string, args: ClusterSecretArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openvidu-ha:aws:ClusterSecret", name, {}, opts);
        const secret = new secretsmanager.Secret(
            `${name}-store`,
            {
                description: `openvidu-ha ${args.deployment}: ${args.purpose}`,
                recoveryWindowInDays: args.recoveryWindowInDays ?? 30,
                tags: deploymentTags(args.deployment, name.replace(/-/g, " ")),
            },
            { parent: this },
        );
        this.version = new secretsmanager.SecretVersion(
            `${name}-current`,
            { secretId: secret.id, secretString: pulumi.secret(pulumi.output(args.document).apply((d) => JSON.stringify(d))) },
            { parent: this },
        );
        this.arn = secret.arn;
        this.name = secret.name;
        this.versionId = this.version.versionId;
        this.registerOutputs({ arn: this.arn, name: this.name, versionId: this.versionId });
    }
}
