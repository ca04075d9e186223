/**
 * Installer arguments per role and release line. Pure: takes plain values (callers unwrap secrets inside an
 * `apply`) and returns the argument list with each argument marked secret or not, so scripts can keep secret
 * values out of logs.
 */
import { FlagSource, ReleaseLine } from "./release-lines";
import { CertificateType, CredentialKey, NodeRole, RtcEngine } from "./types";

export interface CertificateSettings {
    type: CertificateType;
    letsencryptEmail?: string;
}

/** Non-secret inputs of an installer invocation. */
export interface InstallerSettings {
    role: NodeRole;
    line: ReleaseLine;
    domain: string;
    turnDomain?: string;
    rtcEngine: RtcEngine;
    modules: readonly string[];
    /** The 4 master private IPs, in the same order on every node. */
    masterPrivateIps: readonly string[];
    /** This node's private IP (media nodes of the 3.8 line pass it explicitly). */
    nodePrivateIp?: string;
    /** Cloud flavour (`aws`); absent on-prem. */
    environment?: string;
    /** True when a load balancer terminates TLS in front of the masters. */
    externalLoadBalancer?: boolean;
    /** TLS mode of the masters' Caddy; absent when the load balancer terminates TLS. */
    certificate?: CertificateSettings;
}

/** Secret inputs of an installer invocation, as plain strings. */
export interface InstallerSecrets {
    license: string;
    /** The release line's credentials; a flag whose credential is missing is a programming error. */
    credentials: Readonly<Partial<Record<CredentialKey, string>>>;
    ownCert?: { privateKeyPem: string; publicKeyPem: string };
    turnOwnCert?: { privateKeyPem: string; publicKeyPem: string };
    zerosslApiKey?: string;
}

export interface InstallerArg {
    flag: string;
    /** Undefined for bare switches such as --no-tty. */
    value?: string;
    secret: boolean;
}

/** `--flag=value`, or `--flag` for switches: one argv element, no shell quoting needed. */
export function renderArg(arg: InstallerArg): string {
    return arg.value === undefined ? arg.flag : `${arg.flag}=${arg.value}`;
}

const base64 = (pem: string): string => Buffer.from(pem, "utf8").toString("base64");

function certificateArgs(flag: string, s: InstallerSettings, secrets: InstallerSecrets): InstallerArg[] {
    const cert = s.certificate;
    if (!cert) {
        return [];
    }
    const args: InstallerArg[] = [{ flag, value: cert.type, secret: false }];
    switch (cert.type) {
        case "letsencrypt":
            args.push({ flag: "--letsencrypt-email", value: cert.letsencryptEmail ?? "", secret: false });
            break;
        case "zerossl":
            args.push({ flag: "--zerossl-api-key", value: secrets.zerosslApiKey ?? "", secret: true });
            break;
        case "owncert":
            // The installer takes PEM files base64-encoded on one line (seed: `base64 -w 0`).
            args.push({ flag: "--owncert-private-key", value: base64(secrets.ownCert?.privateKeyPem ?? ""), secret: true });
            args.push({ flag: "--owncert-public-key", value: base64(secrets.ownCert?.publicKeyPem ?? ""), secret: true });
            if (secrets.turnOwnCert) {
                args.push({ flag: "--turn-owncert-private-key", value: base64(secrets.turnOwnCert.privateKeyPem), secret: true });
                args.push({ flag: "--turn-owncert-public-key", value: base64(secrets.turnOwnCert.publicKeyPem), secret: true });
            }
            break;
        case "selfsigned":
            break;
    }
    return args;
}

function resolve(flag: string, source: FlagSource, s: InstallerSettings, secrets: InstallerSecrets): InstallerArg[] {
    const plain = (value: string | undefined): InstallerArg[] => (value === undefined ? [] : [{ flag, value, secret: false }]);
    switch (source.from) {
        case "fixed":
            return [{ flag, value: source.value === "" ? undefined : source.value, secret: false }];
        case "masterIpList":
            return plain(s.masterPrivateIps.join(","));
        case "license":
            return [{ flag, value: secrets.license, secret: true }];
        case "domain":
            return plain(s.domain);
        case "turnDomain":
            return plain(s.turnDomain);
        case "modules":
            return plain(s.modules.join(","));
        case "rtcEngine":
            return plain(s.rtcEngine);
        case "credential": {
            const value = secrets.credentials[source.key];
            if (value === undefined) {
                throw new Error(`installer flag ${flag} needs credential ${source.key}, which the ${s.line.id} line does not define`);
            }
            return [{ flag, value, secret: true }];
        }
        case "nodePrivateIp":
            return plain(s.nodePrivateIp);
        case "environment":
            return plain(s.environment);
        case "externalLoadBalancer":
            return s.externalLoadBalancer ? [{ flag, secret: false }] : [];
        case "certificate":
            return certificateArgs(flag, s, secrets);
    }
}

/** The installer arguments for one node, in the release line's order. */
export function installerArgs(settings: InstallerSettings, secrets: InstallerSecrets): InstallerArg[] {
    return settings.line.flags[settings.role].flatMap((spec) => resolve(spec.flag, spec.source, settings, secrets));
}

/** The credentials an installer of this role and line reads (used to decide what the secret store must hold). */
export function credentialsUsedBy(line: ReleaseLine, role: NodeRole): CredentialKey[] {
    return line.flags[role].flatMap((f) => (f.source.from === "credential" ? [f.source.key] : []));
}
