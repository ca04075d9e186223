/**
 * nftables ruleset for the optional host firewall: each internal port accepts its cluster sources and drops
 * everyone else. Public ports and every other port are left alone (policy accept).
 */
import { FirewallRule } from "../core/firewall-rules";

const isV6 = (cidr: string) => cidr.includes(":");

export function nftRuleset(rules: readonly FirewallRule[]): string {
    const internal = rules.filter((r) => !r.sourceRoles.includes("public"));
    const groups = new Map<string, { protocol: string; ports: string; sources: Set<string> }>();
    for (const r of internal) {
        const key = `${r.protocol} ${r.ports}`;
        const group = groups.get(key) ?? { protocol: r.protocol, ports: r.ports, sources: new Set<string>() };
        r.sources.forEach((s) => group.sources.add(s));
        groups.set(key, group);
    }
    const lines: string[] = [];
    for (const g of groups.values()) {
        const v4 = [...g.sources].filter((s) => !isV6(s));
        const v6 = [...g.sources].filter(isV6);
        if (v4.length > 0) lines.push(`${g.protocol} dport ${g.ports} ip saddr { ${v4.join(", ")} } accept`);
        if (v6.length > 0) lines.push(`${g.protocol} dport ${g.ports} ip6 saddr { ${v6.join(", ")} } accept`);
        lines.push(`${g.protocol} dport ${g.ports} drop`);
    }
    return [
        "table inet openvidu_ha {",
        "    chain input {",
        "        type filter hook input priority filter; policy accept;",
        '        iifname "lo" accept',
        ...lines.map((l) => `        ${l}`),
        "    }",
        "}",
        "",
    ].join("\n");
}
