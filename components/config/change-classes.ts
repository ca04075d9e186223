/**
 * What a changed config key does to a running cluster. Every key of the key table has one class (the Record type
 * makes a new key without a class a compile error); the README's day-2 table is rendered from this one.
 * Vendor facts 2.4/2.5: configuration lives under /opt/openvidu/config, centralised on the masters; "you only need
 * to restart OpenVidu in one of the Master Nodes"; credentials kept inside a data store are not changed by editing
 * a file.
 */
import { ConfigKey } from "./keys";
import { readmeWithSection } from "./readme-section";

export type ChangeClass =
    /** Nothing on the nodes changes: only Pulumi-side resources, connections or later runs use the value. */
    | "none"
    /** Written into the config files of every node that holds it; one master restarts (the vendor's procedure). */
    | "in-place"
    /** Written into the config files, then every node stops (media first) and starts (masters first). */
    | "cluster"
    /** The vendor's updater on every node, the cluster stopped and started around it. */
    | "upgrade"
    /** Nodes are added, removed or reinstalled; the others are not touched. */
    | "nodes"
    /** Cloud resources change (AWS); the engine updates or replaces them. */
    | "infrastructure"
    /** Refused before any node is touched, with the reason. */
    | "refused";

export interface ChangeRule {
    class: ChangeClass;
    /** What happens, or why it is refused (README and refusal messages). */
    effect: string;
}

const rule = (cls: ChangeClass, effect: string): ChangeRule => ({ class: cls, effect });
const none = (effect: string) => rule("none", effect);
const refused = (effect: string) => rule("refused", effect);
const infra = (effect: string) => rule("infrastructure", effect);

const IN_STORE = (store: string) =>
    `the value lives inside ${store}, which keeps the old one: a file edit would leave the two disagreeing, and changing it inside the store is not automated`;
const TLS = "the installer writes the TLS and TURN setup of Caddy from it; not changed on a running cluster (deploy a new cluster, or replace nodes)";

