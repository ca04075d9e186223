/**
 * Security group rules from the release line's port table (topology "nlb"): one rule per port range and source.
 * Internal ports take security-group sources; only public ports and the listeners are open to 0.0.0.0/0 and ::/0;
 * SSH is closed unless CIDRs are given. Egress is explicit (the provider removes AWS's default allow-all).
 */
import { applicablePortRules, PortRule, PortSource } from "../../core/port-tables";
import { RtcEngine } from "../../core/types";

export type GroupRole = "loadBalancer" | "master" | "media";

export type RulePeer = { kind: "cidr"; cidr: string } | { kind: "group"; group: GroupRole };

export interface SecurityRulePlan {
    /** Deterministic, unique name suffix: `master-in-tcp-7000-7001-from-media`. */
    key: string;
    group: GroupRole;
    direction: "ingress" | "egress";
    /** "-1" is every protocol (then no ports). */
    protocol: "tcp" | "udp" | "-1";
    fromPort?: number;
    toPort?: number;
    /** Source of an ingress rule, destination of an egress rule. */
    peer: RulePeer;
    description: string;
}

export interface SecurityPlanInput {
    /** The release line's port table. */
    ports: readonly PortRule[];
    modules: readonly string[];
    turnDomain: boolean;
    /** The media TCP port is the engine's only (7881 pion, 50000-60000 mediasoup); the vendor's template opens both. */
    rtcEngine: RtcEngine;
    /** Ports the load balancers listen on, open to everyone. */
    listenerPorts: readonly number[];
    /** CIDRs allowed to SSH to masters and media nodes; empty keeps SSH closed. */
    sshAllowedCidrs: readonly string[];
}

const ANY = [
    { cidr: "0.0.0.0/0", key: "any-ipv4" },
    { cidr: "::/0", key: "any-ipv6" },
];

const GROUP_KEY: Record<GroupRole, string> = { loadBalancer: "lb", master: "masters", media: "media" };
const SOURCE_GROUP: Record<Exclude<PortSource, "public">, GroupRole> = { masters: "master", media: "media", loadBalancer: "loadBalancer" };

/** AWS allows a-zA-Z0-9, spaces and ._-:/()#,@[]+=&;{}!$* in rule descriptions, up to 255 characters. */
export function ruleDescription(text: string): string {
    return text.replace(/[^a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]/g, "").slice(0, 255);
}

const cidrKey = (cidr: string) =>
    cidr
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/-+$/, "");
const portsKey = (from: number, to: number) => (from === to ? `${from}` : `${from}-${to}`);
const peerKey = (peer: RulePeer) => (peer.kind === "group" ? GROUP_KEY[peer.group] : (ANY.find((a) => a.cidr === peer.cidr)?.key ?? cidrKey(peer.cidr)));

function plan(
    group: GroupRole,
    direction: "ingress" | "egress",
    protocol: SecurityRulePlan["protocol"],
    ports: [number, number] | undefined,
    peer: RulePeer,
    description: string,
): SecurityRulePlan {
    const what = protocol === "-1" ? "all" : `${protocol}-${portsKey(ports![0], ports![1])}`;
    const key = `${GROUP_KEY[group]}-${direction === "ingress" ? "in" : "out"}-${what}-${direction === "ingress" ? "from" : "to"}-${peerKey(peer)}`;
    return {
        key,
        group,
        direction,
        protocol,
        ...(ports ? { fromPort: ports[0], toPort: ports[1] } : {}),
        peer,
        description: ruleDescription(description),
    };
}

const peersOf = (source: PortSource): RulePeer[] =>
    source === "public" ? ANY.map((a) => ({ kind: "cidr" as const, cidr: a.cidr })) : [{ kind: "group", group: SOURCE_GROUP[source] }];

/** Every rule of the three security groups, ingress first, in table order; keys are unique. */
export function securityRulePlan(input: SecurityPlanInput): SecurityRulePlan[] {
    const table = applicablePortRules(input.ports, { topology: "nlb", modules: input.modules, turnDomain: input.turnDomain, rtcEngine: input.rtcEngine });
    const rules: SecurityRulePlan[] = [];
    for (const port of input.listenerPorts) {
        for (const peer of peersOf("public")) {
            rules.push(plan("loadBalancer", "ingress", "tcp", [port, port], peer, `Clients to the load balancer listener ${port}.`));
        }
    }
    for (const r of table) {
        for (const source of r.sources) {
            for (const peer of peersOf(source)) {
                rules.push(plan(r.role, "ingress", r.protocol, [r.fromPort, r.toPort], peer, r.description));
            }
        }
    }
    for (const role of ["master", "media"] as const) {
        for (const cidr of input.sshAllowedCidrs) {
            rules.push(plan(role, "ingress", "tcp", [22, 22], { kind: "cidr", cidr }, "SSH from an allowed network (sshAllowedCidrs)."));
        }
    }
    // The load balancer may only reach the target ports the nodes open to it (traffic and health checks).
    for (const r of rules.filter((x) => x.direction === "ingress" && x.peer.kind === "group" && x.peer.group === "loadBalancer")) {
        rules.push(
            plan(
                "loadBalancer",
                "egress",
                r.protocol,
                [r.fromPort!, r.toPort!],
                { kind: "group", group: r.group },
                `To ${GROUP_KEY[r.group]}: ${r.description}`,
            ),
        );
    }
    for (const role of ["master", "media"] as const) {
        for (const any of ANY) {
            rules.push(
                plan(
                    role,
                    "egress",
                    "-1",
                    undefined,
                    { kind: "cidr", cidr: any.cidr },
                    "Outbound: packages, images, AWS APIs, media to clients and the cluster.",
                ),
            );
        }
    }
    const seen = new Set<string>();
    return rules.filter((r) => !seen.has(r.key) && seen.add(r.key));
}
