/**
 * DNS per provider and mode, as the program registers it: Cloudflare load balancer (monitor, pool, DNS-only load
 * balancers, no plain records), Route 53 multivalue records with per-master health checks, Route 53 plain records,
 * and the firewall letting checkers reach the polled endpoint.
 */
import * as assert from "assert";
import { route53Plan } from "../../components/core/dns-health";
import { ONPREM_SECRET_KEYS, onpremConfig } from "../support/fixtures";
import { runProgram, sharedRun } from "../support/program";

const MASTER_IPS = ["203.0.113.11", "203.0.113.12", "203.0.113.13", "203.0.113.14"];
const ZONE = "023e105f4ecef8ad9ca31a8372d0c353";
const ACCOUNT = "0123456789abcdef0123456789abcdef";
const R53_ZONE = "Z0123456789ABCDEFGHIJ";
const T = {
    record: "cloudflare:index/dnsRecord:DnsRecord",
    monitor: "cloudflare:index/loadBalancerMonitor:LoadBalancerMonitor",
    pool: "cloudflare:index/loadBalancerPool:LoadBalancerPool",
    lb: "cloudflare:index/loadBalancer:LoadBalancer",
    check: "aws:route53/healthCheck:HealthCheck",
    r53: "aws:route53/record:Record",
};
type Run = Awaited<ReturnType<typeof runProgram>>;
const dnsTypes = (run: Run) => run.resources.filter((r) => /^(cloudflare|aws):/.test(r.type)).map((r) => r.type);
const count = (types: string[]) => types.reduce<Record<string, number>>((acc, t) => ({ ...acc, [t]: (acc[t] ?? 0) + 1 }), {});

const CLOUDFLARE_HEALTH = { dnsHealthChecks: "true", cloudflareAccountId: ACCOUNT, cloudflareCheckRegions: ["WEU", "ENAM"], turnDomain: "turn.example.com" };
const ROUTE53 = {
    dnsProvider: "route53",
    route53ZoneId: R53_ZONE,
    cloudflareZoneId: undefined,
    "cloudflare:apiToken": undefined,
    turnDomain: "turn.example.com",
};
const R53_SECRETS = ["license", "sshPrivateKey"];

