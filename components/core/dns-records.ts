/** DNS records a deployment needs: round-robin A records on-prem, CNAMEs to the load balancers on AWS. */

/** `C` is the content's type: a plain string, or `pulumi.Input<string>` where it is a load balancer's DNS name. */
export interface DnsRecordPlan<C = string> {
    /** Stable logical name, used in resource names. */
    key: string;
    name: string;
    type: "A" | "AAAA" | "CNAME";
    content: C;
    ttl: number;
    /** Always false: WebRTC, TURN and RTMP cannot pass Cloudflare's HTTP proxy. */
    proxied: false;
}

/** One A (or AAAA) record per master public IP for `domain`, and the same set for `turnDomain` when given. */
export function roundRobinRecords(domain: string, turnDomain: string | undefined, masterPublicIps: readonly string[], ttl: number): DnsRecordPlan[] {
    const names: { name: string; key: string }[] = [{ name: domain, key: "domain" }];
    if (turnDomain !== undefined) {
        names.push({ name: turnDomain, key: "turn" });
    }
    return names.flatMap(({ name, key }) =>
        masterPublicIps.map((ip, i) => ({
            key: `${key}-master-${i + 1}`,
            name,
            type: ip.includes(":") ? ("AAAA" as const) : ("A" as const),
            content: ip,
            ttl,
            proxied: false as const,
        })),
    );
}

/** CNAME records pointing names at load balancer DNS names (AWS). */
export function cnameRecords<C = string>(targets: readonly { key: string; name: string; target: C }[], ttl: number): DnsRecordPlan<C>[] {
    return targets.map((t) => ({ key: t.key, name: t.name, type: "CNAME" as const, content: t.target, ttl, proxied: false as const }));
}
