/**
 * The stack config contract: every key of the `openvidu-ha` namespace, its type, whether it is a secret and which
 * targets read it. Pulumi.yaml's `config:` block is checked against this table by the tests.
 */
import { CREDENTIAL_KEYS, CredentialKey, Target } from "../core/types";

/** Pulumi.yaml schema types, plus `objectArray` for lists of objects (Pulumi.yaml cannot type those). */
export type ConfigValueType = "string" | "integer" | "boolean" | "stringArray" | "objectArray";

export interface ConfigKeySpec {
    type: ConfigValueType;
    secret: boolean;
    targets: readonly Target[];
    description: string;
}

const BOTH: readonly Target[] = ["onprem", "aws"];
const ONPREM: readonly Target[] = ["onprem"];
const AWS: readonly Target[] = ["aws"];

const key = (type: ConfigValueType, targets: readonly Target[], description: string, secret = false): ConfigKeySpec => ({ type, secret, targets, description });

const CREDENTIAL_DESCRIPTIONS: Record<CredentialKey, string> = {
    livekitApiKey: "LiveKit API key (--livekit-api-key). Generated when absent.",
    livekitApiSecret: "LiveKit API secret (--livekit-api-secret). Generated when absent.",
    dashboardAdminUser: "Dashboard admin user (--dashboard-admin-user). Default dashboardadmin.",
    dashboardAdminPassword: "Dashboard admin password (--dashboard-admin-password). Generated when absent.",
    redisPassword: "Redis password (--redis-password). Generated when absent.",
    minioAccessKey: "MinIO access key (--minio-access-key). Default minioadmin.",
    minioSecretKey: "MinIO secret key (--minio-secret-key). Generated when absent.",
    mongoAdminUser: "MongoDB admin user (--mongo-admin-user). Default mongoadmin.",
    mongoAdminPassword: "MongoDB admin password (--mongo-admin-password). Generated when absent.",
    mongoReplicaSetKey: "MongoDB replica set key (--mongo-replica-set-key). Generated when absent.",
    grafanaAdminUser: "Grafana admin user (--grafana-admin-user). Default grafanaadmin.",
    grafanaAdminPassword: "Grafana admin password (--grafana-admin-password). Generated when absent.",
    meetInitialAdminPassword: "3.8 line: OpenVidu Meet initial admin password (--meet-initial-admin-password). Generated when absent.",
    meetInitialApiKey: "3.8 line: OpenVidu Meet initial API key (--meet-initial-api-key). Generated when absent.",
    defaultAppUser: "3.0 line: OpenVidu Call user (--default-app-user). Default calluser.",
    defaultAppPassword: "3.0 line: OpenVidu Call password (--default-app-password). Generated when absent.",
    defaultAppAdminUser: "3.0 line: OpenVidu Call admin user (--default-app-admin-user). Default calladmin.",
    defaultAppAdminPassword: "3.0 line: OpenVidu Call admin password (--default-app-admin-password). Generated when absent.",
};

const CREDENTIAL_KEY_SPECS = Object.fromEntries(CREDENTIAL_KEYS.map((k) => [k, key("string", BOTH, CREDENTIAL_DESCRIPTIONS[k], true)])) as Record<
    CredentialKey,
    ConfigKeySpec
>;

