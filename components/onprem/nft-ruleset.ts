/**
 * nftables ruleset for the optional host firewall: each internal port accepts its cluster sources and drops
 * everyone else. Public ports and every other port are left alone (policy accept).
 */
import { FirewallRule } from "../core/firewall-rules";

const isV6 = (cidr: string) => cidr.includes(":");

/** [from, to] of "7000-7001" or "9100". */
function portBounds(ports: string): [number, number] {
    const [from, to = from] = ports.split("-").map(Number);
    return [from, to];
}

function overlaps(a: FirewallRule, b: FirewallRule): boolean {
    const [aFrom, aTo] = portBounds(a.ports);
    const [bFrom, bTo] = portBounds(b.ports);
    return a.protocol === b.protocol && aFrom <= bTo && bFrom <= aTo;
}

export function nftRuleset(rules: readonly FirewallRule[]): string {
    const isPublic = (r: FirewallRule) => r.sourceRoles.includes("public");
    const publicRules = rules.filter(isPublic);
    // A port open to everyone is never restricted, even if another row also names it for cluster sources.
    const internal = rules.filter((r) => !isPublic(r) && !publicRules.some((p) => overlaps(p, r)));
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
