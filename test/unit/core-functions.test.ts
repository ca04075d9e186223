/**
 * The pure core's functions with literal expected values: the updater's path (vendor facts 4: "3.0.0 -> 3.1.0 ->
 * ... -> 3.8.0", checkpoint 3.5.0), port filtering, DNS records and the health-checked DNS plans.
 */
import * as assert from "assert";
import {
    cloudflareHealthPlan,
    CLOUDFLARE_CHECK_REGIONS,
    CLOUDFLARE_MONITOR_TIMING,
    DEFAULT_HEALTH_CHECK_PATH,
    dnsNames,
    masterHealthProbe,
    ROUTE53_HEALTH_CHECK_TIMING,
    route53Plan,
} from "../../components/core/dns-health";
import { cnameRecords, roundRobinRecords } from "../../components/core/dns-records";
import { firewallRules, PUBLIC_CIDRS, sourceCidrs } from "../../components/core/firewall-rules";
import { applicablePortRules, PortRule, portRange } from "../../components/core/port-tables";
import { UPDATER_STEPS, UPGRADE_CHECKPOINT, upgradePath } from "../../components/core/upgrade-path";
import { INSTALLER_ROLE } from "../../components/core/types";
import { assertUpgradeRefused, downgradeMessage, noPathMessage, VENDOR_PATH_TEXT } from "../support/upgrade-refusals";

describe("upgradePath (the vendor updater's one-step path)", () => {
    it("walks the vendor's steps and list", () => {
        assert.strictEqual(UPDATER_STEPS.join(" -> "), VENDOR_PATH_TEXT);
        assert.strictEqual(UPGRADE_CHECKPOINT, "3.5.0");
    });

    it("is empty for the installed version", () => {
        assert.deepStrictEqual(upgradePath("3.8.0", "3.8.0"), { legs: [], steps: [] });
        assert.deepStrictEqual(upgradePath("9.9.9", "9.9.9"), { legs: [], steps: [] });
    });

    it("one leg when the path does not cross 3.5.0", () => {
        assert.deepStrictEqual(upgradePath("3.5.0", "3.8.0"), { legs: ["3.8.0"], steps: ["3.6.0", "3.6.1", "3.7.0", "3.8.0"] });
        assert.deepStrictEqual(upgradePath("3.0.0", "3.5.0"), { legs: ["3.5.0"], steps: ["3.1.0", "3.2.0", "3.3.0", "3.4.0", "3.4.1", "3.5.0"] });
        assert.deepStrictEqual(upgradePath("3.6.1", "3.7.0"), { legs: ["3.7.0"], steps: ["3.7.0"] });
    });

    it("stops at the 3.5.0 checkpoint when crossing it", () => {
        assert.deepStrictEqual(upgradePath("3.4.1", "3.6.0"), { legs: ["3.5.0", "3.6.0"], steps: ["3.5.0", "3.6.0"] });
        assert.deepStrictEqual(upgradePath("3.0.0", "3.8.0"), {
            legs: ["3.5.0", "3.8.0"],
            steps: ["3.1.0", "3.2.0", "3.3.0", "3.4.0", "3.4.1", "3.5.0", "3.6.0", "3.6.1", "3.7.0", "3.8.0"],
        });
    });

    it("refuses a downgrade naming both versions", () => {
        assertUpgradeRefused("3.8.0", "3.7.0", downgradeMessage("3.8.0", "3.7.0"));
        assert.throws(() => upgradePath("3.0.1", "3.0.0"), /no upgrade path from the installed 3.0.1/);
    });

    it("names the target when only the target is off the path, even from the first step", () => {
        assertUpgradeRefused("3.0.0", "3.8.1", noPathMessage("3.0.0", "3.8.1", "3.8.1"));
    });

    it("refuses versions off the path, naming the one the updater does not know", () => {
        assertUpgradeRefused("3.0.1", "3.8.0", noPathMessage("3.0.1", "3.8.0", "3.0.1"));
        assertUpgradeRefused("3.8.0", "3.8.1", noPathMessage("3.8.0", "3.8.1", "3.8.1"));
    });
});

