/**
 * Inbound port tables per release line, as the on-prem `firewallRules` output shows them: 3.0 is the seed's
 * tables exactly; 3.8 follows vendor facts 3.2 and 3.3; optional rows follow the modules and the TURN domain.
 */
import * as assert from "assert";
import { firewallRules, FirewallRule } from "../../components/core/firewall-rules";
import { RELEASE_LINES } from "../../components/core/release-lines";
import { ONPREM_SECRET_KEYS, onpremConfig } from "../support/fixtures";
import { runProgram, sharedRun } from "../support/program";

const MASTERS = ["10.5.0.1/32", "10.5.0.2/32", "10.5.0.3/32", "10.5.0.4/32"];
const MEDIA = ["10.5.1.1/32", "10.5.1.2/32"];
const PUBLIC = ["0.0.0.0/0", "::/0"];
const CIDRS = { public: PUBLIC, masters: MASTERS, media: MEDIA, cluster: [...MASTERS, ...MEDIA] };
const ROLES = { public: ["public"], masters: ["masters"], media: ["media"], cluster: ["masters", "media"] };

/** [protocol, ports, source, optional in the seed, what the description must say] */
type Row = ["tcp" | "udp", string, keyof typeof CIDRS, boolean, RegExp];

/** Seed, "Port rules (Master Nodes)". */
const SEED_MASTER: Row[] = [
    ["tcp", "80", "public", false, /Redirect HTTP to HTTPS and Let's Encrypt validation/],
    ["tcp", "443", "public", false, /LiveKit API.*V2 Compatibility API.*Dashboard.*OpenVidu Call.*WHIP API.*TURN with TLS.*ustom layouts/i],
    ["tcp", "1935", "public", true, /RTMP streams using Ingress/],
    ["tcp", "9000", "public", true, /expose MinIO publicly/],
    ["tcp", "3000", "masters", true, /Grafana \(Observability module\)/],
    ["tcp", "8080", "masters", false, /OpenVidu Dashboard/],
    ["tcp", "9101", "masters", false, /MinIO Console/],
    ["tcp", "7946-7947", "masters", true, /Mimir and Loki cluster communication \(Observability module\)/],
    ["tcp", "9095-9096", "masters", true, /Mimir and Loki cluster communication \(Observability module\)/],
    ["tcp", "3100", "media", true, /Loki \(Observability module\)/],
    ["tcp", "9009", "media", true, /Mimir \(Observability module\)/],
    ["tcp", "4443", "cluster", true, /OpenVidu V2 compatibility service/],
    ["tcp", "6080", "cluster", true, /OpenVidu Call \(Default Application\)/],
    ["tcp", "7000-7001", "cluster", false, /internal Redis communication/],
    ["tcp", "9100", "cluster", false, /internal MinIO communication/],
    ["tcp", "20000", "cluster", false, /internal Mongo communication/],
];

/** Seed, "Port rules (Media Nodes)". */
const SEED_MEDIA: Row[] = [
    ["udp", "443", "public", false, /STUN\/TURN over UDP/],
    ["tcp", "7881", "public", true, /WebRTC over TCP/],
    ["udp", "7885", "public", true, /ingest WebRTC using WHIP/],
    ["udp", "50000-60000", "public", false, /WebRTC Media traffic/],
    ["tcp", "1935", "masters", true, /RTMP.*Ingress.*RTMPS/],
    ["tcp", "5349", "masters", true, /TURN.*TLS.*TURNS/],
    ["tcp", "7880", "masters", false, /LiveKit API.*load balance/i],
    ["tcp", "8080", "masters", true, /WHIP/],
];

/** Vendor facts 3.2: the current on-prem master table (8080 → 5000, 6080 → 9080, 7880 from media). */
const CURRENT_MASTER: [string, string, keyof typeof CIDRS, RegExp][] = [
    ["tcp", "80", "public", /HTTPS/],
    ["tcp", "443", "public", /Meet/],
    ["tcp", "1935", "public", /RTMP/],
    ["tcp", "9000", "public", /MinIO/],
    ["tcp", "3000", "masters", /Grafana/],
    ["tcp", "5000", "masters", /Dashboard/],
    ["tcp", "9101", "masters", /MinIO Console/],
    ["tcp", "7946-7947", "masters", /Mimir and Loki/],
    ["tcp", "9095-9096", "masters", /Mimir and Loki/],
    ["tcp", "3100", "media", /Loki/],
    ["tcp", "9009", "media", /Mimir/],
    ["tcp", "7880", "media", /LiveKit API/],
    ["tcp", "4443", "cluster", /v2 compatibility/i],
    ["tcp", "9080", "cluster", /OpenVidu Meet/],
    ["tcp", "7000-7001", "cluster", /Redis/],
    ["tcp", "9100", "cluster", /MinIO/],
    ["tcp", "20000", "cluster", /Mongo/],
];

/** Vendor facts 3.3 and the current page: the media TCP port is the engine's (7881 Pion, 50000-60000 Mediasoup). */
const CURRENT_MEDIA_TAIL: [string, string, keyof typeof CIDRS, RegExp][] = [
    ["tcp", "1935", "masters", /RTMP/],
    ["tcp", "5349", "masters", /TURN over TLS/],
    ["tcp", "7880", "masters", /LiveKit API/],
    ["tcp", "8080", "masters", /WHIP/],
];
const CURRENT_MEDIA_PION: [string, string, keyof typeof CIDRS, RegExp][] = [
    ["udp", "443", "public", /STUN\/TURN/],
    ["tcp", "7881", "public", /over TCP with Pion/],
    ["udp", "7885", "public", /WHIP/],
    ["udp", "50000-60000", "public", /WebRTC media traffic over UDP/i],
    ...CURRENT_MEDIA_TAIL,
];
const CURRENT_MEDIA_MEDIASOUP: [string, string, keyof typeof CIDRS, RegExp][] = [
    ["udp", "443", "public", /STUN\/TURN/],
    ["udp", "7885", "public", /WHIP/],
    ["udp", "50000-60000", "public", /WebRTC media traffic over UDP/i],
    ["tcp", "50000-60000", "public", /over TCP with Mediasoup/],
    ...CURRENT_MEDIA_TAIL,
];

function assertTable(actual: FirewallRule[], expected: [string, string, keyof typeof CIDRS, ...unknown[]][], what: string): void {
    assert.deepStrictEqual(
        actual.map((r) => [r.protocol, r.ports, r.sources, r.sourceRoles]),
        expected.map(([protocol, ports, source]) => [protocol, ports, CIDRS[source], ROLES[source]]),
        what,
    );
    actual.forEach((r, i) => {
        const description = expected[i][expected[i].length - 1] as RegExp;
        assert.match(r.description, description, `${what} ${r.protocol} ${r.ports}`);
    });
}

describe("port tables", () => {
    let v30: Record<"master" | "media", FirewallRule[]>;
    let v38: Record<"master" | "media", FirewallRule[]>;
    let v38mediasoup: Record<"master" | "media", FirewallRule[]>;

    before(async () => {
        const all = { turnDomain: "turn.example.com" };
        v30 = (await runProgram(onpremConfig({ ...all, openviduVersion: "3.0.0" }), ONPREM_SECRET_KEYS)).outputs.firewallRules as typeof v30;
        v38 = (await sharedRun(onpremConfig(all), ONPREM_SECRET_KEYS)).outputs.firewallRules as typeof v38;
        v38mediasoup = (await runProgram(onpremConfig({ ...all, rtcEngine: "mediasoup" }), ONPREM_SECRET_KEYS)).outputs.firewallRules as typeof v38;
    });

    it("3.0 masters: the seed's table, row for row", () => {
        assertTable(v30.master, SEED_MASTER, "3.0 master");
        v30.master.forEach((r, i) => assert.strictEqual(r.description.startsWith("(Optional)"), SEED_MASTER[i][3], `optional ${r.ports}`));
    });

    it("3.0 media nodes: the seed's table, row for row", () => {
        assertTable(v30.media, SEED_MEDIA, "3.0 media");
        v30.media.forEach((r, i) => assert.strictEqual(r.description.startsWith("(Optional)"), SEED_MEDIA[i][3], `optional ${r.ports}`));
    });

    it("3.8 masters: 5000 instead of 8080, 9080 instead of 6080, 7880 from media", () => {
        assertTable(v38.master, CURRENT_MASTER, "3.8 master");
    });

    it("3.8 media nodes with pion (the default): TCP 7881, no TCP 50000-60000", () => {
        assertTable(v38.media, CURRENT_MEDIA_PION, "3.8 media pion");
    });

    it("3.8 media nodes with mediasoup: TCP 50000-60000, no TCP 7881; masters unchanged", () => {
        assertTable(v38mediasoup.media, CURRENT_MEDIA_MEDIASOUP, "3.8 media mediasoup");
        assert.deepStrictEqual(v38mediasoup.master, v38.master);
    });
});

describe("port tables: optional rows", () => {
    const line = (id: string) => RELEASE_LINES.find((l) => l.id === id)!;
    const addresses = { masters: ["10.5.0.1"], media: ["10.5.1.1"] };
    const ports = (id: string, modules: string[], turnDomain = true, rtcEngine: "pion" | "mediasoup" = "pion") => {
        const rules = firewallRules(line(id).ports, { topology: "dns", modules, turnDomain, rtcEngine }, addresses);
        return { master: rules.master.map((r) => `${r.protocol}/${r.ports}`), media: rules.media.map((r) => `${r.protocol}/${r.ports}`) };
    };
    const OBSERVABILITY = ["tcp/3000", "tcp/7946-7947", "tcp/9095-9096", "tcp/3100", "tcp/9009"];

    it("observability opens Grafana, Mimir and Loki ports only when enabled", () => {
        for (const id of ["3.0", "3.8"]) {
            const withIt = ports(id, ["observability"]).master;
            const without = ports(id, []).master;
            assert.deepStrictEqual(
                withIt.filter((p) => !without.includes(p)),
                OBSERVABILITY,
                id,
            );
        }
    });

    it("v2compatibility opens 4443 and the application module its port, only when enabled", () => {
        assert.deepStrictEqual(
            ports("3.0", ["v2compatibility"]).master.filter((p) => !ports("3.0", []).master.includes(p)),
            ["tcp/4443"],
        );
        assert.deepStrictEqual(
            ports("3.0", ["app"]).master.filter((p) => !ports("3.0", []).master.includes(p)),
            ["tcp/6080"],
        );
        assert.deepStrictEqual(
            ports("3.8", ["v2compatibility"]).master.filter((p) => !ports("3.8", []).master.includes(p)),
            ["tcp/4443"],
        );
        assert.deepStrictEqual(
            ports("3.8", ["openviduMeet"]).master.filter((p) => !ports("3.8", []).master.includes(p)),
            ["tcp/9080"],
        );
    });

    it("3.8 media nodes open the TCP media port of their engine only; 3.0 keeps the seed's 7881 with either", () => {
        const tcpMedia = (id: string, engine: "pion" | "mediasoup") =>
            ports(id, [], false, engine).media.filter((p) => p === "tcp/7881" || p === "tcp/50000-60000");
        assert.deepStrictEqual(tcpMedia("3.8", "pion"), ["tcp/7881"]);
        assert.deepStrictEqual(tcpMedia("3.8", "mediasoup"), ["tcp/50000-60000"]);
        assert.deepStrictEqual(tcpMedia("3.0", "pion"), ["tcp/7881"]);
        assert.deepStrictEqual(tcpMedia("3.0", "mediasoup"), ["tcp/7881"]);
    });

    it("media nodes open TURN over TLS (5349) only with a TURN domain", () => {
        for (const id of ["3.0", "3.8"]) {
            assert.ok(ports(id, [], true).media.includes("tcp/5349"), id);
            assert.ok(!ports(id, [], false).media.includes("tcp/5349"), id);
        }
    });

    it("without optional modules, the rows every deployment needs remain", () => {
        assert.deepStrictEqual(ports("3.8", [], false).master, [
            "tcp/80",
            "tcp/443",
            "tcp/1935",
            "tcp/9000",
            "tcp/5000",
            "tcp/9101",
            "tcp/7880",
            "tcp/7000-7001",
            "tcp/9100",
            "tcp/20000",
        ]);
        assert.deepStrictEqual(ports("3.0", [], false).master, [
            "tcp/80",
            "tcp/443",
            "tcp/1935",
            "tcp/9000",
            "tcp/8080",
            "tcp/9101",
            "tcp/7000-7001",
            "tcp/9100",
            "tcp/20000",
        ]);
    });
});
