/** The `firewallRules` output: the release line's port table resolved to the deployment's addresses. */
import { applicablePortRules, PortRule, PortRuleFilter, portRange, PortSource } from "./port-tables";
import { NodeRole } from "./types";

export const PUBLIC_CIDRS = ["0.0.0.0/0", "::/0"] as const;

export interface FirewallRule {
    protocol: "tcp" | "udp";
    ports: string;
    /** CIDRs the rule admits: 0.0.0.0/0 and ::/0 for public ports, host /32 (/128) for role sources. */
    sources: string[];
    /** The roles behind `sources`, or ["public"]. */
    sourceRoles: PortSource[];
    description: string;
}

export interface ClusterAddresses {
    masters: readonly string[];
    media: readonly string[];
}

export const hostCidr = (ip: string): string => (ip.includes(":") ? `${ip}/128` : `${ip}/32`);

export function sourceCidrs(sources: readonly PortSource[], addresses: ClusterAddresses): string[] {
    return sources.flatMap((s) => {
        switch (s) {
            case "public":
                return [...PUBLIC_CIDRS];
            case "masters":
                return addresses.masters.map(hostCidr);
            case "media":
                return addresses.media.map(hostCidr);
            case "loadBalancer":
                return [];
        }
    });
}

export function firewallRules(table: readonly PortRule[], filter: PortRuleFilter, addresses: ClusterAddresses): Record<NodeRole, FirewallRule[]> {
    const rules = applicablePortRules(table, filter);
    const forRole = (role: NodeRole) =>
        rules
            .filter((r) => r.role === role)
            .map((r) => ({
                protocol: r.protocol,
                ports: portRange(r),
                sources: sourceCidrs(r.sources, addresses),
                sourceRoles: [...r.sources],
                description: r.description,
            }));
    return { master: forRole("master"), media: forRole("media") };
}
