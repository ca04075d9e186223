/**
 * Internet-facing network load balancers: the main one (cross-zone) with TCP 80 and TLS 443 to the masters and
 * TLS 1935 to the media nodes' RTMP port, and, with a TURN domain, a second one with TLS 443 to the media nodes'
 * TURN port. Listeners, target groups and health checks follow `loadBalancerPlan`.
 */
import * as pulumi from "@pulumi/pulumi";
import * as lb from "@pulumi/aws/lb";
import { listenerCertificateArn, LoadBalancerPlan } from "./plan/load-balancer";
import { deploymentTags } from "./plan/tags";
import { NodeRole } from "../core/types";

export interface LoadBalancersArgs {
    /** The listeners and target groups (see `loadBalancerPlan`). */
    plan: LoadBalancerPlan;
    /** VPC of the target groups (the deployment's VPC). */
    vpcId: pulumi.Input<string>;
    /** Subnets of the main balancer, at most one per Availability Zone (the masters' subnets). */
    mainSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Subnets of the TURN balancer, at most one per zone (the media subnets); used when the plan has a TURN listener. */
    turnSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Security group of the balancers. */
    securityGroupId: pulumi.Input<string>;
    /** ACM certificate for domain. */
    certificateArn: string;
    /** ACM certificate for turnDomain; required when the plan has a TURN listener. */
    turnCertificateArn?: string;
    /** Value of the `openvidu-ha:deployment` tag. */
    deployment: string;
}

export interface TargetGroupRef {
    key: string;
    role: NodeRole;
    port: number;
    arn: pulumi.Output<string>;
}

export class LoadBalancers extends pulumi.ComponentResource {
    public readonly dnsName: pulumi.Output<string>;
    /** DNS name of the TURN balancer; undefined without a TURN domain. */
    public readonly turnDnsName?: pulumi.Output<string>;
    public readonly targetGroups: TargetGroupRef[];

    constructor(name: string, args: LoadBalancersArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openvidu-ha:aws:LoadBalancers", name, {}, opts);
        const balancer = (key: "main" | "turn", subnets: pulumi.Input<pulumi.Input<string>[]>) =>
            new lb.LoadBalancer(
                `${name}-${key}`,
                {
                    loadBalancerType: "network",
                    internal: false,
                    ipAddressType: "ipv4",
                    subnets,
                    securityGroups: [args.securityGroupId],
                    enableCrossZoneLoadBalancing: true,
                    tags: deploymentTags(args.deployment, key === "main" ? "load balancer" : "TURN load balancer"),
                },
                { parent: this },
            );
        const hasTurn = args.plan.listeners.some((l) => l.loadBalancer === "turn");
        const balancers: Partial<Record<"main" | "turn", lb.LoadBalancer>> = { main: balancer("main", args.mainSubnetIds) };
        if (hasTurn) {
            balancers.turn = balancer("turn", args.turnSubnetIds);
        }
        const groups = new Map(
            args.plan.targetGroups.map((tg) => [
                tg.key,
                new lb.TargetGroup(
                    `${name}-${tg.key}`,
                    {
                        vpcId: args.vpcId,
                        targetType: "instance",
                        protocol: "TCP",
                        port: tg.port,
                        deregistrationDelay: tg.deregistrationDelay,
                        healthCheck: { enabled: true, ...tg.healthCheck },
                        tags: deploymentTags(args.deployment, tg.key),
                    },
                    { parent: this },
                ),
            ]),
        );
        for (const l of args.plan.listeners) {
            const certificateArn = listenerCertificateArn(l, { domain: args.certificateArn, turnDomain: args.turnCertificateArn });
            new lb.Listener(
                `${name}-${l.key}`,
                {
                    loadBalancerArn: balancers[l.loadBalancer]!.arn,
                    port: l.port,
                    protocol: l.protocol,
                    ...(l.protocol === "TLS" ? { certificateArn, sslPolicy: l.sslPolicy } : {}),
                    defaultActions: [{ type: "forward", targetGroupArn: groups.get(l.targetGroup)!.arn }],
                    tags: deploymentTags(args.deployment, l.key),
                },
                { parent: this },
            );
        }
        this.dnsName = balancers.main!.dnsName;
        this.turnDnsName = balancers.turn?.dnsName;
        this.targetGroups = args.plan.targetGroups.map((tg) => ({ key: tg.key, role: tg.role, port: tg.port, arn: groups.get(tg.key)!.arn }));
        this.registerOutputs({ dnsName: this.dnsName, turnDnsName: this.turnDnsName, targetGroupArns: this.targetGroups.map((t) => t.arn) });
    }
}