export const CHANGE_RULES: Record<ConfigKey, ChangeRule> = {
    target: infra(
        "the stack switches targets: every resource of the old target is deleted (on-prem nodes drained, stopped and uninstalled keeping their data) and the new target created; use a new stack instead",
    ),
    openviduVersion: rule(
        "upgrade",
        "every node upgraded with the vendor's updater: media drained and stopped, masters stopped, updater on all nodes in parallel, masters started and health-gated, then media; through 3.5.0 first when coming from 3.4.x or older",
    ),
    domain: refused(TLS),
    turnDomain: refused(TLS),
    license: rule("in-place", "OPENVIDU_PRO_LICENSE in config/cluster/openvidu.env on every master; master-1 restarts"),
    rtcEngine: rule("cluster", "OPENVIDU_RTC_ENGINE in config/cluster/openvidu.env; the cluster restarts (media nodes run the SFU)"),
    modules: rule("cluster", "ENABLED_MODULES in config/cluster/openvidu.env; the cluster restarts (modules add or remove services on both roles)"),
    livekitApiKey: rule("cluster", "LIVEKIT_API_KEY in config/cluster/openvidu.env; the cluster restarts (media nodes authenticate with it)"),
    livekitApiSecret: rule("cluster", "LIVEKIT_API_SECRET in config/cluster/openvidu.env; the cluster restarts"),
    dashboardAdminUser: rule("in-place", "DASHBOARD_ADMIN_USERNAME in config/cluster/openvidu.env on every master; master-1 restarts"),
    dashboardAdminPassword: rule("in-place", "DASHBOARD_ADMIN_PASSWORD in config/cluster/openvidu.env on every master; master-1 restarts"),
    redisPassword: rule(
        "cluster",
        "REDIS_PASSWORD in config/node/master_node.env and media_node.env on every node; the cluster restarts (Redis reads it at start and keeps no copy in its data)",
    ),
    minioAccessKey: refused(IN_STORE("MinIO (its root user and IAM data)")),
    minioSecretKey: refused(IN_STORE("MinIO (its root user and IAM data)")),
    mongoAdminUser: refused(IN_STORE("MongoDB (the admin user of the replica set)")),
    mongoAdminPassword: refused(IN_STORE("MongoDB (the admin user of the replica set)")),
    mongoReplicaSetKey: refused(
        "the keyfile members of a running MongoDB replica set authenticate each other with; changing it on a running replica set splits it",
    ),
    grafanaAdminUser: refused(IN_STORE("Grafana's database (the admin is created at first start)")),
    grafanaAdminPassword: refused(IN_STORE("Grafana's database (the admin is created at first start)")),
    meetInitialAdminPassword: refused(IN_STORE("OpenVidu Meet's database (an initial value, read at first start only)")),
    meetInitialApiKey: refused(IN_STORE("OpenVidu Meet's database (an initial value, read at first start only)")),
    defaultAppUser: refused(IN_STORE("OpenVidu Call (3.0 line)")),
    defaultAppPassword: refused(IN_STORE("OpenVidu Call (3.0 line)")),
    defaultAppAdminUser: refused(IN_STORE("OpenVidu Call (3.0 line)")),
    defaultAppAdminPassword: refused(IN_STORE("OpenVidu Call (3.0 line)")),
    installerBaseUrl: none("used by nodes installed from now on"),
    installerSha256Master: none("checked by masters installed from now on"),
    installerSha256Media: none("checked by media nodes installed from now on"),
    updaterBaseUrl: none("used by the next upgrade"),
    updaterSha256: none("checked by the next upgrade"),
    dnsProvider: none("DNS records only"),
    cloudflareZoneId: none("DNS records only"),
    dnsTtl: none("DNS records only"),
    dnsHealthChecks: none("DNS load balancer or health checks only"),
    dnsHealthCheckPath: none("DNS health checks only"),
    cloudflareAccountId: none("DNS load balancer only"),
    cloudflareCheckRegions: none("DNS load balancer only"),
    route53ZoneId: none("DNS records only"),
    drainTimeoutMinutes: none("bounds later drains"),
    forceMediaNodePublicIp: refused("media nodes are given their public IP at install; reinstall them (pulumi up --replace of each install step) instead"),
    additionalInstallerFlags: refused("extra installer flags take effect through the installer only; a running cluster is not reinstalled"),
    masterNodes: rule(
        "nodes",
        "publicIp/hostKey: SSH and DNS only; a new hostKey re-runs that master's steps, which install a new machine on the same privateIp into the cluster (README \"Replacing a dead master\"). A changed privateIp is refused by every installed node's preflight, before any host (or its firewall) changes: it is in every node's master list and in MongoDB's replica set configuration",
    ),
    mediaNodes: rule("nodes", "added nodes are installed, removed ones drained and stopped; a changed privateIp is a removal plus an addition"),
    sshUser: none("SSH connection only (every step re-runs and finds its work done)"),
    sshPort: none("SSH connection only (every step re-runs and finds its work done)"),
    sshPrivateKey: none("SSH connection only (every step re-runs and finds its work done)"),
    sshDialErrorLimit: none("SSH connection only"),
    sshPerDialTimeout: none("SSH connection only"),
    sshHostKeyCheck: none("SSH connection only: how host keys are verified (a node gains or loses its HostKeyPin)"),
    certificateType: refused(TLS),
    letsencryptEmail: refused(TLS),
    ownCertPrivateKey: refused(TLS),
    ownCertPublicKey: refused(TLS),
    turnOwnCertPrivateKey: refused(TLS),
    turnOwnCertPublicKey: refused(TLS),
    zerosslApiKey: refused(TLS),
    healthTimeoutSeconds: none("bounds later health gates"),
    hostFirewall: rule("in-place", "the nftables table is loaded or removed on every node; OpenVidu keeps running"),
    retainDataOnDestroy: none("applies to later removals"),
    vpcId: infra("every resource in the VPC is replaced (a new cluster)"),
    masterSubnetIds: infra("the masters' interfaces and instances are replaced (new private IPs: a new cluster)"),
    mediaSubnetIds: infra("the media pool moves; nodes roll"),
    certificateArn: infra("the load balancer's TLS listener changes; nodes untouched"),
    turnCertificateArn: infra("the TURN load balancer's TLS listener changes; nodes untouched"),
    masterInstanceType: infra("the 4 masters are resized at once (stop/start: a short outage)"),
    mediaInstanceType: infra("new launch template version; the media pool rolls"),
    keyName: infra("new launch template version; the media pool rolls (masters ignore it)"),
    amiId: infra("new launch template version; the media pool rolls (masters ignore it)"),
    initialMediaNodes: infra("applies at creation only"),
    minMediaNodes: infra("the Auto Scaling group's bounds"),
    maxMediaNodes: infra("the Auto Scaling group's bounds"),
    scaleTargetCpu: infra("the scaling policy"),
    masterDiskSizeGb: infra("the data volumes grow in place (the file system is not resized)"),
    retainVolumes: infra("applies to later removals"),
    sshAllowedCidrs: infra("security group rules"),
    appDataBucketName: infra("a different bucket: refuse unless you moved the data yourself"),
    clusterDataBucketName: infra("a different bucket for boot scripts and cluster data"),
};

const CLASS_TEXT: Record<ChangeClass, string> = {
    none: "no node touched",
    "in-place": "applied in place",
    cluster: "cluster-wide restart",
    upgrade: "cluster-wide upgrade",
    nodes: "node changes",
    infrastructure: "cloud resources (AWS)",
    refused: "**refused**",
};

export const CHANGE_TABLE_BEGIN = "<!-- change-classes:begin (generated by npm run sync:config) -->";
export const CHANGE_TABLE_END = "<!-- change-classes:end -->";

/** The README's table of what a changed key does, grouped by class (rendered from CHANGE_RULES). */
export function renderChangeTable(): string {
    const order: ChangeClass[] = ["upgrade", "cluster", "in-place", "nodes", "refused", "none", "infrastructure"];
    const rows = order.flatMap((cls) =>
        Object.entries<ChangeRule>(CHANGE_RULES)
            .filter(([, r]) => r.class === cls)
            .map(([k, r]) => `| \`${k}\` | ${CLASS_TEXT[cls]} | ${r.effect.replace(/\|/g, "\\|")} |`),
    );
    return ["| key | class | what happens |", "|---|---|---|", ...rows].join("\n");
}

/** `readme` with its change-class section replaced by the rendered table. */
export function readmeWithChangeTable(readme: string): string {
    return readmeWithSection(readme, CHANGE_TABLE_BEGIN, CHANGE_TABLE_END, renderChangeTable());
}
