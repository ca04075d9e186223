/**
 * Release lines as data. Installer flag names, module names, credentials and port tables differ between the
 * 3.0.x line (the seed documents) and the current 3.8.x line (vendor facts 2.3, 3.2, 3.3); everything that
 * differs lives in one table per line, chosen by `openviduVersion`.
 */
import { PORT_TABLES, PortRule } from "./port-tables";
import { CALL_APP_CREDENTIAL_KEYS, CLUSTER_CREDENTIAL_KEYS, CredentialKey, MEET_CREDENTIAL_KEYS, NodeRole } from "./types";

export type ReleaseLineId = "3.0" | "3.8";

/** Where an installer flag takes its value from. Flags whose source is empty are left out. */
export type FlagSource =
    | { from: "fixed"; value: string }
    | { from: "masterIpList" }
    | { from: "license" }
    | { from: "domain" }
    | { from: "turnDomain" }
    | { from: "modules" }
    | { from: "rtcEngine" }
    | { from: "credential"; key: CredentialKey }
    | { from: "nodePrivateIp" }
    | { from: "nodePublicIp" }
    | { from: "forceMediaNodePublicIp" }
    | { from: "environment" }
    | { from: "externalLoadBalancer" }
    | { from: "certificate" };

export interface FlagSpec {
    flag: string;
    source: FlagSource;
}

export interface ReleaseLine {
    id: ReleaseLineId;
    /** Versions of this line, e.g. 3.8.0, 3.8.1. */
    versionPattern: RegExp;
    /** Every module the installer accepts in --enabled-modules. */
    modules: readonly string[];
    /** What --enabled-modules gets when `modules` is not configured. */
    defaultModules: readonly string[];
    /** The module that serves a web application at the domain root, and what the URL output calls it. */
    appModule: { module: string; urlName: "call" | "meet" };
    /** Credentials the installers of this line take. */
    credentials: readonly CredentialKey[];
    /** Installer flags per role, in the vendor's order. */
    flags: Record<NodeRole, readonly FlagSpec[]>;
    /**
     * The flag carrying the Let's Encrypt account email, or undefined when the line's commands take none (3.8: the
     * vendor's current page and templates dropped it from 3.4.0 on).
     */
    letsencryptEmailFlag?: string;
    /** Inbound port table for both roles and both topologies. */
    ports: readonly PortRule[];
}

const fixed = (flag: string, value: string): FlagSpec => ({ flag, source: { from: "fixed", value } });
const cred = (flag: string, key: CredentialKey): FlagSpec => ({ flag, source: { from: "credential", key } });
const from = (flag: string, source: Exclude<FlagSource, { from: "fixed" } | { from: "credential" }>["from"]): FlagSpec => ({ flag, source: { from: source } });

/** Flags every HA installer invocation starts with (seed: "--no-tty --install --deployment-type='ha' --node-role=..."). */
function preamble(role: "master-node" | "media-node"): FlagSpec[] {
    return [
        { flag: "--no-tty", source: { from: "fixed", value: "" } },
        { flag: "--install", source: { from: "fixed", value: "" } },
        fixed("--deployment-type", "ha"),
        fixed("--node-role", role),
    ];
}

/** 3.0.x: the seed's non-interactive commands, flag for flag and in the same order. */
const LINE_3_0: ReleaseLine = {
    id: "3.0",
    versionPattern: /^3\.0\.\d+$/,
    modules: ["observability", "v2compatibility", "app"],
    defaultModules: ["observability", "v2compatibility", "app"],
    appModule: { module: "app", urlName: "call" },
    credentials: [...CLUSTER_CREDENTIAL_KEYS, ...CALL_APP_CREDENTIAL_KEYS],
    flags: {
        master: [
            ...preamble("master-node"),
            from("--environment", "environment"),
            from("--external-load-balancer", "externalLoadBalancer"),
            from("--master-node-private-ip-list", "masterIpList"),
            from("--openvidu-pro-license", "license"),
            from("--domain-name-or-ip", "domain"),
            from("--enabled-modules", "modules"),
            from("--turn-domain-name", "turnDomain"),
            cred("--livekit-api-key", "livekitApiKey"),
            cred("--livekit-api-secret", "livekitApiSecret"),
            cred("--dashboard-admin-user", "dashboardAdminUser"),
            cred("--dashboard-admin-password", "dashboardAdminPassword"),
            cred("--redis-password", "redisPassword"),
            cred("--minio-access-key", "minioAccessKey"),
            cred("--minio-secret-key", "minioSecretKey"),
            cred("--mongo-admin-user", "mongoAdminUser"),
            cred("--mongo-admin-password", "mongoAdminPassword"),
            cred("--mongo-replica-set-key", "mongoReplicaSetKey"),
            cred("--grafana-admin-user", "grafanaAdminUser"),
            cred("--grafana-admin-password", "grafanaAdminPassword"),
            cred("--default-app-user", "defaultAppUser"),
            cred("--default-app-password", "defaultAppPassword"),
            cred("--default-app-admin-user", "defaultAppAdminUser"),
            cred("--default-app-admin-password", "defaultAppAdminPassword"),
            from("--certificate-type", "certificate"),
        ],
        media: [
            ...preamble("media-node"),
            from("--environment", "environment"),
            from("--domain-name-or-ip", "domain"),
            from("--master-node-private-ip-list", "masterIpList"),
            from("--openvidu-pro-license", "license"),
            from("--rtc-engine", "rtcEngine"),
            from("--enabled-modules", "modules"),
            from("--turn-domain-name", "turnDomain"),
            cred("--livekit-api-key", "livekitApiKey"),
            cred("--livekit-api-secret", "livekitApiSecret"),
            cred("--redis-password", "redisPassword"),
            cred("--minio-access-key", "minioAccessKey"),
            cred("--minio-secret-key", "minioSecretKey"),
            cred("--mongo-admin-user", "mongoAdminUser"),
            cred("--mongo-admin-password", "mongoAdminPassword"),
        ],
    },
    letsencryptEmailFlag: "--letsencrypt-email",
    ports: PORT_TABLES["3.0"],
};

