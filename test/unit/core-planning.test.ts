/** Pure planning functions: round-robin records, service URLs, the firewallRules output shape. */
import * as assert from "assert";
import { roundRobinRecords } from "../../components/core/dns-records";
import { firewallRules, hostCidr } from "../../components/core/firewall-rules";
import { RELEASE_LINES } from "../../components/core/release-lines";
import { clusterUrls } from "../../components/core/urls";

const line = (id: string) => RELEASE_LINES.find((l) => l.id === id)!;

describe("roundRobinRecords", () => {
    const ips = ["203.0.113.11", "203.0.113.12", "2001:db8::13", "203.0.113.14"];

    it("gives one record per master IP for domain, then for turnDomain, never proxied", () => {
        const records = roundRobinRecords("ov.example.com", "turn.example.com", ips, 120);
        assert.deepStrictEqual(
            records.map((r) => [r.key, r.name, r.type, r.content, r.ttl, r.proxied]),
            [
                ["domain-master-1", "ov.example.com", "A", "203.0.113.11", 120, false],
                ["domain-master-2", "ov.example.com", "A", "203.0.113.12", 120, false],
                ["domain-master-3", "ov.example.com", "AAAA", "2001:db8::13", 120, false],
                ["domain-master-4", "ov.example.com", "A", "203.0.113.14", 120, false],
                ["turn-master-1", "turn.example.com", "A", "203.0.113.11", 120, false],
                ["turn-master-2", "turn.example.com", "A", "203.0.113.12", 120, false],
                ["turn-master-3", "turn.example.com", "AAAA", "2001:db8::13", 120, false],
                ["turn-master-4", "turn.example.com", "A", "203.0.113.14", 120, false],
            ],
        );
    });

    it("has only the domain's records without turnDomain", () => {
        assert.deepStrictEqual(
            roundRobinRecords("ov.example.com", undefined, ips, 60).map((r) => r.name),
            Array(4).fill("ov.example.com"),
        );
    });
});

describe("clusterUrls", () => {
    it("3.8 with every module: OpenVidu, LiveKit, dashboard, MinIO console, Grafana and Meet", () => {
        assert.deepStrictEqual(clusterUrls("ov.example.com", line("3.8"), line("3.8").modules), {
            openvidu: "https://ov.example.com/",
            livekit: "wss://ov.example.com/",
            dashboard: "https://ov.example.com/dashboard/",
            minioConsole: "https://ov.example.com/minio-console/",
            grafana: "https://ov.example.com/grafana/",
            meet: "https://ov.example.com/",
        });
    });

    it("3.0 with every module: OpenVidu Call instead of Meet (the seed's service list)", () => {
        const urls = clusterUrls("openvidu.example.io", line("3.0"), line("3.0").modules);
        assert.strictEqual(urls.call, "https://openvidu.example.io/");
        assert.strictEqual(urls.meet, undefined);
        assert.strictEqual(urls.grafana, "https://openvidu.example.io/grafana/");
    });

    it("leaves out Grafana and the application without their modules", () => {
        for (const id of ["3.0", "3.8"]) {
            assert.deepStrictEqual(
                Object.keys(clusterUrls("ov.example.com", line(id), ["v2compatibility"])),
                ["openvidu", "livekit", "dashboard", "minioConsole"],
                id,
            );
        }
    });
});

describe("firewallRules output", () => {
    const addresses = { masters: ["10.5.0.1", "fd00::2"], media: ["10.5.1.1"] };
    // Computed inside each test: a call while mocha loads the file counts as load-time coverage for Stryker.
    const rules = () => firewallRules(line("3.8").ports, { topology: "dns", modules: ["observability"], turnDomain: false, rtcEngine: "pion" }, addresses);

    it("has a list per role of {protocol, ports, sources, sourceRoles, description}", () => {
        assert.deepStrictEqual(Object.keys(rules()), ["master", "media"]);
        for (const r of [...rules().master, ...rules().media]) {
            assert.deepStrictEqual(Object.keys(r).sort(), ["description", "ports", "protocol", "sourceRoles", "sources"]);
            assert.match(r.ports, /^\d+(-\d+)?$/);
            assert.ok(r.description.length > 0);
        }
    });

    it("gives sources as CIDRs: 0.0.0.0/0 and ::/0 for public, one host CIDR per role member", () => {
        const byPort = (role: "master" | "media", ports: string) => rules()[role].find((r) => r.ports === ports)!;
        assert.deepStrictEqual(byPort("master", "443").sources, ["0.0.0.0/0", "::/0"]);
        assert.deepStrictEqual(byPort("master", "3000").sources, ["10.5.0.1/32", "fd00::2/128"]);
        assert.deepStrictEqual(byPort("master", "3100").sources, ["10.5.1.1/32"]);
        assert.deepStrictEqual(byPort("master", "20000").sources, ["10.5.0.1/32", "fd00::2/128", "10.5.1.1/32"]);
        assert.deepStrictEqual(byPort("master", "20000").sourceRoles, ["masters", "media"]);
        assert.strictEqual(hostCidr("fd00::2"), "fd00::2/128");
    });

    it("contains no load balancer rows on-prem", () => {
        assert.ok([...rules().master, ...rules().media].every((r) => !r.sourceRoles.includes("loadBalancer")));
    });
});
