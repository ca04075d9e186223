/** Shared vocabulary of the pure planning core. Nothing here creates resources. */

export type Target = "onprem" | "aws";
export type NodeRole = "master" | "media";
export type RtcEngine = "pion" | "mediasoup";
export type CertificateType = "selfsigned" | "letsencrypt" | "owncert" | "zerossl";
export type DnsProvider = "cloudflare" | "route53" | "none";

/** How clients reach the masters: DNS round robin (on-prem) or a network load balancer (AWS). */
export type Topology = "dns" | "nlb";

/** The installer's own name for each role. */
export const INSTALLER_ROLE: Record<NodeRole, "master-node" | "media-node"> = {
    master: "master-node",
    media: "media-node",
};

/** Credentials of the cluster itself, taken by the installers of every release line. */
export const CLUSTER_CREDENTIAL_KEYS = [
    "livekitApiKey",
    "livekitApiSecret",
    "dashboardAdminUser",
    "dashboardAdminPassword",
    "redisPassword",
    "minioAccessKey",
    "minioSecretKey",
    "mongoAdminUser",
    "mongoAdminPassword",
    "mongoReplicaSetKey",
    "grafanaAdminUser",
    "grafanaAdminPassword",
] as const;
/** Credentials of the 3.8.x line's application module, openviduMeet. */
export const MEET_CREDENTIAL_KEYS = ["meetInitialAdminPassword", "meetInitialApiKey"] as const;
/** Credentials of the 3.0.x line's application module, app (OpenVidu Call). */
export const CALL_APP_CREDENTIAL_KEYS = ["defaultAppUser", "defaultAppPassword", "defaultAppAdminUser", "defaultAppAdminPassword"] as const;

/**
 * Every credential the cluster shares, in config-reference order; names are the installer flags in camelCase. Each
 * release line takes the cluster's and its application module's (components/core/release-lines.ts).
 */
export const CREDENTIAL_KEYS = [...CLUSTER_CREDENTIAL_KEYS, ...MEET_CREDENTIAL_KEYS, ...CALL_APP_CREDENTIAL_KEYS] as const;
export type CredentialKey = (typeof CREDENTIAL_KEYS)[number];

/** A host given by the operator: the address Pulumi dials and the address the cluster uses. */
export interface HostAddress {
    publicIp: string;
    privateIp: string;
    /** Optional SSH host public key ("ssh-ed25519 AAAA..."); when set the connection verifies it. */
    hostKey?: string;
}
