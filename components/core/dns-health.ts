/**
 * Health-checked DNS for the masters (pure planning, no resources): what the checkers poll on each master, and the
 * Cloudflare load balancer or Route 53 multivalue records that answer only with healthy masters.
 *
 * The polled endpoint: the vendor's own load balancers judge a master by Caddy's `/health/caddy` (OpenVidu/openvidu
 * @ v3.8.0 `openvidu-deployment/pro/ha/aws/cf-openvidu-ha.yaml` target groups `HealthCheckPath: /health/caddy`,
 * the Azure probe `requestPath: '/health/caddy'`). Behind a load balancer Caddy serves it on 7880, the port the
 * balancer sends the API traffic to (install-nlb.md: 7880 "LiveKit API, v2 Compatibility API, Dashboard, Meet, WHIP
 * API, custom layouts"); with DNS load balancing the same Caddy serves those routes on 443 with TLS, which is public
 * on masters anyway. So the checkers poll `https://<master public IP>:443/health/caddy` with Host (and SNI) =
 * `domain`: it fails when Caddy, TLS for the domain, or the host is down, i.e. when the master cannot serve clients.
 * That `/health/caddy` is routed on 443 is inferred (the installer's Caddy config is not public); `dnsHealthCheckPath`
 * changes it.
 */
export const DEFAULT_HEALTH_CHECK_PATH = "/health/caddy";

/** The request every checker sends to every master. */
export interface HealthProbe {
    protocol: "https";
    /** 443: public on masters in DNS mode (port table), so no extra firewall rule is needed. */
    port: 443;
    path: string;
    /** Host header and TLS SNI: the deployment's domain, so Caddy picks the site and certificate clients get. */
    host: string;
    /** The only status that counts as healthy; redirects are not followed. */
    expectedStatus: 200;
    /** Seconds one attempt may take. */
    timeoutSeconds: number;
    /** Skip certificate validation: only with self-signed certificates, which no checker could validate. */
    allowInsecure: boolean;
}

export function masterHealthProbe(domain: string, path: string, selfSignedCertificate: boolean): HealthProbe {
    return { protocol: "https", port: 443, path, host: domain, expectedStatus: 200, timeoutSeconds: 5, allowInsecure: selfSignedCertificate };
}

/** A master as the DNS layer sees it. */
export interface MasterEndpoint {
    /** master-1 .. master-4 */
    label: string;
    publicIp: string;
}

/** The names clients resolve: `domain`, and `turnDomain` when set. */
export function dnsNames(domain: string, turnDomain: string | undefined): { key: string; name: string }[] {
    return [{ key: "domain", name: domain }, ...(turnDomain === undefined ? [] : [{ key: "turn", name: turnDomain }])];
}

// ---------------------------------------------------------------------------------------------------- Cloudflare

/**
 * Cloudflare monitor timing. interval 60 s is the API default and allowed on every Load Balancing plan; shorter ones
 * depend on the plan. retries 2: a timeout is retried at once, so one lost packet does not withdraw a master.
 * consecutiveDown 1: one failed check (after its retries) withdraws it; consecutiveUp 2: it returns after two passes,
 * so a master that flaps while restarting does not come and go every minute.
 */
/** Cloudflare's health monitor regions (API `check_regions`; ALL_REGIONS and "every data center" are Enterprise-only). */
export const CLOUDFLARE_CHECK_REGIONS = ["WNAM", "ENAM", "WEU", "EEU", "NSAM", "SSAM", "OC", "ME", "NAF", "SAF", "SAS", "SEAS", "NEAS"] as const;

export const CLOUDFLARE_MONITOR_TIMING = { interval: 60, retries: 2, consecutiveDown: 1, consecutiveUp: 2 } as const;

export interface CloudflareMonitorPlan {
    type: "https";
    port: number;
    method: "GET";
    path: string;
    header: Record<string, string[]>;
    expectedCodes: string;
    followRedirects: false;
    allowInsecure: boolean;
    timeout: number;
    interval: number;
    retries: number;
    consecutiveDown: number;
    consecutiveUp: number;
    description: string;
}

export interface CloudflarePoolPlan {
    /** Unique in the account (pools are account-wide): derived from the domain. Letters, digits, - and _ only. */
    name: string;
    description: string;
    origins: { name: string; address: string; enabled: true; weight: 1 }[];
    /** The pool stays usable while one master is healthy. */
    minimumOrigins: 1;
    /** Regions the monitor probes from; left unset, Cloudflare would probe from every data center (Enterprise only). */
    checkRegions: string[];
    originSteering: { policy: "random" };
}