describe("port filtering", () => {
    const row = (over: Partial<PortRule>): PortRule => ({
        role: "master",
        protocol: "tcp",
        fromPort: 1,
        toPort: 1,
        sources: ["public"],
        description: "d",
        ...over,
    });
    const table = [
        row({ fromPort: 1, toPort: 1 }),
        row({ fromPort: 2, toPort: 2, topology: "dns" }),
        row({ fromPort: 3, toPort: 3, topology: "nlb" }),
        row({ fromPort: 4, toPort: 4, module: "observability" }),
        row({ fromPort: 5, toPort: 5, requiresTurnDomain: true }),
        row({ fromPort: 6, toPort: 6, rtcEngine: "pion" }),
        row({ fromPort: 7, toPort: 7, rtcEngine: "mediasoup" }),
        row({ fromPort: 8, toPort: 8, requiresTurnDomain: false }),
    ];
    const ports = (f: Parameters<typeof applicablePortRules>[1]) => applicablePortRules(table, f).map((r) => r.fromPort);

    it("keeps rows whose topology, module, TURN domain and engine match, in table order", () => {
        assert.deepStrictEqual(ports({ topology: "dns", modules: [], turnDomain: false, rtcEngine: "pion" }), [1, 2, 6, 8]);
        assert.deepStrictEqual(ports({ topology: "nlb", modules: ["observability"], turnDomain: true, rtcEngine: "mediasoup" }), [1, 3, 4, 5, 7, 8]);
    });

    it("writes single ports and ranges as the firewall output shows them", () => {
        assert.strictEqual(portRange({ fromPort: 443, toPort: 443 }), "443");
        assert.strictEqual(portRange({ fromPort: 50000, toPort: 60000 }), "50000-60000");
    });

    it("firewall rules: each role gets its own rows, resolved", () => {
        const rows = [
            row({ role: "master", fromPort: 443, toPort: 443, sources: ["public"], description: "m" }),
            row({ role: "media", protocol: "udp", fromPort: 50000, toPort: 60000, sources: ["masters"], description: "x" }),
        ];
        assert.deepStrictEqual(
            firewallRules(rows, { topology: "dns", modules: [], turnDomain: false, rtcEngine: "pion" }, { masters: ["10.5.0.1"], media: [] }),
            {
                master: [{ protocol: "tcp", ports: "443", sources: ["0.0.0.0/0", "::/0"], sourceRoles: ["public"], description: "m" }],
                media: [{ protocol: "udp", ports: "50000-60000", sources: ["10.5.0.1/32"], sourceRoles: ["masters"], description: "x" }],
            },
        );
    });

    it("resolves sources to CIDRs; the load balancer has none", () => {
        const addresses = { masters: ["10.5.0.1"], media: ["fd00::7"] };
        assert.deepStrictEqual(PUBLIC_CIDRS, ["0.0.0.0/0", "::/0"]);
        assert.deepStrictEqual(sourceCidrs(["loadBalancer"], addresses), []);
        assert.deepStrictEqual(sourceCidrs(["public", "masters", "media"], addresses), ["0.0.0.0/0", "::/0", "10.5.0.1/32", "fd00::7/128"]);
    });
});

describe("DNS records", () => {
    it("CNAMEs to the load balancers, never proxied", () => {
        assert.deepStrictEqual(cnameRecords([{ key: "domain", name: "ov.example.com", target: "nlb-1.elb.amazonaws.com" }], 300), [
            { key: "domain", name: "ov.example.com", type: "CNAME", content: "nlb-1.elb.amazonaws.com", ttl: 300, proxied: false },
        ]);
    });

    it("round robin: the full record for one IPv4 master", () => {
        assert.deepStrictEqual(roundRobinRecords("ov.example.com", undefined, ["203.0.113.1"], 60), [
            { key: "domain-master-1", name: "ov.example.com", type: "A", content: "203.0.113.1", ttl: 60, proxied: false },
        ]);
    });

    it("installer role names", () => {
        assert.deepStrictEqual(INSTALLER_ROLE, { master: "master-node", media: "media-node" });
    });
});

