/** DNS round robin at Cloudflare: one DnsRecord per planned record, never proxied (media and TURN need direct IPs). */
import { DnsRecord } from "@pulumi/cloudflare/dnsRecord";
import * as pulumi from "@pulumi/pulumi";
import { DnsRecordPlan } from "../core/dns-records";

export interface CloudflareDnsArgs {
    /** Cloudflare zone id of the domain. */
    zoneId: string;
    /** Records to create (see roundRobinRecords / cnameRecords); CNAME content may be a load balancer's output. */
    records: DnsRecordPlan<pulumi.Input<string>>[];
}

export class CloudflareDns extends pulumi.ComponentResource {
    public readonly records: DnsRecord[];

    constructor(name: string, args: CloudflareDnsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openvidu-ha:index:CloudflareDns", name, {}, opts);
        this.records = args.records.map(
            (r) =>
                new DnsRecord(
                    `${name}-${r.key}`,
                    { zoneId: args.zoneId, name: r.name, type: r.type, content: r.content, ttl: r.ttl, proxied: r.proxied, comment: "managed by openvidu-ha" },
                    // A record that must be replaced would otherwise collide with itself at Cloudflare.
                    { parent: this, deleteBeforeReplace: true },
                ),
        );
        this.registerOutputs({ recordIds: this.records.map((r) => r.id) });
    }
}