describe("health-checked DNS: Cloudflare load balancer", () => {
    let run: Run;
    before(async () => {
        run = await runProgram(onpremConfig(CLOUDFLARE_HEALTH), ONPREM_SECRET_KEYS);
    });

    it("creates one monitor, one pool and a load balancer per name; no plain A records, nothing at Route 53", () => {
        assert.deepStrictEqual(count(dnsTypes(run)), { [T.monitor]: 1, [T.pool]: 1, [T.lb]: 2 });
        assert.deepStrictEqual(run.ofType("openvidu-ha:index:CloudflareDns"), []);
    });

    it("the monitor polls HTTPS /health/caddy on 443 with Host = domain, 200 only, fast withdrawal", () => {
        assert.deepStrictEqual(run.inputsOf("dns-monitor"), {
            accountId: ACCOUNT,
            type: "https",
            port: 443,
            method: "GET",
            path: "/health/caddy",
            header: { Host: ["openvidu.example.com"] },
            expectedCodes: "200",
            followRedirects: false,
            allowInsecure: true, // certificateType selfsigned
            timeout: 5,
            interval: 60,
            retries: 2,
            consecutiveDown: 1,
            consecutiveUp: 2,
            description: "openvidu-ha openvidu.example.com: masters' /health/caddy",
        });
    });

    it("the pool holds the 4 masters' public IPs and uses the monitor", () => {
        assert.deepStrictEqual(run.inputsOf("dns-pool"), {
            accountId: ACCOUNT,
            name: "openvidu-ha-openvidu-example-com-masters",
            description: "openvidu-ha openvidu.example.com: the 4 masters",
            origins: MASTER_IPS.map((address, i) => ({ name: `master-${i + 1}`, address, enabled: true, weight: 1 })),
            minimumOrigins: 1,
            checkRegions: ["WEU", "ENAM"],
            originSteering: { policy: "random" },
            monitor: "dns-monitor-id",
        });
    });

    it("domain and turnDomain get DNS-only (not proxied) load balancers on that pool, with dnsTtl", () => {
        for (const [key, name] of [
            ["domain", "openvidu.example.com"],
            ["turn", "turn.example.com"],
        ]) {
            assert.deepStrictEqual(run.inputsOf(`dns-${key}`), {
                zoneId: ZONE,
                name,
                proxied: false,
                ttl: 60,
                steeringPolicy: "off",
                sessionAffinity: "none",
                description: `openvidu-ha ${name}: healthy masters, DNS only`,
                defaultPools: ["dns-pool-id"],
                fallbackPool: "dns-pool-id",
            });
            assert.strictEqual(run.named(`dns-${key}`).options.deleteBeforeReplace, true);
        }
    });

    it("outputs the records and the monitor, pool and load balancer ids", () => {
        assert.deepStrictEqual(
            (run.outputs.dnsRecords as { name: string; content: string }[]).map((r) => `${r.name} ${r.content}`),
            [...MASTER_IPS.map((ip) => `openvidu.example.com ${ip}`), ...MASTER_IPS.map((ip) => `turn.example.com ${ip}`)],
        );
        const health = run.outputs.dnsHealthChecks as Record<string, unknown>;
        assert.deepStrictEqual(
            { ...health, probe: undefined },
            {
                provider: "cloudflare",
                probe: undefined,
                monitorId: "dns-monitor-id",
                poolId: "dns-pool-id",
                loadBalancerIds: { domain: "dns-domain-id", turn: "dns-turn-id" },
            },
        );
    });

    it("validates the certificate unless it is self-signed; dnsHealthCheckPath changes the path", async () => {
        const le = await runProgram(onpremConfig({ ...CLOUDFLARE_HEALTH, certificateType: "letsencrypt", dnsHealthCheckPath: "/healthz" }), ONPREM_SECRET_KEYS);
        assert.strictEqual(le.inputsOf("dns-monitor").allowInsecure, false);
        assert.strictEqual(le.inputsOf("dns-monitor").path, "/healthz");
    });
});

/** The 8 multivalue A records (domain and TURN name per master), each with `extra(i)` beside the record's fields. */
function assertMultivalueRecords(run: Run, extra: (masterIndex: number) => object): void {
    MASTER_IPS.forEach((ip, i) => {
        for (const [key, name] of [
            ["domain", "openvidu.example.com"],
            ["turn", "turn.example.com"],
        ]) {
            assert.deepStrictEqual(run.inputsOf(`dns-${key}-master-${i + 1}`), {
                zoneId: R53_ZONE,
                name,
                type: "A",
                ttl: 60,
                records: [ip],
                multivalueAnswerRoutingPolicy: true,
                setIdentifier: `master-${i + 1}`,
                ...extra(i),
            });
        }
    });
}

