/**
 * The DNS components alone (components/dns), each constructed in-process under the offline runtime's mock monitor
 * with a literal plan: the resources they register, their inputs, parents and options. No program run, no process;
 * nothing is computed at load time (see MUTATION.md).
 */
import * as assert from "assert";
import { CloudflareLoadBalancer } from "../../components/dns/cloudflare-load-balancer";
import { CloudflareDns } from "../../components/dns/cloudflare-records";
import { Route53Dns } from "../../components/dns/route53-records";
import { RecordedResource, runOffline } from "../../tools/offline-runtime";

const ZONE = "023e105f4ecef8ad9ca31a8372d0c353";
const ACCOUNT = "699d98642c564d2e855e9661899b7252";

async function construct(build: () => unknown): Promise<RecordedResource[]> {
    return (await runOffline(build, { project: "openvidu-ha", stack: "test", config: {} })).resources;
}

const summary = (resources: RecordedResource[]) => resources.map((r) => ({ type: r.type, name: r.name, parent: r.parent?.split("::").pop() ?? null }));

describe("DNS components (constructed alone, offline)", () => {
    it("CloudflareDns: one unproxied DnsRecord per planned record, named after its key, replaced by delete first", async () => {
        const resources = await construct(
            () =>
                new CloudflareDns("dns", {
                    zoneId: ZONE,
                    records: [
                        { key: "domain-master-1", name: "openvidu.example.com", type: "A", content: "203.0.113.11", ttl: 300, proxied: false },
                        { key: "turn", name: "turn.example.com", type: "CNAME", content: "lb.example.com", ttl: 60, proxied: false },
                    ],
                }),
        );
        assert.deepStrictEqual(summary(resources), [
            { type: "openvidu-ha:index:CloudflareDns", name: "dns", parent: null },
            { type: "cloudflare:index/dnsRecord:DnsRecord", name: "dns-domain-master-1", parent: "dns" },
            { type: "cloudflare:index/dnsRecord:DnsRecord", name: "dns-turn", parent: "dns" },
        ]);
        assert.deepStrictEqual(resources[1].inputs, {
            zoneId: ZONE,
            name: "openvidu.example.com",
            type: "A",
            content: "203.0.113.11",
            ttl: 300,
            proxied: false,
            comment: "managed by openvidu-ha",
        });
        assert.deepStrictEqual(resources[2].inputs, {
            zoneId: ZONE,
            name: "turn.example.com",
            type: "CNAME",
            content: "lb.example.com",
            ttl: 60,
            proxied: false,
            comment: "managed by openvidu-ha",
        });
        assert.deepStrictEqual(
            resources.slice(1).map((r) => r.options.deleteBeforeReplace),
            [true, true],
        );
    });

    it("CloudflareLoadBalancer: a monitor and a pool in the account, one DNS-only load balancer per name on that pool", async () => {
        const monitor = {
            type: "https" as const,
            port: 443,
            method: "GET" as const,
            path: "/",
            header: { Host: ["openvidu.example.com"] },
            expectedCodes: "200",
            followRedirects: false as const,
            allowInsecure: false,
            timeout: 5,
            interval: 60,
            retries: 2,
            consecutiveDown: 2,
            consecutiveUp: 2,
            description: "m",
        };
        const pool = {
            name: "openvidu-example-com",
            description: "p",
            origins: [{ name: "master-1", address: "203.0.113.11", enabled: true as const, weight: 1 as const }],
            minimumOrigins: 1 as const,
            checkRegions: ["WEU"],
            originSteering: { policy: "random" as const },
        };
        const lb = (key: string, name: string) => ({
            key,
            name,
            proxied: false as const,
            ttl: 30,
            steeringPolicy: "off" as const,
            sessionAffinity: "none" as const,
            description: `lb ${key}`,
        });
        const resources = await construct(
            () =>
                new CloudflareLoadBalancer("dns-lb", {
                    accountId: ACCOUNT,
                    zoneId: ZONE,
                    plan: { monitor, pool, loadBalancers: [lb("domain", "openvidu.example.com"), lb("turn", "turn.example.com")] },
                }),
        );
        assert.deepStrictEqual(summary(resources), [
            { type: "openvidu-ha:index:CloudflareLoadBalancer", name: "dns-lb", parent: null },
            { type: "cloudflare:index/loadBalancerMonitor:LoadBalancerMonitor", name: "dns-lb-monitor", parent: "dns-lb" },
            { type: "cloudflare:index/loadBalancerPool:LoadBalancerPool", name: "dns-lb-pool", parent: "dns-lb" },
            { type: "cloudflare:index/loadBalancer:LoadBalancer", name: "dns-lb-domain", parent: "dns-lb" },
            { type: "cloudflare:index/loadBalancer:LoadBalancer", name: "dns-lb-turn", parent: "dns-lb" },
        ]);
        assert.deepStrictEqual(resources[1].inputs, { accountId: ACCOUNT, ...monitor });
        assert.deepStrictEqual(resources[2].inputs, { accountId: ACCOUNT, ...pool, monitor: "dns-lb-monitor-id" });
        assert.deepStrictEqual(resources[3].inputs, {
            zoneId: ZONE,
            name: "openvidu.example.com",
            proxied: false,
            ttl: 30,
            steeringPolicy: "off",
            sessionAffinity: "none",
            description: "lb domain",
            defaultPools: ["dns-lb-pool-id"],
            fallbackPool: "dns-lb-pool-id",
        });
        assert.strictEqual((resources[4].inputs as { name: string }).name, "turn.example.com");
        assert.deepStrictEqual(
            resources.slice(1).map((r) => r.options.deleteBeforeReplace),
            [false, false, true, true],
        );
    });

    it("Route53Dns: a health check per master, one multivalue record per master tied to its check", async () => {
        const check = (key: string, ip: string) => ({
            key,
            type: "HTTPS" as const,
            ipAddress: ip,
            port: 443,
            resourcePath: "/",
            fqdn: "openvidu.example.com",
            enableSni: true as const,
            requestInterval: 30,
            failureThreshold: 3,
        });
        const resources = await construct(
            () =>
                new Route53Dns("dns", {
                    zoneId: "Z0123456789ABC",
                    plan: {
                        healthChecks: [check("master-1", "203.0.113.11"), check("master-2", "2001:db8::12")],
                        records: [
                            {
                                key: "domain-master-1",
                                name: "openvidu.example.com",
                                type: "A",
                                ttl: 60,
                                records: ["203.0.113.11"],
                                setIdentifier: "master-1",
                                healthCheckKey: "master-1",
                            },
                            {
                                key: "domain-master-2",
                                name: "openvidu.example.com",
                                type: "AAAA",
                                ttl: 60,
                                records: ["2001:db8::12"],
                                setIdentifier: "master-2",
                                healthCheckKey: "master-2",
                            },
                        ],
                    },
                }),
        );
        assert.deepStrictEqual(summary(resources), [
            { type: "openvidu-ha:index:Route53Dns", name: "dns", parent: null },
            { type: "aws:route53/healthCheck:HealthCheck", name: "dns-master-1-health", parent: "dns" },
            { type: "aws:route53/healthCheck:HealthCheck", name: "dns-master-2-health", parent: "dns" },
            { type: "aws:route53/record:Record", name: "dns-domain-master-1", parent: "dns" },
            { type: "aws:route53/record:Record", name: "dns-domain-master-2", parent: "dns" },
        ]);
        const { key: _key, ...fields } = check("master-1", "203.0.113.11");
        assert.deepStrictEqual(resources[1].inputs, { ...fields, tags: { Name: "openvidu-ha openvidu.example.com master-1" } });
        assert.deepStrictEqual(resources[4].inputs, {
            zoneId: "Z0123456789ABC",
            name: "openvidu.example.com",
            type: "AAAA",
            ttl: 60,
            records: ["2001:db8::12"],
            multivalueAnswerRoutingPolicy: true,
            setIdentifier: "master-2",
            healthCheckId: "dns-master-2-health-id",
        });
    });

    it("Route53Dns without health checks: the same records, untied", async () => {
        const resources = await construct(
            () =>
                new Route53Dns("dns", {
                    zoneId: "Z0123456789ABC",
                    plan: {
                        healthChecks: [],
                        records: [
                            { key: "turn-master-1", name: "turn.example.com", type: "A", ttl: 300, records: ["203.0.113.11"], setIdentifier: "master-1" },
                        ],
                    },
                }),
        );
        assert.deepStrictEqual(summary(resources), [
            { type: "openvidu-ha:index:Route53Dns", name: "dns", parent: null },
            { type: "aws:route53/record:Record", name: "dns-turn-master-1", parent: "dns" },
        ]);
        assert.deepStrictEqual(resources[1].inputs, {
            zoneId: "Z0123456789ABC",
            name: "turn.example.com",
            type: "A",
            ttl: 300,
            records: ["203.0.113.11"],
            multivalueAnswerRoutingPolicy: true,
            setIdentifier: "master-1",
        });
    });
});
