/**
 * Installer arguments per role and release line. Pure: takes plain values (callers unwrap secrets inside an
 * `apply`) and returns the argument list with each argument marked secret or not, so scripts can keep secret
 * values out of logs.
 */
import { FlagSource, RELEASE_LINES, ReleaseLine } from "./release-lines";
import { CertificateType, CredentialKey, NodeRole, RtcEngine } from "./types";

export interface CertificateSettings {
    type: CertificateType;
    /** Sent only on lines whose commands take it (3.0); validation refuses it elsewhere. */
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
    /** Media nodes with forceMediaNodePublicIp: the public IP clients send media to (--public-ip). */
    nodePublicIp?: string;
    /** Masters with forceMediaNodePublicIp: use the public IP each media node was installed with. Default false. */
    forceMediaNodePublicIp?: boolean;
    /**
     * Extra flags the program does not manage (`--flag` or `--flag=value`, validated), appended to the masters'
     * arguments only, as the vendor's AdditionalInstallFlags are. Default none.
     */
    additionalFlags?: readonly string[];
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
            // 3.0 (the seed) sends the account email; 3.8's commands have no email flag, so nothing is added.
            if (s.line.letsencryptEmailFlag !== undefined) {
                args.push({ flag: s.line.letsencryptEmailFlag, value: cert.letsencryptEmail ?? "", secret: false });
            }
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
        case "nodePublicIp":
            return plain(s.nodePublicIp);
        case "forceMediaNodePublicIp":
            return s.forceMediaNodePublicIp ? [{ flag, secret: false }] : [];
        case "environment":
            return plain(s.environment);
        case "externalLoadBalancer":
            return s.externalLoadBalancer ? [{ flag, secret: false }] : [];
        case "certificate":
            return certificateArgs(flag, s, secrets);
    }
}

/** Flags the certificate source may add besides --certificate-type. */
const CERTIFICATE_FLAGS = [
    "--letsencrypt-email",
    "--zerossl-api-key",
    "--owncert-private-key",
    "--owncert-public-key",
    "--turn-owncert-private-key",
    "--turn-owncert-public-key",
] as const;

/**
 * Every flag the program sets on some line, role or option: additionalInstallerFlags may not name one (a second
 * value for a managed flag, or one the program deliberately leaves out, such as --letsencrypt-email on 3.8).
 */
export const MANAGED_FLAGS: ReadonlySet<string> = new Set([
    ...RELEASE_LINES.flatMap((l) => [...l.flags.master, ...l.flags.media].map((f) => f.flag)),
    ...CERTIFICATE_FLAGS,
]);

/** `--name` or `--name=value`; the value uses the characters of the vendor's AdditionalInstallFlags pattern. */
export const EXTRA_FLAG_PATTERN = /^--[a-z0-9][a-z0-9-]*(=[A-Za-z0-9,=_.-]*)?$/;

/** The flag name of an additionalInstallerFlags entry: `--name=value` → `--name`. */
export const extraFlagName = (entry: string): string => entry.split("=", 1)[0];

function extraArg(entry: string): InstallerArg {
    const at = entry.indexOf("=");
    return at < 0 ? { flag: entry, secret: false } : { flag: entry.slice(0, at), value: entry.slice(at + 1), secret: false };
}

/** The installer arguments for one node, in the release line's order; masters end with the additional flags. */
export function installerArgs(settings: InstallerSettings, secrets: InstallerSecrets): InstallerArg[] {
    const args = settings.line.flags[settings.role].flatMap((spec) => resolve(spec.flag, spec.source, settings, secrets));
    if (settings.role === "master") {
        args.push(...(settings.additionalFlags ?? []).map(extraArg));
    }
    return args;
}

/** The credentials an installer of this role and line reads (used to decide what the secret store must hold). */
export function credentialsUsedBy(line: ReleaseLine, role: NodeRole): CredentialKey[] {
    return line.flags[role].flatMap((f) => (f.source.from === "credential" ? [f.source.key] : []));
}