describe("health-checked DNS plans", () => {
    const masters = [
        { label: "master-1", publicIp: "203.0.113.1" },
        { label: "master-2", publicIp: "2001:db8::2" },
    ];
    const probe = () => masterHealthProbe("ov.example.com", DEFAULT_HEALTH_CHECK_PATH, true);

    it("probes https://<master>:443/health/caddy with the domain as Host, 200 only, 5 s", () => {
        assert.deepStrictEqual(probe(), {
            protocol: "https",
            port: 443,
            path: "/health/caddy",
            host: "ov.example.com",
            expectedStatus: 200,
            timeoutSeconds: 5,
            allowInsecure: true,
        });
        assert.strictEqual(masterHealthProbe("ov.example.com", "/x", false).allowInsecure, false);
    });

    it("names the domain, then the TURN domain when set", () => {
        assert.deepStrictEqual(dnsNames("ov.example.com", "turn.example.com"), [
            { key: "domain", name: "ov.example.com" },
            { key: "turn", name: "turn.example.com" },
        ]);
        assert.deepStrictEqual(dnsNames("ov.example.com", undefined), [{ key: "domain", name: "ov.example.com" }]);
    });

    it("Cloudflare: monitor, one pool of the masters, one DNS-only load balancer per name", () => {
        assert.deepStrictEqual(CLOUDFLARE_MONITOR_TIMING, { interval: 60, retries: 2, consecutiveDown: 1, consecutiveUp: 2 });
        assert.strictEqual(CLOUDFLARE_CHECK_REGIONS.length, 13);
        const plan = cloudflareHealthPlan(dnsNames("ov.example.com", "turn.example.com"), masters, probe(), 60, ["WEU", "ENAM"]);
        assert.deepStrictEqual(plan, {
            monitor: {
                type: "https",
                port: 443,
                method: "GET",
                path: "/health/caddy",
                header: { Host: ["ov.example.com"] },
                expectedCodes: "200",
                followRedirects: false,
                allowInsecure: true,
                timeout: 5,
                interval: 60,
                retries: 2,
                consecutiveDown: 1,
                consecutiveUp: 2,
                description: "openvidu-ha ov.example.com: masters' /health/caddy",
            },
            pool: {
                name: "openvidu-ha-ov-example-com-masters",
                description: "openvidu-ha ov.example.com: the 4 masters",
                origins: [
                    { name: "master-1", address: "203.0.113.1", enabled: true, weight: 1 },
                    { name: "master-2", address: "2001:db8::2", enabled: true, weight: 1 },
                ],
                minimumOrigins: 1,
                checkRegions: ["WEU", "ENAM"],
                originSteering: { policy: "random" },
            },
            loadBalancers: [
                {
                    key: "domain",
                    name: "ov.example.com",
                    proxied: false,
                    ttl: 60,
                    steeringPolicy: "off",
                    sessionAffinity: "none",
                    description: "openvidu-ha ov.example.com: healthy masters, DNS only",
                },
                {
                    key: "turn",
                    name: "turn.example.com",
                    proxied: false,
                    ttl: 60,
                    steeringPolicy: "off",
                    sessionAffinity: "none",
                    description: "openvidu-ha turn.example.com: healthy masters, DNS only",
                },
            ],
        });
    });

    it("Cloudflare pool names keep only lowercase letters and digits between dashes", () => {
        const plan = cloudflareHealthPlan([], masters, masterHealthProbe("a--b.example.com", "/", false), 60, []);
        assert.strictEqual(plan.pool.name, "openvidu-ha-a-b-example-com-masters");
    });

    it("Route 53 with health checks: one HTTPS check per master, multivalue records tied to them", () => {
        // Each master's expected check: the same literal fields but its key and address.
        const httpsCheck = (key: string, ipAddress: string) => ({
            key,
            type: "HTTPS",
            ipAddress,
            port: 443,
            resourcePath: "/health/caddy",
            fqdn: "ov.example.com",
            enableSni: true,
            requestInterval: 10,
            failureThreshold: 2,
        });
        assert.deepStrictEqual(ROUTE53_HEALTH_CHECK_TIMING, { requestInterval: 10, failureThreshold: 2 });
        assert.deepStrictEqual(route53Plan(dnsNames("ov.example.com", undefined), masters, 120, probe()), {
            healthChecks: [httpsCheck("master-1", "203.0.113.1"), httpsCheck("master-2", "2001:db8::2")],
            records: [
                {
                    key: "domain-master-1",
                    name: "ov.example.com",
                    type: "A",
                    ttl: 120,
                    records: ["203.0.113.1"],
                    setIdentifier: "master-1",
                    healthCheckKey: "master-1",
                },
                {
                    key: "domain-master-2",
                    name: "ov.example.com",
                    type: "AAAA",
                    ttl: 120,
                    records: ["2001:db8::2"],
                    setIdentifier: "master-2",
                    healthCheckKey: "master-2",
                },
            ],
        });
    });

    it("Route 53 without health checks: the same records, no checks, no check keys", () => {
        const plan = route53Plan(dnsNames("ov.example.com", "turn.example.com"), masters, 120);
        assert.deepStrictEqual(plan.healthChecks, []);
        assert.deepStrictEqual(
            plan.records.map((r) => [r.key, r.name, r.type, "healthCheckKey" in r]),
            [
                ["domain-master-1", "ov.example.com", "A", false],
                ["domain-master-2", "ov.example.com", "AAAA", false],
                ["turn-master-1", "turn.example.com", "A", false],
                ["turn-master-2", "turn.example.com", "AAAA", false],
            ],
        );
    });
});