/**
 * 3.8.x: the vendor's current on-prem page (DNS load balancing) and 3.8 CloudFormation template; media nodes take
 * only the cluster list, the Redis password and their own IPs. The order is the template's and stays as it is:
 * install.sh fingerprints the arguments, so reordering would refuse every installed node (the installer itself
 * does not care about order). README "Release lines" lists each flag with its source.
 */
const LINE_3_8: ReleaseLine = {
    id: "3.8",
    versionPattern: /^3\.8\.\d+$/,
    modules: ["observability", "v2compatibility", "openviduMeet"],
    defaultModules: ["observability", "v2compatibility", "openviduMeet"],
    appModule: { module: "openviduMeet", urlName: "meet" },
    credentials: [...CLUSTER_CREDENTIAL_KEYS, ...MEET_CREDENTIAL_KEYS],
    flags: {
        master: [
            ...preamble("master-node"),
            from("--environment", "environment"),
            from("--external-load-balancer", "externalLoadBalancer"),
            from("--master-node-private-ip-list", "masterIpList"),
            from("--openvidu-pro-license", "license"),
            from("--domain-name", "domain"),
            from("--enabled-modules", "modules"),
            from("--rtc-engine", "rtcEngine"),
            from("--turn-domain-name", "turnDomain"),
            cred("--redis-password", "redisPassword"),
            cred("--mongo-admin-user", "mongoAdminUser"),
            cred("--mongo-admin-password", "mongoAdminPassword"),
            cred("--mongo-replica-set-key", "mongoReplicaSetKey"),
            cred("--minio-access-key", "minioAccessKey"),
            cred("--minio-secret-key", "minioSecretKey"),
            cred("--dashboard-admin-user", "dashboardAdminUser"),
            cred("--dashboard-admin-password", "dashboardAdminPassword"),
            cred("--grafana-admin-user", "grafanaAdminUser"),
            cred("--grafana-admin-password", "grafanaAdminPassword"),
            cred("--meet-initial-admin-password", "meetInitialAdminPassword"),
            cred("--meet-initial-api-key", "meetInitialApiKey"),
            cred("--livekit-api-key", "livekitApiKey"),
            cred("--livekit-api-secret", "livekitApiSecret"),
            from("--force-media-node-public-ip", "forceMediaNodePublicIp"),
            from("--certificate-type", "certificate"),
        ],
        media: [
            ...preamble("media-node"),
            from("--environment", "environment"),
            from("--master-node-private-ip-list", "masterIpList"),
            from("--private-ip", "nodePrivateIp"),
            from("--public-ip", "nodePublicIp"),
            cred("--redis-password", "redisPassword"),
        ],
    },
    ports: PORT_TABLES["3.8"],
};

export const RELEASE_LINES: readonly ReleaseLine[] = [LINE_3_0, LINE_3_8];

export const DEFAULT_OPENVIDU_VERSION = "3.8.0";

/** Human-readable list for error messages: "3.0.x, 3.8.x". */
export const SUPPORTED_LINES_TEXT = RELEASE_LINES.map((l) => `${l.id}.x`).join(", ");

/** Whether the line can install media nodes with a given public IP (--public-ip, --force-media-node-public-ip). */
export function supportsMediaPublicIp(line: ReleaseLine): boolean {
    return line.flags.media.some((f) => f.source.from === "nodePublicIp");
}

/** The release line of a version, or undefined when the version belongs to none. */
export function releaseLineOf(version: string): ReleaseLine | undefined {
    return RELEASE_LINES.find((l) => l.versionPattern.test(version));
}
