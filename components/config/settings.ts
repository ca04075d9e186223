/**
 * Validated stack settings. Everything here is plain and non-secret; secret values travel separately
 * (`SecretValues` as plain strings only inside validation, `SecretInputs` as Pulumi secrets afterwards).
 */
import * as pulumi from "@pulumi/pulumi";
import { CertificateSettings } from "../core/installer-flags";
import { ReleaseLine } from "../core/release-lines";
import { CredentialKey, DnsProvider, HostAddress, RtcEngine, Target } from "../core/types";

export interface DnsSettings {
    provider: DnsProvider;
    /** Set when provider is cloudflare. */
    cloudflareZoneId?: string;
    /** Seconds; 1 means automatic. */
    ttl: number;
    /** Set when provider is route53 (on-prem). */
    route53ZoneId?: string;
    /** Set with dnsHealthChecks (on-prem, cloudflare or route53): answer only with masters passing this check. */
    health?: {
        /** HTTPS path polled on each master's public IP, port 443. */
        path: string;
        /** Set with cloudflare: pools and monitors are account-level. */
        cloudflareAccountId?: string;
        /** Set with cloudflare: the regions the monitor probes from. */
        cloudflareCheckRegions?: string[];
    };
}

export interface InstallerSource {
    /** HTTPS base URL without trailing slash; `<baseUrl>/<version>/install_ov_<role>_node.sh`. */
    baseUrl: string;
    sha256: { master?: string; media?: string };
}

export interface CommonSettings {
    target: Target;
    openviduVersion: string;
    line: ReleaseLine;
    domain: string;
    turnDomain?: string;
    rtcEngine: RtcEngine;
    modules: string[];
    installer: InstallerSource;
    /** Where upgrades fetch the vendor's updater: `<baseUrl>/<version>/update.sh`, with optional SHA-256 per version. */
    updater: { baseUrl: string; sha256: Record<string, string> };
    dns: DnsSettings;
    drainTimeoutMinutes: number;
    /** Media nodes installed with --public-ip, masters with --force-media-node-public-ip (3.8 line). */
    forceMediaNodePublicIp: boolean;
    /** Extra master installer flags the program does not manage, validated; appended in order. */
    additionalInstallerFlags: string[];
}

export interface SshSettings {
    user: string;
    port: number;
    dialErrorLimit: number;
    perDialTimeout: number;
    /**
     * How host keys are verified for nodes without `hostKey`: recorded at the first connection and required from
     * then on ("first-use"), refused by validation ("configured"), or not verified ("off").
     */
    hostKeyCheck: HostKeyCheck;
}

export type HostKeyCheck = "first-use" | "configured" | "off";

export interface OnpremSettings extends CommonSettings {
    target: "onprem";
    masterNodes: HostAddress[];
    mediaNodes: HostAddress[];
    ssh: SshSettings;
    certificate: CertificateSettings;
    healthTimeoutSeconds: number;
    hostFirewall: boolean;
    retainDataOnDestroy: boolean;
}

export interface MediaScaling {
    initial: number;
    min: number;
    max: number;
    targetCpu: number;
}

export interface AwsSettings extends CommonSettings {
    target: "aws";
    vpcId: string;
    masterSubnetIds: string[];
    mediaSubnetIds: string[];
    certificateArn: string;
    turnCertificateArn?: string;
    masterInstanceType: string;
    mediaInstanceType: string;
    keyName?: string;
    amiId?: string;
    mediaScaling: MediaScaling;
    masterDiskSizeGb: number;
    retainVolumes: boolean;
    sshAllowedCidrs: string[];
    appDataBucketName?: string;
    clusterDataBucketName?: string;
}

export type DeploymentSettings = OnpremSettings | AwsSettings;

export interface PemPair<T> {
    privateKeyPem: T;
    publicKeyPem: T;
}

/** Secret config values; T is `string` inside validation and `pulumi.Output<string>` (secret) afterwards. */
export interface Secrets<T> {
    license: T;
    credentialOverrides: Partial<Record<CredentialKey, T>>;
    sshPrivateKey?: T;
    ownCert?: PemPair<T>;
    turnOwnCert?: PemPair<T>;
    zerosslApiKey?: T;
}

export type SecretValues = Secrets<string>;
export type SecretInputs = Secrets<pulumi.Output<string>>;

export interface LoadedConfig<S extends DeploymentSettings = DeploymentSettings> {
    settings: S;
    secrets: SecretInputs;
}
