/**
 * Inbound port tables per release line: the single source for the on-prem `firewallRules` output, the optional
 * host firewall and the AWS security groups.
 *
 * 3.0 rows reproduce the seed document's tables ("Port rules (Master Nodes)" / "(Media Nodes)") exactly.
 * 3.8 rows follow the vendor's current on-prem page and CloudFormation template (vendor facts 1.3, 3.2, 3.3);
 * the media TCP ports follow the page's per-engine notes on both targets.
 */
import { NodeRole, RtcEngine, Topology } from "./types";

/** Who may send the traffic. Role sources resolve to the private IPs (on-prem) or security groups (AWS). */
export type PortSource = "public" | "masters" | "media" | "loadBalancer";

export interface PortRule {
    /** The role whose hosts receive the traffic. */
    role: NodeRole;
    protocol: "tcp" | "udp";
    fromPort: number;
    toPort: number;
    sources: PortSource[];
    description: string;
    /** Present only when this module is enabled. */
    module?: string;
    /** Present only with this topology; absent = both. */
    topology?: Topology;
    /** Present only when a TURN domain is configured. */
    requiresTurnDomain?: boolean;
    /** Present only with this RTC engine; absent = both. */
    rtcEngine?: RtcEngine;
}

function rule(
    role: NodeRole,
    protocol: "tcp" | "udp",
    ports: number | [number, number],
    sources: PortSource[],
    description: string,
    extra: Partial<Pick<PortRule, "module" | "topology" | "requiresTurnDomain" | "rtcEngine">> = {},
): PortRule {
    const [fromPort, toPort] = typeof ports === "number" ? [ports, ports] : ports;
    return { role, protocol, fromPort, toPort, sources, description, ...extra };
}

const PUBLIC: PortSource[] = ["public"];
const MASTERS: PortSource[] = ["masters"];
const MEDIA: PortSource[] = ["media"];
const CLUSTER: PortSource[] = ["masters", "media"];
const LB: PortSource[] = ["loadBalancer"];
const DNS = { topology: "dns" } as const;
const NLB = { topology: "nlb" } as const;

/** Rows the load-balancer topology (AWS) uses on both lines: the NLB replaces the masters' public ports. */
const NLB_ROWS: PortRule[] = [
    rule("master", "tcp", 80, LB, "HTTP from the load balancer (redirect to HTTPS).", NLB),
    rule("master", "tcp", 443, LB, "TLS-terminated traffic from the load balancer (APIs, Dashboard, TURN over TLS).", NLB),
    rule("master", "tcp", 7880, LB, "Load balancer health check (/health/caddy).", NLB),
    rule("media", "tcp", 1945, LB, "RTMP from the load balancer (TLS 1935 terminated at the NLB).", NLB),
    rule("media", "tcp", 9092, LB, "Load balancer health check of the media RTMP target group.", NLB),
    rule("media", "tcp", 5349, LB, "TURN over TLS from the TURN load balancer (TLS 443 terminated at the NLB).", { ...NLB, requiresTurnDomain: true }),
];

const SEED_3_0: PortRule[] = [
    rule("master", "tcp", 80, PUBLIC, "Redirect HTTP to HTTPS and Let's Encrypt validation.", DNS),
    rule("master", "tcp", 443, PUBLIC, "LiveKit API, OpenVidu v2 Compatibility API, Dashboard, OpenVidu Call, WHIP API, TURN with TLS, custom layouts.", DNS),
    rule("master", "tcp", 1935, PUBLIC, "(Optional) For ingesting RTMP streams using Ingress service.", DNS),
    rule("master", "tcp", 9000, PUBLIC, "(Optional) To expose MinIO publicly.", DNS),
    rule("master", "tcp", 3000, MASTERS, "(Optional) For load balancing requests to Grafana (Observability module).", { module: "observability" }),
    rule("master", "tcp", 8080, MASTERS, "For load balancing requests to OpenVidu Dashboard."),
    rule("master", "tcp", 9101, MASTERS, "For load balancing requests to MinIO Console."),
    rule("master", "tcp", [7946, 7947], MASTERS, "(Optional) For Mimir and Loki cluster communication (Observability module).", { module: "observability" }),
    rule("master", "tcp", [9095, 9096], MASTERS, "(Optional) For Mimir and Loki cluster communication (Observability module).", { module: "observability" }),
    rule("master", "tcp", 3100, MEDIA, "(Optional) For Loki (Observability module).", { module: "observability" }),
    rule("master", "tcp", 9009, MEDIA, "(Optional) For Mimir (Observability module).", { module: "observability" }),
    rule("master", "tcp", 4443, CLUSTER, "(Optional) For OpenVidu V2 compatibility service.", { module: "v2compatibility" }),
    rule("master", "tcp", 6080, CLUSTER, "(Optional) For OpenVidu Call (Default Application).", { module: "app" }),
    rule("master", "tcp", [7000, 7001], CLUSTER, "For internal Redis communication"),
    rule("master", "tcp", 9100, CLUSTER, "For internal MinIO communication"),
    rule("master", "tcp", 20000, CLUSTER, "For internal Mongo communication"),
    rule("media", "udp", 443, PUBLIC, "STUN/TURN over UDP."),
    rule("media", "tcp", 7881, PUBLIC, "(Optional), only needed if you want to allow WebRTC over TCP."),
    rule("media", "udp", 7885, PUBLIC, "(Optional). Only needed if you want to ingest WebRTC using WHIP."),
    rule("media", "udp", [50000, 60000], PUBLIC, "WebRTC Media traffic."),
    rule("media", "tcp", 1935, MASTERS, "(Optional). RTMP ingest: masters reach the Ingress RTMP service and expose it using TLS (RTMPS).", DNS),
    rule("media", "tcp", 5349, MASTERS, "(Optional). TURN with TLS: masters reach the TURN service and expose it using TLS (TURNS).", {
        ...DNS,
        requiresTurnDomain: true,
    }),
    rule("media", "tcp", 7880, MASTERS, "LiveKit API. Masters load balance the LiveKit API and expose it through HTTPS."),
    rule("media", "tcp", 8080, MASTERS, "(Optional). WHIP: masters reach the WHIP HTTP service."),
];

