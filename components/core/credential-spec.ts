/**
 * How each credential is produced when the stack config does not set it, and its key in the vendor's
 * Secrets Manager JSON (vendor facts 1.3, "OpenViduSharedInfo").
 */
import { CredentialKey } from "./types";

export type CredentialGeneration =
    /** A fixed user name, the one the vendor's templates use. */
    | { kind: "username"; value: string }
    /** Random letters and digits (no symbols: values end up in URIs, env files and shell arguments). */
    | { kind: "random"; length: number; prefix?: string };

export interface CredentialSpec {
    generation: CredentialGeneration;
    /** Key in the vendor's secret JSON; undefined where the vendor's secret has no such key. */
    vendorSecretKey?: string;
}

const random = (length: number, prefix?: string): CredentialGeneration => ({ kind: "random", length, prefix });
const user = (value: string): CredentialGeneration => ({ kind: "username", value });

export const CREDENTIAL_SPECS: Readonly<Record<CredentialKey, CredentialSpec>> = {
    livekitApiKey: { generation: random(12, "API"), vendorSecretKey: "LIVEKIT_API_KEY" },
    livekitApiSecret: { generation: random(44), vendorSecretKey: "LIVEKIT_API_SECRET" },
    dashboardAdminUser: { generation: user("dashboardadmin"), vendorSecretKey: "DASHBOARD_ADMIN_USERNAME" },
    dashboardAdminPassword: { generation: random(44), vendorSecretKey: "DASHBOARD_ADMIN_PASSWORD" },
    redisPassword: { generation: random(44), vendorSecretKey: "REDIS_PASSWORD" },
    minioAccessKey: { generation: user("minioadmin"), vendorSecretKey: "MINIO_ACCESS_KEY" },
    minioSecretKey: { generation: random(44), vendorSecretKey: "MINIO_SECRET_KEY" },
    mongoAdminUser: { generation: user("mongoadmin"), vendorSecretKey: "MONGO_ADMIN_USERNAME" },
    mongoAdminPassword: { generation: random(44), vendorSecretKey: "MONGO_ADMIN_PASSWORD" },
    mongoReplicaSetKey: { generation: random(44), vendorSecretKey: "MONGO_REPLICA_SET_KEY" },
    grafanaAdminUser: { generation: user("grafanaadmin"), vendorSecretKey: "GRAFANA_ADMIN_USERNAME" },
    grafanaAdminPassword: { generation: random(44), vendorSecretKey: "GRAFANA_ADMIN_PASSWORD" },
    meetInitialAdminPassword: { generation: random(44), vendorSecretKey: "MEET_INITIAL_ADMIN_PASSWORD" },
    meetInitialApiKey: { generation: random(44), vendorSecretKey: "MEET_INITIAL_API_KEY" },
    defaultAppUser: { generation: user("calluser") },
    defaultAppPassword: { generation: random(44) },
    defaultAppAdminUser: { generation: user("calladmin") },
    defaultAppAdminPassword: { generation: random(44) },
};
