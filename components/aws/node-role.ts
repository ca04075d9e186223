/**
 * The IAM role and instance profile of one node role (masters or media nodes), with its boot policy (from the
 * pure policy planners) and Session Manager access, the operator shell that replaces SSH, which stays closed by
 * default. Session Manager is granted by a scoped inline policy (`sessionManagerPolicy`), not AWS's
 * AmazonSSMManagedInstanceCore, which would also let every node read every SSM parameter of the account.
 * Further policies (the media lifecycle one) attach to `roleName`.
 */
import * as pulumi from "@pulumi/pulumi";
import * as iam from "@pulumi/aws/iam";
import { EC2_ASSUME_ROLE_POLICY, PolicyDocument, sessionManagerPolicy } from "./plan/iam-policies";
import { deploymentTags } from "./plan/tags";

export interface NodeRoleArgs {
    /** The role's policy for boot and runtime (secret, boot scripts, buckets); see `masterPolicy`/`mediaBootPolicy`. */
    policy: pulumi.Input<PolicyDocument>;
    /**
     * Grant the Session Manager agent its channels (`sessionManagerPolicy`: ssm:UpdateInstanceInformation and
     * ssmmessages only, no ssm:GetParameter) so operators can open a shell. Default true.
     */
    sessionManager?: boolean;
    /** Value of the `openvidu-ha:deployment` tag. */
    deployment: string;
}

export class NodeRole extends pulumi.ComponentResource {
    public readonly roleName: pulumi.Output<string>;
    public readonly instanceProfileArn: pulumi.Output<string>;
    public readonly instanceProfileName: pulumi.Output<string>;
    /** Resources an instance of this role must wait for before it boots (the policy grants). */
    public readonly grants: pulumi.Resource[];

    constructor(name: string, args: NodeRoleArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openvidu-ha:aws:NodeRole", name, {}, opts);
        const role = new iam.Role(
            `${name}-role`,
            {
                assumeRolePolicy: JSON.stringify(EC2_ASSUME_ROLE_POLICY),
                description: `openvidu-ha ${args.deployment} ${name}`,
                tags: deploymentTags(args.deployment, name),
            },
            { parent: this },
        );
        const policy = new iam.RolePolicy(
            `${name}-boot`,
            { role: role.name, policy: pulumi.output(args.policy).apply((p) => JSON.stringify(p)) },
            { parent: this },
        );
        this.grants = [policy];
        if (args.sessionManager ?? true) {
            this.grants.push(
                new iam.RolePolicy(`${name}-session-manager`, { role: role.name, policy: JSON.stringify(sessionManagerPolicy()) }, { parent: this }),
            );
        }
        const profile = new iam.InstanceProfile(`${name}-profile`, { role: role.name, tags: deploymentTags(args.deployment, name) }, { parent: this });
        this.roleName = role.name;
        this.instanceProfileArn = profile.arn;
        this.instanceProfileName = profile.name;
        this.registerOutputs({ roleName: this.roleName, instanceProfileArn: this.instanceProfileArn });
    }
}