const CURRENT_3_8: PortRule[] = [
    rule("master", "tcp", 80, PUBLIC, "Redirect HTTP to HTTPS and Let's Encrypt validation.", DNS),
    rule("master", "tcp", 443, PUBLIC, "LiveKit API, v2 Compatibility API, Dashboard, OpenVidu Meet, WHIP API, TURN with TLS, custom layouts.", DNS),
    rule("master", "tcp", 1935, PUBLIC, "(Optional) RTMPS ingest through the Ingress service.", DNS),
    rule("master", "tcp", 9000, PUBLIC, "(Optional) To expose MinIO publicly.", DNS),
    rule("master", "tcp", 3000, MASTERS, "Grafana load balancing (Observability module).", { module: "observability" }),
    rule("master", "tcp", 5000, MASTERS, "OpenVidu Dashboard load balancing."),
    rule("master", "tcp", 9101, MASTERS, "MinIO Console load balancing."),
    rule("master", "tcp", [7946, 7947], MASTERS, "Mimir and Loki memberlist (Observability module).", { module: "observability" }),
    rule("master", "tcp", [9095, 9096], MASTERS, "Mimir and Loki gRPC (Observability module).", { module: "observability" }),
    rule("master", "tcp", 3100, MEDIA, "Loki push from media nodes (Observability module).", { module: "observability" }),
    rule("master", "tcp", 9009, MEDIA, "Mimir remote write from media nodes (Observability module).", { module: "observability" }),
    rule("master", "tcp", 7880, MEDIA, "Load-balanced LiveKit API for Ingress, Egress and agents on media nodes."),
    rule("master", "tcp", 4443, CLUSTER, "OpenVidu v2 compatibility service and its webhook.", { module: "v2compatibility" }),
    rule("master", "tcp", 9080, CLUSTER, "OpenVidu Meet and its webhook.", { module: "openviduMeet" }),
    rule("master", "tcp", 6080, CLUSTER, "Custom application port (vendor template).", NLB),
    rule("master", "tcp", [7000, 7001], CLUSTER, "Redis and Redis Sentinel."),
    rule("master", "tcp", 9100, CLUSTER, "MinIO."),
    rule("master", "tcp", 20000, CLUSTER, "MongoDB replica set."),
    rule("media", "udp", 443, PUBLIC, "STUN/TURN over UDP."),
    // The page gates the two TCP media ports by engine: 7881 "over TCP with Pion", 50000-60000 "over TCP with
    // Mediasoup". The vendor's CloudFormation opens both whatever the engine; see README "Ports by RTC engine".
    rule("media", "tcp", 7881, PUBLIC, "WebRTC media traffic over TCP with Pion.", { rtcEngine: "pion" }),
    rule("media", "udp", 7885, PUBLIC, "WebRTC ingest using WHIP."),
    rule("media", "udp", [50000, 60000], PUBLIC, "WebRTC media traffic over UDP."),
    rule("media", "tcp", [50000, 60000], PUBLIC, "WebRTC media traffic over TCP with Mediasoup.", { rtcEngine: "mediasoup" }),
    rule("media", "tcp", 1935, MASTERS, "RTMP ingest behind the masters' RTMPS.", DNS),
    rule("media", "tcp", 5349, MASTERS, "TURN over TLS backend, reached by the masters.", { ...DNS, requiresTurnDomain: true }),
    rule("media", "tcp", 5349, MASTERS, "TURN over TLS backend, reached by the masters.", NLB),
    rule("media", "tcp", 7880, MASTERS, "LiveKit API, load balanced by the masters."),
    rule("media", "tcp", 8080, MASTERS, "WHIP HTTP service, reached by the masters."),
];

export const PORT_TABLES = {
    "3.0": [...SEED_3_0, ...NLB_ROWS],
    "3.8": [...CURRENT_3_8, ...NLB_ROWS],
} as const;

export interface PortRuleFilter {
    topology: Topology;
    modules: readonly string[];
    turnDomain: boolean;
    rtcEngine: RtcEngine;
}

/** The rules that apply to one deployment, in table order. */
export function applicablePortRules(table: readonly PortRule[], filter: PortRuleFilter): PortRule[] {
    return table.filter(
        (r) =>
            (r.topology === undefined || r.topology === filter.topology) &&
            (r.module === undefined || filter.modules.includes(r.module)) &&
            (!r.requiresTurnDomain || filter.turnDomain) &&
            (r.rtcEngine === undefined || r.rtcEngine === filter.rtcEngine),
    );
}

export function portRange(r: Pick<PortRule, "fromPort" | "toPort">): string {
    return r.fromPort === r.toPort ? String(r.fromPort) : `${r.fromPort}-${r.toPort}`;
}
