/**
 * The whole stack config as one typed object, checked with the same rules as a stack file
 * (`components/config/validate.ts`) before any Pulumi CLI command runs.
 */
import { CONFIG_KEYS, ConfigKey } from "../components/config/keys";
import { ConfigError, validateConfig } from "../components/config/validate";
import { CertificateType, CredentialKey, DnsProvider, RtcEngine } from "../components/core/types";

/** One node of `masterNodes` or `mediaNodes` (on-prem). */
export interface HostInput {
    /** Public IP (IPv4 or IPv6): DNS records and SSH connections use it. */
    publicIp: string;
    /** Private IP the cluster members use to reach each other; must be bound on the host. */
    privateIp: string;
    /** Optional SSH host key ("ssh-ed25519 AAAA..."); without it, see `sshHostKeyCheck`. */
    hostKey?: string;
}

/** Keys both targets read. Meanings, defaults and bounds are those of the README's configuration reference. */
export interface CommonStackConfig extends Partial<Record<CredentialKey, string>> {
    /** OpenVidu version, pinned (3.0.x or 3.8.x). Default 3.8.0. */
    openviduVersion?: string;
    /** FQDN of the deployment. Required. */
    domain: string;
    /** Optional FQDN for TURN over TLS; must differ from `domain`. */
    turnDomain?: string;
    /** OpenVidu PRO license. Required. Secret. */
    license: string;
    /** pion or mediasoup. Default pion. */
    rtcEngine?: RtcEngine;
    /** Modules to enable. Default per release line. */
    modules?: string[];
    /** HTTPS base URL of the installers. Default https://get.openvidu.io/pro/ha. */
    installerBaseUrl?: string;
    /** Optional SHA-256 (hex) the master installer must match. */
    installerSha256Master?: string;
    /** Optional SHA-256 (hex) the media installer must match. */
    installerSha256Media?: string;
    /** cloudflare, route53 (onprem only) or none. Default cloudflare. */
    dnsProvider?: DnsProvider;
    /** Cloudflare zone id (32 hex characters). Required with dnsProvider cloudflare. */
    cloudflareZoneId?: string;
    /** TTL of the DNS records in seconds (60..86400, or 1 for automatic). Default 60. */
    dnsTtl?: number;
    /** Longest wait for a media node to drain, minutes. Default 60. */
    drainTimeoutMinutes?: number;
    /** 3.8 line: media nodes installed with --public-ip, masters with --force-media-node-public-ip. Default false. */
    forceMediaNodePublicIp?: boolean;
    /** Extra master installer flags the program does not set ('--flag' or '--flag=value'). Default none. */
    additionalInstallerFlags?: string[];
    /** Cloudflare API token with DNS edit on the zone (provider config `cloudflare:apiToken`). Secret. */
    "cloudflare:apiToken"?: string;
    /** Other provider settings (`aws:region`, `aws:profile`, ...), set as plain config. */
    [providerKey: `aws:${string}` | `cloudflare:${string}` | `command:${string}` | `random:${string}`]: string | undefined;
}

/** `target: onprem`: your own hosts over SSH, DNS round robin. */
export interface OnpremStackConfig extends CommonStackConfig {
    /** Deploy to your own hosts. */
    target: "onprem";
    /** Exactly 4 master hosts. Required. */
    masterNodes: HostInput[];
    /** 1 or more media hosts. Required. */
    mediaNodes: HostInput[];
    /** SSH user, root or with passwordless sudo. Default ubuntu. */
    sshUser?: string;
    /** SSH port. Default 22. */
    sshPort?: number;
    /** SSH private key (PEM/OpenSSH). Required. Secret. */
    sshPrivateKey: string;
    /** SSH dial attempts per command (1..100). Default 10. */
    sshDialErrorLimit?: number;
    /** Seconds each SSH dial may take (1..300). Default 15. */
    sshPerDialTimeout?: number;
    /** Host key check for nodes without hostKey: first-use (recorded at the first connection), configured or off. Default first-use. */
    sshHostKeyCheck?: "first-use" | "configured" | "off";
    /** selfsigned, letsencrypt, owncert or zerossl. Required. */
    certificateType: CertificateType;
    /** Let's Encrypt account email. Required with letsencrypt. */
    letsencryptEmail?: string;
    /** PEM private key for `domain` (owncert). Secret. */
    ownCertPrivateKey?: string;
    /** PEM certificate chain for `domain` (owncert). Secret. */
    ownCertPublicKey?: string;
    /** PEM private key for `turnDomain` (owncert). Secret. */
    turnOwnCertPrivateKey?: string;
    /** PEM certificate chain for `turnDomain` (owncert). Secret. */
    turnOwnCertPublicKey?: string;
    /** ZeroSSL API key. Required with zerossl. Secret. */
    zerosslApiKey?: string;
    /** How long each node's health gate waits, seconds (30..3600). Default 900. */
    healthTimeoutSeconds?: number;
    /** Install an nftables table limiting internal ports to cluster IPs. Default false. */
    hostFirewall?: boolean;
    /** Keep /opt/openvidu when a node is removed. Default true. */
    retainDataOnDestroy?: boolean;
    /** Answer DNS only with healthy masters (Cloudflare load balancer or Route 53 health checks). Default false. */
    dnsHealthChecks?: boolean;
    /** HTTPS path on each master the DNS health checkers poll. Default /health/caddy. */
    dnsHealthCheckPath?: string;
    /** Cloudflare account id (32 hex characters). Required with dnsHealthChecks and dnsProvider cloudflare. */
    cloudflareAccountId?: string;
    /** Cloudflare regions the monitor probes from (WNAM, ENAM, WEU, ...). Required with dnsHealthChecks and dnsProvider cloudflare. */
    cloudflareCheckRegions?: string[];
    /** Route 53 hosted zone id (Z...). Required with dnsProvider route53. */
    route53ZoneId?: string;
    /** HTTPS base URL of the vendor's updater (`<base>/<version>/update.sh`). Default https://get.openvidu.io/update. */
    updaterBaseUrl?: string;
    /** Optional SHA-256 per updater version, entries `VERSION=SHA256`. */
    updaterSha256?: string[];
}