describe("DNS at Route 53", () => {
    it("with health checks: an HTTPS health check per master and a multivalue A record per master and name, tied to it", async () => {
        const run = await sharedRun(onpremConfig({ ...ROUTE53, dnsHealthChecks: "true" }), R53_SECRETS);
        assert.deepStrictEqual(count(dnsTypes(run)), { [T.check]: 4, [T.r53]: 8 });
        MASTER_IPS.forEach((ip, i) => {
            assert.deepStrictEqual(run.inputsOf(`dns-master-${i + 1}-health`), {
                type: "HTTPS",
                ipAddress: ip,
                port: 443,
                resourcePath: "/health/caddy",
                fqdn: "openvidu.example.com",
                enableSni: true,
                requestInterval: 10,
                failureThreshold: 2,
                tags: { Name: `openvidu-ha openvidu.example.com master-${i + 1}` },
            });
        });
        assertMultivalueRecords(run, (i) => ({ healthCheckId: `dns-master-${i + 1}-health-id` }));
        assert.deepStrictEqual(run.outputs.dnsHealthChecks, {
            provider: "route53",
            probe: {
                protocol: "https",
                port: 443,
                path: "/health/caddy",
                host: "openvidu.example.com",
                expectedStatus: 200,
                timeoutSeconds: 5,
                allowInsecure: true,
            },
            healthCheckIds: Object.fromEntries(MASTER_IPS.map((_, i) => [`master-${i + 1}`, `dns-master-${i + 1}-health-id`])),
        });
    });

    it("without health checks: the same multivalue records, tied to no check (Route 53 answers all 4), no health check, no Cloudflare", async () => {
        const run = await sharedRun(onpremConfig(ROUTE53), R53_SECRETS);
        assert.deepStrictEqual(count(dnsTypes(run)), { [T.r53]: 8 });
        assertMultivalueRecords(run, () => ({}));
        assert.ok(!("dnsHealthChecks" in run.outputs));
    });

    it("turning health checks on or off keeps the records (same names, only healthCheckId differs): an update in place", async () => {
        const off = await sharedRun(onpremConfig(ROUTE53), R53_SECRETS);
        const on = await sharedRun(onpremConfig({ ...ROUTE53, dnsHealthChecks: "true" }), R53_SECRETS);
        const records = (run: Run) =>
            run
                .ofType(T.r53)
                .map((r) => {
                    const { healthCheckId, ...rest } = run.inputsOf(r.name);
                    return [r.urn, rest] as [string, Record<string, unknown>];
                })
                .sort(([a], [b]) => a.localeCompare(b));
        assert.strictEqual(records(on).length, 8);
        assert.deepStrictEqual(records(on), records(off));
        for (const r of on.ofType(T.r53)) {
            assert.strictEqual(on.inputsOf(r.name).healthCheckId, `dns-${/master-\d$/.exec(r.name)![0]}-health-id`, r.name);
        }
    });

    it("IPv6 masters get AAAA records", () => {
        const masters = [
            { label: "master-1", publicIp: "203.0.113.11" },
            { label: "master-2", publicIp: "2001:db8::2" },
        ];
        const names = [{ key: "domain", name: "a.example.com" }];
        const probe = {
            protocol: "https",
            port: 443,
            path: "/p",
            host: "a.example.com",
            expectedStatus: 200,
            timeoutSeconds: 5,
            allowInsecure: false,
        } as const;
        for (const p of [undefined, probe]) {
            assert.deepStrictEqual(
                route53Plan(names, masters, 60, p).records.map((r) => [r.key, r.type, r.records, r.healthCheckKey]),
                [
                    ["domain-master-1", "A", ["203.0.113.11"], p && "master-1"],
                    ["domain-master-2", "AAAA", ["2001:db8::2"], p && "master-2"],
                ],
            );
        }
        assert.deepStrictEqual(
            route53Plan(names, masters, 60, probe).healthChecks.map((c) => c.ipAddress),
            ["203.0.113.11", "2001:db8::2"],
        );
    });
});

describe("health checks reach the masters", () => {
    it("443/tcp is public on masters in firewallRules, and the host firewall never drops it", async () => {
        const run = await runProgram(onpremConfig({ ...CLOUDFLARE_HEALTH, hostFirewall: "true" }), ONPREM_SECRET_KEYS);
        const rules = (run.outputs.firewallRules as { master: { protocol: string; ports: string; sources: string[] }[] }).master;
        assert.deepStrictEqual(
            rules.filter((r) => r.protocol === "tcp" && r.ports === "443").map((r) => r.sources),
            [["0.0.0.0/0", "::/0"]],
        );
        for (const i of [1, 2, 3, 4]) {
            const ruleset = run.inputsOf(`masters-${i}-firewall`, true).stdin as string;
            assert.ok(ruleset.includes("table inet openvidu_ha"));
            assert.ok(!/dport (443|\{[^}]*\b443\b)/.test(ruleset), ruleset);
        }
    });
});
