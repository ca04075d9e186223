/**
 * DNS at Route 53: per name one multivalue answer record per master, each tied to the master's HTTPS health check
 * when there are health checks (Route 53 answers with the healthy ones), else untied (it answers with all 4).
 */
// The route53 module only: the package index loads every AWS module (about 300 files), which an on-prem stack
// does not otherwise need.
import * as route53 from "@pulumi/aws/route53";
import * as pulumi from "@pulumi/pulumi";
import { Route53Plan } from "../core/dns-health";

export interface Route53DnsArgs {
    /** Hosted zone id (Z...), without the /hostedzone/ prefix. */
    zoneId: string;
    /** Health checks and records to create (see route53Plan). */
    plan: Route53Plan;
}

export class Route53Dns extends pulumi.ComponentResource {
    /** By master label (master-1 ..); empty without health checks. */
    public readonly healthChecks: Record<string, route53.HealthCheck>;
    public readonly records: route53.Record[];

    constructor(name: string, args: Route53DnsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openvidu-ha:index:Route53Dns", name, {}, opts);
        this.healthChecks = Object.fromEntries(
            args.plan.healthChecks.map(({ key, ...check }) => [
                key,
                new route53.HealthCheck(`${name}-${key}-health`, { ...check, tags: { Name: `openvidu-ha ${check.fqdn} ${key}` } }, { parent: this }),
            ]),
        );
        this.records = args.plan.records.map(
            (r) =>
                new route53.Record(
                    `${name}-${r.key}`,
                    {
                        zoneId: args.zoneId,
                        name: r.name,
                        type: r.type,
                        ttl: r.ttl,
                        records: r.records,
                        multivalueAnswerRoutingPolicy: true,
                        setIdentifier: r.setIdentifier,
                        ...(r.healthCheckKey === undefined ? {} : { healthCheckId: this.healthChecks[r.healthCheckKey].id }),
                    },
                    { parent: this },
                ),
        );
        this.registerOutputs({
            healthCheckIds: Object.fromEntries(Object.entries(this.healthChecks).map(([k, c]) => [k, c.id])),
            recordFqdns: this.records.map((r) => r.fqdn),
        });
    }
}