/** `target: aws`: NLB, 4 masters, autoscaled media pool. */
export interface AwsStackConfig extends CommonStackConfig {
    /** Deploy to AWS. */
    target: "aws";
    /** Region of the stack (provider config `aws:region`). */
    "aws:region"?: string;
    /** Existing VPC id. Required. */
    vpcId: string;
    /** 1 to 4 public subnet ids, cycled to 4 masters. Required. */
    masterSubnetIds: string[];
    /** 1 or more public subnet ids for media nodes. Required. */
    mediaSubnetIds: string[];
    /** ACM certificate ARN for `domain`. Required. */
    certificateArn: string;
    /** ACM certificate ARN for `turnDomain`. Required with turnDomain. */
    turnCertificateArn?: string;
    /** Master EC2 type. Default c6a.xlarge. */
    masterInstanceType?: string;
    /** Media EC2 type. Default c6a.xlarge. */
    mediaInstanceType?: string;
    /** Optional EC2 key pair name. */
    keyName?: string;
    /** Optional AMI id. Default: Ubuntu 24.04. */
    amiId?: string;
    /** Media nodes at creation. Default 1. */
    initialMediaNodes?: number;
    /** Minimum media nodes. Default 1. */
    minMediaNodes?: number;
    /** Maximum media nodes. Default 5. */
    maxMediaNodes?: number;
    /** Target average CPU % of the media pool (1..100). Default 50. */
    scaleTargetCpu?: number;
    /** Data volume size per master, GB (at least 50). Default 100. */
    masterDiskSizeGb?: number;
    /** Keep master data volumes on destroy. Default true. */
    retainVolumes?: boolean;
    /** CIDRs allowed to SSH to the nodes. Default none. */
    sshAllowedCidrs?: string[];
    /** Existing S3 bucket for app data. Default: one is created. */
    appDataBucketName?: string;
    /** Existing S3 bucket for cluster data. Default: one is created. */
    clusterDataBucketName?: string;
}

/** The whole config of one stack: the keys of a `Pulumi.<stack>.yaml`, project keys without namespace. */
export type OpenviduHaConfig = OnpremStackConfig | AwsStackConfig;

/** Project name, the namespace of the project keys. */
export const PROJECT_NAME = "openvidu-ha";

/** Provider keys that hold credentials: set as secrets like the project's secret keys. */
export const SECRET_PROVIDER_KEYS: readonly string[] = [
    "cloudflare:apiToken",
    "cloudflare:apiKey",
    "cloudflare:apiUserServiceKey",
    "aws:accessKey",
    "aws:secretKey",
    "aws:token",
];

const PROVIDER_NAMESPACES = ["aws", "cloudflare", "command", "random"];

/** One config entry as the CLI stores it: full key and the string value the program receives. */
export interface ConfigEntry {
    /** Full key, e.g. "openvidu-ha:domain" or "aws:region". */
    key: string;
    /** The value as the program receives it (lists as JSON). */
    value: string;
    /** Set with `config set --secret`, the value on stdin. */
    secret: boolean;
    /** Lists as they go into the stack file with `--path`: `key[i]` / `key[i].field` entries. */
    pathEntries?: { path: string; value: string }[];
}

/** A checked config, split the way it is written to the stack. */
export interface CheckedConfig {
    /** Every key of the object, in its order. */
    entries: ConfigEntry[];
    /** Every secret value, for masking output lines. */
    secretValues: string[];
}

