/**
 * Validates the whole stack config at once, before any resource exists. Every problem is collected and reported
 * together, each naming its key; secret values are never repeated in messages.
 */
import * as ipaddr from "ipaddr.js";
import { z } from "zod";
import { releaseLineOf } from "../core/release-lines";
import { CREDENTIAL_KEYS, CredentialKey, HostAddress } from "../core/types";
import { MAX_AWS_DRAIN_MINUTES } from "../aws/plan/timing";
import { ConfigKey } from "./keys";
import { parseRawConfig, TypedConfig } from "./parse-raw";
import { awsWarnings, checkAws, awsShape } from "./schema-aws";
import { checkCommon, commonShape, Issue, oneOf } from "./schema-common";
import { checkOnprem, onpremShape, onpremWarnings } from "./schema-onprem";
import { AwsSettings, CommonSettings, DeploymentSettings, OnpremSettings, SecretValues } from "./settings";

export class ConfigError extends Error {
    constructor(public readonly problems: readonly string[]) {
        super(`Invalid stack configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        this.name = "ConfigError";
    }
}

export interface ValidationContext {
    /** Whether `cloudflare:apiToken` (or CLOUDFLARE_API_TOKEN) is available to the Cloudflare provider. */
    hasCloudflareToken: boolean;
    /** Full keys outside the project's and its providers' namespaces. Default none. */
    foreignKeys?: readonly string[];
    /** The AWS provider's region (aws:region, AWS_REGION or AWS_DEFAULT_REGION); undefined when unknown. */
    awsRegion?: string;
}

export interface ValidatedConfig {
    settings: DeploymentSettings;
    secretValues: SecretValues;
    /** Allowed but risky settings, each naming its key; loadConfig logs them as warnings. */
    warnings: string[];
}

/** `masterNodes[2].privateIp` from zod's path array. */
function formatPath(path: readonly PropertyKey[]): string {
    return path.reduce<string>((acc, part) => (typeof part === "number" ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part)), "");
}

type Shape = Record<string, z.ZodType>;

const targetShape = { target: oneOf(["onprem", "aws"], " (onprem or aws)") };

/** Keys whose multi-line values (PEM) reach hosts base64-encoded or not as installer arguments at all. */
const MULTILINE_KEYS: ReadonlySet<string> = new Set<ConfigKey>([
    "sshPrivateKey",
    "ownCertPrivateKey",
    "ownCertPublicKey",
    "turnOwnCertPrivateKey",
    "turnOwnCertPublicKey",
]);

/** Paths of the strings in `value` (nested lists and objects too) that hold a line break. */
function lineBreakPaths(value: unknown, path: PropertyKey[]): PropertyKey[][] {
    if (typeof value === "string") return /[\r\n]/.test(value) ? [path] : [];
    if (Array.isArray(value)) return value.flatMap((v, i) => lineBreakPaths(v, [...path, i]));
    if (typeof value === "object" && value !== null) {
        return Object.entries(value).flatMap(([k, v]) => lineBreakPaths(v, [...path, k]));
    }
    return [];
}

/**
 * Checks each field on its own so one bad field never hides another, then runs the cross-field rules on the
 * fields that passed. A value with a line break fails first, whatever its key: install.sh reads one installer
 * argument per line, so a line break would add arguments.
 */
function checkFields(shape: Shape, typed: TypedConfig, problems: string[], unparsed: ReadonlySet<string>): Record<string, unknown> {
    const values: Record<string, unknown> = {};
    for (const [key, schema] of Object.entries(shape)) {
        // Given but not of its type: already reported by parseRawConfig; its schema would call it missing.
        if (unparsed.has(key)) continue;
        const broken = MULTILINE_KEYS.has(key) ? [] : lineBreakPaths(typed[key as ConfigKey], [key]);
        if (broken.length > 0) {
            problems.push(...broken.map((p) => `${formatPath(p)}: must be a single line (a line break would start another installer argument)`));
            continue;
        }
        const result = schema.safeParse(typed[key as ConfigKey]);
        if (result.success) {
            values[key] = result.data;
        } else {
            problems.push(...result.error.issues.map((i) => `${formatPath([key, ...i.path])}: ${i.message}`));
        }
    }
    return values;
}

/**
 * drainTimeoutMinutes when not set. AWS: the terminate hook's ceiling, so scale-in never cuts a session or a
 * recording (a draining node keeps running, and billing, until its last session ends). On-prem: 60, because
 * the drain runs inside `pulumi up`/`destroy`, which waits for it.
 */
export const DEFAULT_DRAIN_MINUTES = { aws: MAX_AWS_DRAIN_MINUTES, onprem: 60 } as const;

function commonSettings(v: z.infer<z.ZodObject<typeof commonShape>>, target: "onprem" | "aws"): Omit<CommonSettings, "target"> {
    const line = releaseLineOf(v.openviduVersion)!;
    return {
        openviduVersion: v.openviduVersion,
        line,
        domain: v.domain,
        turnDomain: v.turnDomain,
        rtcEngine: v.rtcEngine,
        modules: v.modules ?? [...line.defaultModules],
        installer: { baseUrl: v.installerBaseUrl, sha256: { master: v.installerSha256Master, media: v.installerSha256Media } },
        updater: {
            baseUrl: v.updaterBaseUrl,
            sha256: Object.fromEntries(v.updaterSha256.map((e) => [e.split("=")[0], e.split("=")[1].toLowerCase()])),
        },
        dns: { provider: v.dnsProvider, cloudflareZoneId: v.cloudflareZoneId, ttl: v.dnsTtl },
        drainTimeoutMinutes: v.drainTimeoutMinutes ?? DEFAULT_DRAIN_MINUTES[target],
        forceMediaNodePublicIp: v.forceMediaNodePublicIp,
        additionalInstallerFlags: v.additionalInstallerFlags,
    };
}

function secretValues(typed: TypedConfig): SecretValues {
    const str = (k: ConfigKey) => typed[k] as string | undefined;
    const pair = (priv: ConfigKey, pub: ConfigKey) =>
        str(priv) !== undefined && str(pub) !== undefined ? { privateKeyPem: str(priv)!, publicKeyPem: str(pub)! } : undefined;
    const overrides: Partial<Record<CredentialKey, string>> = {};
    for (const k of CREDENTIAL_KEYS) {
        if (str(k) !== undefined) overrides[k] = str(k)!;
    }
    return {
        license: str("license")!,
        credentialOverrides: overrides,
        sshPrivateKey: str("sshPrivateKey"),
        ownCert: pair("ownCertPrivateKey", "ownCertPublicKey"),
        turnOwnCert: pair("turnOwnCertPrivateKey", "turnOwnCertPublicKey"),
        zerosslApiKey: str("zerosslApiKey"),
    };
}

function toSettings(values: Record<string, unknown>): DeploymentSettings {
    const v = values as z.infer<z.ZodObject<typeof commonShape>> & { target: "onprem" | "aws" };
    let settings: DeploymentSettings;
    if (v.target === "onprem") {
        const o = values as z.infer<z.ZodObject<typeof onpremShape>>;
        settings = {
            ...commonSettings(v, "onprem"),
            target: "onprem",
            dns: {
                ...commonSettings(v, "onprem").dns,
                route53ZoneId: o.route53ZoneId,
                health: o.dnsHealthChecks
                    ? { path: o.dnsHealthCheckPath, cloudflareAccountId: o.cloudflareAccountId, cloudflareCheckRegions: o.cloudflareCheckRegions }
                    : undefined,
            },
            masterNodes: hosts(o.masterNodes),
            mediaNodes: hosts(o.mediaNodes),
            ssh: {
                user: o.sshUser,
                port: o.sshPort,
                dialErrorLimit: o.sshDialErrorLimit,
                perDialTimeout: o.sshPerDialTimeout,
                hostKeyCheck: o.sshHostKeyCheck,
            },
            certificate: { type: o.certificateType, letsencryptEmail: o.letsencryptEmail },
            healthTimeoutSeconds: o.healthTimeoutSeconds,
            hostFirewall: o.hostFirewall,
            retainDataOnDestroy: o.retainDataOnDestroy,
        } satisfies OnpremSettings;
    } else {
        const a = values as z.infer<z.ZodObject<typeof awsShape>>;
        settings = {
            ...commonSettings(v, "aws"),
            target: "aws",
            vpcId: a.vpcId,
            masterSubnetIds: a.masterSubnetIds,
            mediaSubnetIds: a.mediaSubnetIds,
            certificateArn: a.certificateArn,
            turnCertificateArn: a.turnCertificateArn,
            masterInstanceType: a.masterInstanceType,
            mediaInstanceType: a.mediaInstanceType,
            keyName: a.keyName,
            amiId: a.amiId,
            mediaScaling: { initial: a.initialMediaNodes, min: a.minMediaNodes, max: a.maxMediaNodes, targetCpu: a.scaleTargetCpu },
            masterDiskSizeGb: a.masterDiskSizeGb,
            retainVolumes: a.retainVolumes,
            sshAllowedCidrs: a.sshAllowedCidrs,
            appDataBucketName: a.appDataBucketName,
            clusterDataBucketName: a.clusterDataBucketName,
        } satisfies AwsSettings;
    }
    return settings;
}

/** The canonical spelling (RFC 5952 for IPv6), as `ip addr` prints it and as resource names should carry it. */
const canonicalIp = (ip: string): string => ipaddr.parse(ip).toString();

const hosts = (list: { publicIp: string; privateIp: string; hostKey?: string }[]): HostAddress[] =>
    list.map((h) => ({ publicIp: canonicalIp(h.publicIp), privateIp: canonicalIp(h.privateIp), ...(h.hostKey ? { hostKey: h.hostKey } : {}) }));

/**
 * Validates raw stack config (keys without the `openvidu-ha:` namespace, values as the CLI passes them).
 * Throws ConfigError listing every problem.
 */
export function validateConfig(raw: Readonly<Record<string, string>>, context: ValidationContext): ValidatedConfig {
    const { typed, problems } = parseRawConfig(raw);
    for (const key of context.foreignKeys ?? []) {
        problems.push(`${key}: unknown config namespace '${key.slice(0, key.indexOf(":"))}' (project keys are openvidu-ha:<key>)`);
    }
    const target = typed.target === "aws" || typed.target === "onprem" ? typed.target : undefined;
    const shape: Shape = { ...targetShape, ...commonShape, ...(target === "onprem" ? onpremShape : target === "aws" ? awsShape : {}) };
    const unparsed = new Set(Object.keys(raw).filter((k) => !(k in typed)));
    const values = checkFields(shape, typed, problems, unparsed);
    const issue: Issue = (path, message) => problems.push(`${formatPath(path)}: ${message}`);
    const given = (key: string) => typed[key as ConfigKey] !== undefined;
    checkCommon(values, issue, given, context.hasCloudflareToken);
    if (target === "onprem") checkOnprem(values, issue, given);
    if (target === "aws") checkAws(values, issue, given, context.awsRegion);
    if (problems.length > 0) {
        throw new ConfigError([...new Set(problems)]);
    }
    const warnings = target === "aws" ? awsWarnings(values) : onpremWarnings(values);
    return { settings: toSettings(values), secretValues: secretValues(typed), warnings };
}
