/** Security group rule sets to compare against: the vendor's template (reference 1.3) and the seed's 3.0 tables. */

export interface FlatRule {
    group: string;
    protocol: string;
    from: number;
    to: number;
    peer: string;
}

/** "group proto from-to peer" per rule, ports of one (group, protocol, peer) merged into intervals. */
export function normalized(rules: readonly FlatRule[]): string[] {
    const byKey = new Map<string, [number, number][]>();
    for (const r of rules) {
        const key = `${r.group} ${r.protocol} ${r.peer}`;
        byKey.set(key, [...(byKey.get(key) ?? []), [r.from, r.to]]);
    }
    const out: string[] = [];
    for (const [key, ranges] of byKey) {
        ranges.sort((a, b) => a[0] - b[0]);
        const merged: [number, number][] = [];
        for (const [f, t] of ranges) {
            const last = merged[merged.length - 1];
            if (last && f <= last[1] + 1) last[1] = Math.max(last[1], t);
            else merged.push([f, t]);
        }
        const [group, protocol, peer] = key.split(" ");
        out.push(...merged.map(([f, t]) => `${group} ${protocol} ${f === t ? f : `${f}-${t}`} ${peer}`));
    }
    return out.sort();
}

export type VendorRule = [group: string, protocol: string, ports: number | [number, number], peer: string];
export const expand = (rules: VendorRule[]) =>
    normalized(
        rules.flatMap(([group, protocol, ports, peer]) => {
            const [from, to] = typeof ports === "number" ? [ports, ports] : ports;
            const peers = peer === "any" ? ["0.0.0.0/0", "::/0"] : [peer];
            return peers.map((p) => ({ group, protocol, from, to, peer: p }));
        }),
    );

/** A master port both other masters and the media nodes reach (one row per source). */
const fromMastersAndMedia = (ports: number | [number, number]): VendorRule[] => [
    ["master", "tcp", ports, "master"],
    ["master", "tcp", ports, "media"],
];

/** Listeners open to all, and the master ports the balancer forwards to and checks: the same in both sources. */
const LOAD_BALANCER_ROWS: VendorRule[] = [
    ["loadBalancer", "tcp", 80, "any"],
    ["loadBalancer", "tcp", 443, "any"],
    ["loadBalancer", "tcp", 1935, "any"],
    ["master", "tcp", 80, "loadBalancer"],
    ["master", "tcp", 443, "loadBalancer"],
    ["master", "tcp", 7880, "loadBalancer"],
];

/** Media ports both sources open: WebRTC to all, RTMP and the Ingress check from the balancer, LiveKit and WHIP from masters. */
const MEDIA_ROWS: VendorRule[] = [
    ["media", "udp", 443, "any"],
    ["media", "tcp", 7881, "any"],
    ["media", "udp", 7885, "any"],
    ["media", "udp", [50000, 60000], "any"],
    ["media", "tcp", 1945, "loadBalancer"],
    ["media", "tcp", 9092, "loadBalancer"],
    ["media", "tcp", 7880, "master"],
    ["media", "tcp", 8080, "master"],
];

/** Vendor facts 1.3, "Security groups (exact ingress)", less the SSH rules (22 from anywhere on masters and media). */
export const VENDOR_3_8: VendorRule[] = [
    ...LOAD_BALANCER_ROWS,
    ["master", "tcp", 7880, "media"],
    ...fromMastersAndMedia([7000, 7001]),
    ...fromMastersAndMedia(9100),
    ["master", "tcp", 9101, "master"],
    ...fromMastersAndMedia(20000),
    ["master", "tcp", 9095, "master"],
    ["master", "tcp", 7946, "master"],
    ["master", "tcp", 9009, "media"],
    ["master", "tcp", 9096, "master"],
    ["master", "tcp", 7947, "master"],
    ["master", "tcp", 3100, "media"],
    ["master", "tcp", 5000, "master"],
    ["master", "tcp", 3000, "master"],
    ...fromMastersAndMedia(4443),
    ...fromMastersAndMedia(9080),
    ...fromMastersAndMedia(6080),
    ...MEDIA_ROWS,
    ["media", "tcp", [50000, 60000], "any"],
    ["media", "tcp", 5349, "master"],
];

/**
 * VENDOR_3_8 for one RTC engine: the template opens media TCP 7881 and TCP 50000-60000 whatever the engine; the
 * program opens the engine's own port only, as the vendor's on-prem page documents them (README "Ports by RTC engine").
 */
export function vendor38For(engine: "pion" | "mediasoup"): VendorRule[] {
    const otherEngines = engine === "pion" ? "[50000,60000]" : "7881";
    return VENDOR_3_8.filter(([group, protocol, ports]) => !(group === "media" && protocol === "tcp" && JSON.stringify(ports) === otherEngines));
}

/** The seed's 3.0 tables (rows that apply behind a load balancer) plus the load balancer rows. */
export const EXPECTED_3_0: VendorRule[] = [
    ...LOAD_BALANCER_ROWS,
    ["master", "tcp", 3000, "master"],
    ["master", "tcp", 8080, "master"],
    ["master", "tcp", 9101, "master"],
    ["master", "tcp", [7946, 7947], "master"],
    ["master", "tcp", [9095, 9096], "master"],
    ["master", "tcp", 3100, "media"],
    ["master", "tcp", 9009, "media"],
    ...fromMastersAndMedia(4443),
    ...fromMastersAndMedia(6080),
    ...fromMastersAndMedia([7000, 7001]),
    ...fromMastersAndMedia(9100),
    ...fromMastersAndMedia(20000),
    ...MEDIA_ROWS,
];