function expectedType(key: ConfigKey): string {
    switch (CONFIG_KEYS[key].type) {
        case "integer":
            return "number";
        case "boolean":
            return "boolean";
        case "stringArray":
        case "objectArray":
            return "array";
        default:
            return "string";
    }
}

function describeType(type: string): string {
    return type === "number" ? "an integer" : type === "array" ? "a list" : `a ${type}`;
}

/** The string the CLI hands the program for a value (lists as JSON, like `pulumi.Config` reads them). */
function wireValue(value: unknown): string {
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    return typeof value === "string" ? value : JSON.stringify(value);
}

/** `--path` entries for a list; nested values are strings in this contract (IPs, ids, CIDRs, module names). */
function pathEntries(key: string, list: unknown[]): { path: string; value: string }[] {
    return list.flatMap((item, i) =>
        typeof item === "object" && item !== null
            ? Object.entries(item).map(([field, v]) => ({ path: `${key}[${i}].${field}`, value: String(v) }))
            : [{ path: `${key}[${i}]`, value: String(item) }],
    );
}

/**
 * Checks `config` with the stack file's rules and returns it as CLI config entries. `env` is the environment the
 * CLI will run with (default this process's). Throws `ConfigError` naming
 * every problem (wrong JavaScript types included); secret values never appear in its message.
 */
export function checkConfig(config: OpenviduHaConfig, env: Readonly<Record<string, string | undefined>> = process.env): CheckedConfig {
    const problems: string[] = [];
    const raw: Record<string, string> = {};
    const foreignKeys: string[] = [];
    const entries: ConfigEntry[] = [];
    const secretValues: string[] = [];
    const mistyped = new Set<string>();
    // The Cloudflare provider also reads its token from CLOUDFLARE_API_TOKEN in the CLI's environment.
    let hasCloudflareToken = !!env.CLOUDFLARE_API_TOKEN;
    for (const [name, value] of Object.entries(config as unknown as Record<string, unknown>)) {
        if (value === undefined) continue;
        const namespace = name.includes(":") ? name.slice(0, name.indexOf(":")) : PROJECT_NAME;
        const fullKey = name.includes(":") ? name : `${PROJECT_NAME}:${name}`;
        if (namespace !== PROJECT_NAME && !PROVIDER_NAMESPACES.includes(namespace)) {
            foreignKeys.push(name);
            continue;
        }
        if (namespace === PROJECT_NAME && name in CONFIG_KEYS) {
            const type = expectedType(name as ConfigKey);
            const actual = Array.isArray(value) ? "array" : typeof value;
            if (actual !== type) {
                problems.push(`${name}: must be ${describeType(type)}`);
                mistyped.add(name);
                continue;
            }
            if (Array.isArray(value) && value.length === 0) {
                // `config set-all --path` writes list items; it has no form for an empty list.
                problems.push(`${name}: an empty list cannot be set with 'pulumi config set-all --path'; leave the key out or set it in the stack file`);
                mistyped.add(name);
                continue;
            }
        } else if (namespace !== PROJECT_NAME && typeof value !== "string") {
            problems.push(`${name}: must be a string`);
            continue;
        }
        const secret = namespace === PROJECT_NAME ? CONFIG_KEYS[name as ConfigKey]?.secret === true : SECRET_PROVIDER_KEYS.includes(name);
        if (name === "cloudflare:apiToken") hasCloudflareToken = true;
        const wire = wireValue(value);
        if (namespace === PROJECT_NAME) raw[name] = wire;
        if (secret) secretValues.push(wire);
        entries.push({ key: fullKey, value: wire, secret, ...(Array.isArray(value) ? { pathEntries: pathEntries(fullKey, value) } : {}) });
    }
    try {
        validateConfig(raw, { hasCloudflareToken, foreignKeys });
    } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        // A key of the wrong JavaScript type was left out of the check: drop its "required" echo.
        problems.push(...err.problems.filter((p) => ![...mistyped].some((k) => p.startsWith(`${k}:`))));
    }
    if (problems.length > 0) {
        throw new ConfigError([...new Set(problems)]);
    }
    return { entries, secretValues };
}

type ProjectKeysOf<T> = Exclude<keyof T, `${string}:${string}`>;

/**
 * `true` only when the typed config objects name exactly the keys of the contract table (`CONFIG_KEYS`); a test
 * assigns `true` to it, so a key added to one side only fails the type check.
 */
export type ConfigKeysMatchContract = [ProjectKeysOf<OnpremStackConfig> | ProjectKeysOf<AwsStackConfig> | "target"] extends [ConfigKey]
    ? [ConfigKey] extends [ProjectKeysOf<OnpremStackConfig> | ProjectKeysOf<AwsStackConfig>]
        ? true
        : false
    : false;