export const CONFIG_KEYS = {
    target: key("string", BOTH, "Where to deploy: onprem (SSH hosts + DNS round robin) or aws (NLB + node pools). Required."),
    openviduVersion: key("string", BOTH, "OpenVidu version, pinned (3.0.x or 3.8.x). Default 3.8.0."),
    domain: key("string", BOTH, "FQDN of the deployment. Required."),
    turnDomain: key("string", BOTH, "Optional FQDN for TURN over TLS; must differ from domain."),
    license: key("string", BOTH, "OpenVidu PRO license. Required.", true),
    rtcEngine: key("string", BOTH, "pion or mediasoup. Default pion."),
    modules: key(
        "stringArray",
        BOTH,
        "Modules to enable. Default per release line (3.0: observability, v2compatibility, app; 3.8: observability, v2compatibility, openviduMeet).",
    ),
    ...CREDENTIAL_KEY_SPECS,
    installerBaseUrl: key(
        "string",
        BOTH,
        "HTTPS base URL of the installers (a mirror is fine; no credentials, query string, fragment or 'latest'). Default https://get.openvidu.io/pro/ha.",
    ),
    installerSha256Master: key("string", BOTH, "Optional SHA-256 (hex) the master installer script must match."),
    installerSha256Media: key("string", BOTH, "Optional SHA-256 (hex) the media installer script must match."),
    dnsProvider: key("string", BOTH, "cloudflare, route53 (onprem only) or none. Default cloudflare. With none the records to create are an output."),
    cloudflareZoneId: key("string", BOTH, "Cloudflare zone id (32 hex characters). Required with dnsProvider cloudflare."),
    dnsTtl: key("integer", BOTH, "TTL in seconds of the DNS answers (60..86400, or 1 for automatic with plain Cloudflare records). Default 60."),
    forceMediaNodePublicIp: key(
        "boolean",
        BOTH,
        "3.8 line: install media nodes with --public-ip (on-prem: their publicIp; AWS: the instance's public IPv4) and masters with --force-media-node-public-ip, for media nodes whose public IP is not auto-detected. Default false.",
    ),
    additionalInstallerFlags: key(
        "stringArray",
        BOTH,
        "Extra master installer flags the program does not set ('--flag' or '--flag=value'; value of letters, digits and , = _ . -), like the vendor's AdditionalInstallFlags. Default none.",
    ),
    drainTimeoutMinutes: key(
        "integer",
        BOTH,
        "Longest wait for a media node to drain before it stops (1..2880 on-prem; at most 2870 on AWS, where the terminate hook ends after 48 h). Default: 2870 on AWS (sessions and recordings are never cut), 60 on-prem (pulumi up waits for the drain).",
    ),
    // On-premises
    masterNodes: key("objectArray", ONPREM, "Exactly 4 objects {publicIp, privateIp, hostKey?}. Required."),
    mediaNodes: key("objectArray", ONPREM, "1 or more objects {publicIp, privateIp, hostKey?}. Required."),
    sshUser: key("string", ONPREM, "SSH user, root or with passwordless sudo. Default ubuntu."),
    sshPort: key("integer", ONPREM, "SSH port. Default 22."),
    sshPrivateKey: key("string", ONPREM, "SSH private key (PEM/OpenSSH). Required.", true),
    sshDialErrorLimit: key(
        "integer",
        ONPREM,
        "SSH dial errors allowed per command (1..100): @pulumi/command dials up to this + 1 times before the command fails. Default 10.",
    ),
    sshPerDialTimeout: key("integer", ONPREM, "Seconds each SSH dial's TCP connect may take (1..300); the SSH handshake after it is not bounded. Default 15."),
    sshHostKeyCheck: key(
        "string",
        ONPREM,
        "Host key verification for nodes without hostKey: first-use (the key presented at the first connection is recorded in the stack state and required afterwards), configured (every node must have hostKey) or off (not verified). Default first-use.",
    ),
    certificateType: key("string", ONPREM, "selfsigned, letsencrypt, owncert or zerossl. Required."),
    letsencryptEmail: key(
        "string",
        ONPREM,
        "3.0 line: Let's Encrypt account email (--letsencrypt-email). Required with letsencrypt; refused on 3.8, whose command takes none.",
    ),
    ownCertPrivateKey: key("string", ONPREM, "PEM private key for domain. Required with owncert.", true),
    ownCertPublicKey: key("string", ONPREM, "PEM certificate chain for domain. Required with owncert.", true),
    turnOwnCertPrivateKey: key("string", ONPREM, "PEM private key for turnDomain (owncert with turnDomain).", true),
    turnOwnCertPublicKey: key("string", ONPREM, "PEM certificate chain for turnDomain (owncert with turnDomain).", true),
    zerosslApiKey: key("string", ONPREM, "ZeroSSL API key. Required with zerossl.", true),
    healthTimeoutSeconds: key("integer", ONPREM, "How long each node's health gate waits (30..3600). Default 900."),
    hostFirewall: key("boolean", ONPREM, "Install an nftables table that limits internal ports to cluster IPs. Default false."),
    retainDataOnDestroy: key("boolean", ONPREM, "Keep /opt/openvidu (recordings, databases) when a node is removed. Default true."),
    // On-premises DNS (README "Health-checked DNS")
    dnsHealthChecks: key(
        "boolean",
        ONPREM,
        "Answer DNS only with healthy masters (Cloudflare load balancer or Route 53 health checks; both cost extra). Default false.",
    ),
    dnsHealthCheckPath: key("string", ONPREM, "HTTPS path on each master the checkers poll (port 443, Host = domain). Default /health/caddy."),
    cloudflareAccountId: key("string", ONPREM, "Cloudflare account id (32 hex characters). Required with dnsHealthChecks and dnsProvider cloudflare."),
    cloudflareCheckRegions: key(
        "stringArray",
        ONPREM,
        "Cloudflare regions the monitor probes from, 3 data centers each (WNAM, ENAM, WEU, EEU, NSAM, SSAM, OC, ME, NAF, SAF, SAS, SEAS, NEAS). Required with dnsHealthChecks and dnsProvider cloudflare.",
    ),
    route53ZoneId: key("string", ONPREM, "Route 53 hosted zone id (Z...). Required with dnsProvider route53."),
    updaterBaseUrl: key(
        "string",
        BOTH,
        "HTTPS base URL of the vendor's updater (<base>/<version>/update.sh; a mirror is fine). Default https://get.openvidu.io/update.",
    ),
    updaterSha256: key(
        "stringArray",
        BOTH,
        "Optional SHA-256 per updater version, entries VERSION=SHA256 (e.g. 3.8.0=ab12...); a listed version's update.sh must match.",
    ),
    // AWS
    vpcId: key("string", AWS, "Existing VPC id. Required."),
    masterSubnetIds: key("stringArray", AWS, "1 to 4 public subnet ids, cycled to 4 masters. Required."),
    mediaSubnetIds: key("stringArray", AWS, "1 or more public subnet ids for media nodes. Required."),
    certificateArn: key("string", AWS, "ACM certificate ARN for domain. Required."),
    turnCertificateArn: key("string", AWS, "ACM certificate ARN for turnDomain. Required with turnDomain."),
    masterInstanceType: key("string", AWS, "Master EC2 type. Default c6a.xlarge."),
    mediaInstanceType: key("string", AWS, "Media EC2 type. Default c6a.xlarge."),
    keyName: key("string", AWS, "Optional EC2 key pair name."),
    amiId: key("string", AWS, "Optional AMI id. Default: Ubuntu 24.04 from the public SSM parameter."),
    initialMediaNodes: key("integer", AWS, "Media nodes at creation. Default 1."),
    minMediaNodes: key("integer", AWS, "Minimum media nodes. Default 1."),
    maxMediaNodes: key("integer", AWS, "Maximum media nodes. Default 5."),
    scaleTargetCpu: key("integer", AWS, "Target average CPU % of the media pool (1..100). Default 50."),
    masterDiskSizeGb: key("integer", AWS, "Data volume size per master, GB (at least 50). Default 100."),
    retainVolumes: key("boolean", AWS, "Keep master data volumes on destroy. Default true."),
    sshAllowedCidrs: key(
        "stringArray",
        AWS,
        "CIDRs allowed to SSH to the nodes, as networks (no host bits set); 0.0.0.0/0 and ::/0 are allowed with a warning. Default none (SSH closed).",
    ),
    appDataBucketName: key("string", AWS, "Existing S3 bucket for app data and recordings. Default: one is created."),
    clusterDataBucketName: key("string", AWS, "Existing S3 bucket for cluster data. Default: one is created."),
} satisfies Record<string, ConfigKeySpec>;

export type ConfigKey = keyof typeof CONFIG_KEYS;

export const SECRET_CONFIG_KEYS: readonly ConfigKey[] = (Object.keys(CONFIG_KEYS) as ConfigKey[]).filter((k) => CONFIG_KEYS[k].secret);
