/**
 * The three security groups (load balancer, masters, media) and their rules, one `vpc.SecurityGroupIngressRule`
 * or `SecurityGroupEgressRule` per planned rule (never inline rules, which would fight the separate resources).
 */
import * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2";
import * as vpc from "@pulumi/aws/vpc";
import { GroupRole, SecurityRulePlan } from "./plan/security-rules";
import { deploymentTags } from "./plan/tags";

export interface SecurityGroupsArgs {
    /** VPC of the deployment (an existing one). */
    vpcId: pulumi.Input<string>;
    /** Every rule of the three groups, from `securityRulePlan`; rule keys must be unique. */
    rules: readonly SecurityRulePlan[];
    /** Value of the `openvidu-ha:deployment` tag. */
    deployment: string;
}

const GROUP_DESCRIPTIONS: Record<GroupRole, string> = {
    loadBalancer: "openvidu-ha load balancers: clients to 80, 443 and 1935",
    master: "openvidu-ha master nodes",
    media: "openvidu-ha media nodes",
};

const GROUP_NAMES: Record<GroupRole, string> = { loadBalancer: "lb", master: "masters", media: "media" };

export class SecurityGroups extends pulumi.ComponentResource {
    /** Security group id per role. */
    public readonly ids: Record<GroupRole, pulumi.Output<string>>;

    constructor(name: string, args: SecurityGroupsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openvidu-ha:aws:SecurityGroups", name, {}, opts);
        const groups = Object.fromEntries(
            (Object.keys(GROUP_NAMES) as GroupRole[]).map((role) => [
                role,
                new ec2.SecurityGroup(
                    `${name}-${GROUP_NAMES[role]}`,
                    { vpcId: args.vpcId, description: GROUP_DESCRIPTIONS[role], tags: deploymentTags(args.deployment, GROUP_NAMES[role]) },
                    { parent: this },
                ),
            ]),
        ) as Record<GroupRole, ec2.SecurityGroup>;
        this.ids = { loadBalancer: groups.loadBalancer.id, master: groups.master.id, media: groups.media.id };

        for (const rule of args.rules) {
            const peer =
                rule.peer.kind === "group"
                    ? { referencedSecurityGroupId: this.ids[rule.peer.group] }
                    : rule.peer.cidr.includes(":")
                      ? { cidrIpv6: rule.peer.cidr }
                      : { cidrIpv4: rule.peer.cidr };
            const ruleArgs = {
                securityGroupId: this.ids[rule.group],
                ipProtocol: rule.protocol,
                fromPort: rule.fromPort,
                toPort: rule.toPort,
                description: rule.description,
                ...peer,
                tags: deploymentTags(args.deployment),
            };
            if (rule.direction === "ingress") {
                new vpc.SecurityGroupIngressRule(`${name}-${rule.key}`, ruleArgs, { parent: this });
            } else {
                new vpc.SecurityGroupEgressRule(`${name}-${rule.key}`, ruleArgs, { parent: this });
            }
        }
        this.registerOutputs({ ids: this.ids });
    }
}