export interface CloudflareLoadBalancerPlan {
    key: string;
    /** The hostname, as the load balancer's `name`. */
    name: string;
    /** DNS-only: media, TURN and RTMP cannot pass Cloudflare's HTTP proxy. */
    proxied: false;
    ttl: number;
    /** One pool: no failover between pools, no geo steering. */
    steeringPolicy: "off";
    sessionAffinity: "none";
    description: string;
}

export interface CloudflareHealthPlan {
    monitor: CloudflareMonitorPlan;
    pool: CloudflarePoolPlan;
    loadBalancers: CloudflareLoadBalancerPlan[];
}

export function cloudflareHealthPlan(
    names: { key: string; name: string }[],
    masters: readonly MasterEndpoint[],
    probe: HealthProbe,
    ttl: number,
    checkRegions: readonly string[],
): CloudflareHealthPlan {
    const domain = probe.host;
    return {
        monitor: {
            type: "https",
            port: probe.port,
            method: "GET",
            path: probe.path,
            header: { Host: [probe.host] },
            expectedCodes: String(probe.expectedStatus),
            followRedirects: false,
            allowInsecure: probe.allowInsecure,
            timeout: probe.timeoutSeconds,
            ...CLOUDFLARE_MONITOR_TIMING,
            description: `openvidu-ha ${domain}: masters' ${probe.path}`,
        },
        pool: {
            name: `openvidu-ha-${domain.replace(/[^a-z0-9]+/g, "-")}-masters`,
            description: `openvidu-ha ${domain}: the 4 masters`,
            origins: masters.map((m) => ({ name: m.label, address: m.publicIp, enabled: true as const, weight: 1 as const })),
            minimumOrigins: 1,
            checkRegions: [...checkRegions],
            originSteering: { policy: "random" },
        },
        loadBalancers: names.map(({ key, name }) => ({
            key,
            name,
            proxied: false as const,
            ttl,
            steeringPolicy: "off" as const,
            sessionAffinity: "none" as const,
            description: `openvidu-ha ${name}: healthy masters, DNS only`,
        })),
    };
}

// ------------------------------------------------------------------------------------------------------ Route 53

/**
 * Route 53 timing: requestInterval 10 s ("fast", the shortest Route 53 offers; 30 is the other choice) and
 * failureThreshold 2: a master is withdrawn after about 20 s of failures, and one lost probe does not withdraw it.
 */
export const ROUTE53_HEALTH_CHECK_TIMING = { requestInterval: 10, failureThreshold: 2 } as const;

export interface Route53HealthCheckPlan {
    /** The master's label, also the resource name suffix. */
    key: string;
    type: "HTTPS";
    ipAddress: string;
    port: number;
    resourcePath: string;
    /** Sent as Host header and, with enableSni, as SNI. */
    fqdn: string;
    enableSni: true;
    requestInterval: number;
    failureThreshold: number;
}

export interface Route53RecordPlan {
    key: string;
    name: string;
    type: "A" | "AAAA";
    ttl: number;
    /** One master's IP: one multivalue answer record per master. */
    records: [string];
    /** Distinguishes the records of one name (the master's label). */
    setIdentifier: string;
    /** The master's health check (label), with health checks only. */
    healthCheckKey?: string;
}

export interface Route53Plan {
    healthChecks: Route53HealthCheckPlan[];
    records: Route53RecordPlan[];
}

const recordType = (ip: string): "A" | "AAAA" => (ip.includes(":") ? "AAAA" : "A");

/**
 * Per name, one multivalue answer record per master. With a probe each record is tied to its master's HTTPS health
 * check and Route 53 answers only with the healthy ones; without, Route 53 counts every record healthy and answers
 * with all 4: plain round robin. The records are the same resources in both modes, so turning health checks on or
 * off updates them in place (a plain record set of the same name and type could not coexist with multivalue
 * records during the switch).
 */
export function route53Plan(names: { key: string; name: string }[], masters: readonly MasterEndpoint[], ttl: number, probe?: HealthProbe): Route53Plan {
    const healthChecks: Route53HealthCheckPlan[] =
        probe === undefined
            ? []
            : masters.map((m) => ({
                  key: m.label,
                  type: "HTTPS",
                  ipAddress: m.publicIp,
                  port: probe.port,
                  resourcePath: probe.path,
                  fqdn: probe.host,
                  enableSni: true,
                  ...ROUTE53_HEALTH_CHECK_TIMING,
              }));
    const records = names.flatMap(({ key, name }) =>
        masters.map((m): Route53RecordPlan => ({
            key: `${key}-${m.label}`,
            name,
            type: recordType(m.publicIp),
            ttl,
            records: [m.publicIp],
            setIdentifier: m.label,
            ...(probe === undefined ? {} : { healthCheckKey: m.label }),
        })),
    );
    return { healthChecks, records };
}
