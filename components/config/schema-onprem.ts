/** On-premises keys: hosts, SSH and the masters' TLS certificate. */
import * as crypto from "crypto";
import { z } from "zod";
import * as ipaddr from "ipaddr.js";
import { certificateOf, hostIp, ipRange, isIpAddress, isPrivateKeyPem, looksLikeSshPrivateKey, privateHostIp } from "./formats";
import { CLOUDFLARE_CHECK_REGIONS, DEFAULT_HEALTH_CHECK_PATH } from "../core/dns-health";
import { releaseLineOf } from "../core/release-lines";
import { DnsProvider } from "../core/types";
import { Checked, commonShape, integerIn, Issue, oneOf, requiredString } from "./schema-common";

const host = z
    .object(
        {
            publicIp: requiredString().pipe(hostIp),
            privateIp: requiredString().pipe(privateHostIp),
            hostKey: z
                .string()
                .regex(/^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/=]+( .*)?$/, {
                    error: "must be an SSH public host key such as 'ssh-ed25519 AAAA...'",
                })
                .optional(),
        },
        {
            error: (i) =>
                i.code === "unrecognized_keys"
                    ? `unknown field${i.keys.length > 1 ? "s" : ""} ${i.keys.map((k) => `'${k}'`).join(", ")} (allowed: publicIp, privateIp, hostKey)`
                    : "must be an object {publicIp, privateIp, hostKey?}",
        },
    )
    .strict();

export const onpremShape = {
    masterNodes: z
        .array(host, { error: (i) => (i.input === undefined ? "is required: a list of 4 {publicIp, privateIp}" : "must be a list") })
        .refine((list) => list.length === 4, { error: (i) => `must list exactly 4 master nodes, got ${(i.input as unknown[]).length}` }),
    mediaNodes: z
        .array(host, { error: (i) => (i.input === undefined ? "is required: a list of 1 or more {publicIp, privateIp}" : "must be a list") })
        .min(1, { error: "must list at least 1 media node" }),
    sshUser: z
        .string()
        .regex(/^[a-z_][a-z0-9_-]{0,31}$/, { error: "must be a Linux user name" })
        .default("ubuntu"),
    sshPort: integerIn(1, 65535).default(22),
    sshPrivateKey: requiredString().refine((v) => looksLikeSshPrivateKey(v), {
        error: "must be an SSH private key (a '-----BEGIN ... PRIVATE KEY-----' block)",
    }),
    sshDialErrorLimit: integerIn(1, 100).default(10),
    sshPerDialTimeout: integerIn(1, 300).default(15),
    sshHostKeyCheck: oneOf(["first-use", "configured", "off"]).default("first-use"),
    certificateType: oneOf(["selfsigned", "letsencrypt", "owncert", "zerossl"], " (selfsigned, letsencrypt, owncert or zerossl)"),
    letsencryptEmail: z.email({ error: "must be an email address" }).optional(),
    ownCertPrivateKey: z.string().optional(),
    ownCertPublicKey: z.string().optional(),
    turnOwnCertPrivateKey: z.string().optional(),
    turnOwnCertPublicKey: z.string().optional(),
    zerosslApiKey: z.string().min(1, { error: "must not be empty" }).optional(),
    healthTimeoutSeconds: integerIn(30, 3600).default(900),
    hostFirewall: z.boolean().default(false),
    retainDataOnDestroy: z.boolean().default(true),
    dnsHealthChecks: z.boolean().default(false),
    dnsHealthCheckPath: z
        .string()
        .regex(/^\/\S*$/, { error: "must be a URL path: starting with / and without spaces" })
        .default(DEFAULT_HEALTH_CHECK_PATH),
    cloudflareAccountId: z
        .string()
        .regex(/^[0-9a-f]{32}$/, { error: "must be a Cloudflare account id: 32 lowercase hexadecimal characters" })
        .optional(),
    cloudflareCheckRegions: z
        .array(z.enum(CLOUDFLARE_CHECK_REGIONS, { error: (i) => `unknown region '${String(i.input)}' (known: ${CLOUDFLARE_CHECK_REGIONS.join(", ")})` }))
        .min(1, { error: "must list at least 1 region" })
        .refine((list) => new Set(list).size === list.length, { error: "lists a region more than once" })
        .optional(),
    route53ZoneId: z
        .string()
        .regex(/^Z[0-9A-Z]{1,31}$/, {
            error: "must be a Route 53 hosted zone id: Z and capital letters or digits (such as Z0123456789ABCDEFGHIJ), without /hostedzone/",
        })
        .optional(),
};

type OnpremValues = Checked<typeof onpremShape> & Checked<Pick<typeof commonShape, "openviduVersion" | "forceMediaNodePublicIp">>;

function checkPemPair(prefix: "ownCert" | "turnOwnCert", priv: string | undefined, pub: string | undefined, issue: Issue) {
    if (priv !== undefined && !isPrivateKeyPem(priv)) {
        issue([`${prefix}PrivateKey`], "is not a PEM private key");
    }
    const cert = pub === undefined ? undefined : certificateOf(pub);
    if (pub !== undefined && !cert) {
        issue([`${prefix}PublicKey`], "is not a PEM certificate");
    }
    if (cert && priv !== undefined && isPrivateKeyPem(priv) && !cert.checkPrivateKey(crypto.createPrivateKey(priv))) {
        issue([`${prefix}PublicKey`], `does not match ${prefix}PrivateKey`);
    }
}

/** One spelling per address: "FD00:0::1" and "fd00::1" are the same host. */
const addressKey = (ip: string): string => (isIpAddress(ip) ? ipaddr.parse(ip).toNormalizedString() : ip);

function checkDuplicateIps(v: OnpremValues, issue: Issue) {
    const seen = new Map<string, string>();
    const hosts = [
        ...(v.masterNodes ?? []).map((h, i) => ({ h, path: ["masterNodes", i] as (string | number)[] })),
        ...(v.mediaNodes ?? []).map((h, i) => ({ h, path: ["mediaNodes", i] as (string | number)[] })),
    ];
    for (const { h, path } of hosts) {
        const owner = `${path[0]}[${path[1]}]`;
        for (const field of ["publicIp", "privateIp"] as const) {
            const key = addressKey(h[field]);
            const previous = seen.get(key);
            if (previous !== undefined && previous !== owner) {
                issue([...path, field], `${h[field]} is already used by ${previous}`);
            } else {
                seen.set(key, owner);
            }
        }
    }
}

/** DNS keys only on-prem uses: health checks, the Cloudflare account, the Route 53 zone. */
function checkOnpremDns(v: OnpremValues & { dnsProvider?: DnsProvider; dnsTtl?: number }, issue: Issue, given: (key: string) => boolean) {
    const provider = v.dnsProvider;
    const healthChecks = v.dnsHealthChecks === true;
    if (healthChecks && provider === "none") {
        issue(["dnsHealthChecks"], "needs dnsProvider cloudflare or route53: with dnsProvider none no one checks the masters (set dnsHealthChecks to false)");
    }
    // A key needed exactly when `needed`: required then (saying why, where a reason helps), and refused as unused
    // otherwise once the provider is known.
    const usedExactlyWhen = (key: string, needed: boolean, when: string, why?: string) => {
        if (needed && !given(key)) issue([key], `is required when ${when}${why === undefined ? "" : `: ${why}`}`);
        if (!needed && given(key) && provider !== undefined) issue([key], `is only used when ${when}`);
    };
    usedExactlyWhen("route53ZoneId", provider === "route53", "dnsProvider is route53");
    const cloudflareHealth = provider === "cloudflare" && healthChecks;
    const cloudflareHealthText = "dnsHealthChecks is true with dnsProvider cloudflare";
    usedExactlyWhen("cloudflareAccountId", cloudflareHealth, cloudflareHealthText, "load balancer pools and monitors belong to the account");
    usedExactlyWhen(
        "cloudflareCheckRegions",
        cloudflareHealth,
        cloudflareHealthText,
        "the regions the monitor probes from, e.g. [WEU] near European masters (without it Cloudflare would probe from every data center, an Enterprise-only option)",
    );
    if (given("dnsHealthCheckPath") && v.dnsHealthChecks === false) {
        issue(["dnsHealthCheckPath"], "is only used when dnsHealthChecks is true");
    }
    if (v.dnsTtl === 1 && (provider === "route53" || (provider === "cloudflare" && healthChecks))) {
        issue(["dnsTtl"], "1 (automatic) exists only for plain Cloudflare records: give seconds (60..86400)");
    }
}

/** With forceMediaNodePublicIp each media node's publicIp is announced to clients: a private one cannot work. */
function checkAnnouncedPublicIps(v: OnpremValues, issue: Issue) {
    if (!v.forceMediaNodePublicIp) return;
    (v.mediaNodes ?? []).forEach((h, i) => {
        const range = isIpAddress(h.publicIp) ? ipRange(h.publicIp) : undefined;
        if (range === "private" || range === "carrierGradeNat" || range === "uniqueLocal") {
            issue(["mediaNodes", i, "publicIp"], `${h.publicIp} is a private address; with forceMediaNodePublicIp clients send media to it`);
        }
    });
}

/** Where each node sits in the config, for messages: masterNodes[0], mediaNodes[3]. */
function nodePaths(v: OnpremValues): { path: (string | number)[]; hostKey?: string }[] {
    return [
        ...(v.masterNodes ?? []).map((h, i) => ({ path: ["masterNodes", i], hostKey: h.hostKey })),
        ...(v.mediaNodes ?? []).map((h, i) => ({ path: ["mediaNodes", i], hostKey: h.hostKey })),
    ];
}

/** Allowed but risky on-prem settings: nodes whose SSH host key is pinned on first use, or not verified at all. */
export function onpremWarnings(v: OnpremValues): string[] {
    const unpinned = nodePaths(v)
        .filter((n) => n.hostKey === undefined)
        .map((n) => `${n.path[0]}[${n.path[1]}]`);
    if (unpinned.length === 0) return [];
    const list = unpinned.length > 6 ? `${unpinned.slice(0, 6).join(", ")} and ${unpinned.length - 6} more` : unpinned.join(", ");
    return v.sshHostKeyCheck === "off"
        ? [`sshHostKeyCheck: off: the SSH host keys of ${list} are not verified; whoever answers at those addresses receives the cluster's secrets`]
        : [
              `sshHostKeyCheck: no hostKey for ${list}: each one's SSH host key is recorded at the first connection and required from then on; compare the recorded keys (pulumi stack output masterNodes, mediaNodes) with the hosts' own and set hostKey`,
          ];
}

/** Rules across on-prem keys. `given(key)` is true when the key is configured, even if its value failed its check. */
export function checkOnprem(v: OnpremValues & { dnsProvider?: DnsProvider; dnsTtl?: number }, issue: Issue, given: (key: string) => boolean): void {
    checkDuplicateIps(v, issue);
    if (v.sshHostKeyCheck === "configured") {
        nodePaths(v)
            .filter((n) => n.hostKey === undefined)
            .forEach((n) => issue([...n.path, "hostKey"], "is required when sshHostKeyCheck is configured"));
    }
    checkOnpremDns(v, issue, given);
    checkAnnouncedPublicIps(v, issue);
    const line = v.openviduVersion === undefined ? undefined : releaseLineOf(v.openviduVersion);
    // The email is sent only where the line's commands take it (3.0); on 3.8 it would be silently dropped, so it
    // is refused rather than ignored. An unsupported version is reported on its own and decides nothing here.
    const emailUsed = line?.letsencryptEmailFlag !== undefined;
    if (line && !emailUsed && given("letsencryptEmail")) {
        issue(["letsencryptEmail"], `is not used by the ${line.id}.x line: the vendor's ${line.id} Let's Encrypt command takes no email; remove it`);
    }
    const type = v.certificateType;
    const requiredFor: Record<string, string[]> = {
        letsencrypt: emailUsed ? ["letsencryptEmail"] : [],
        zerossl: ["zerosslApiKey"],
        owncert: ["ownCertPrivateKey", "ownCertPublicKey"],
        selfsigned: [],
    };
    const onlyFor: Record<string, string> = {
        ...(emailUsed ? { letsencryptEmail: "letsencrypt" } : {}),
        zerosslApiKey: "zerossl",
        ownCertPrivateKey: "owncert",
        ownCertPublicKey: "owncert",
        turnOwnCertPrivateKey: "owncert",
        turnOwnCertPublicKey: "owncert",
    };
    if (type !== undefined) {
        requiredFor[type].filter((k) => !given(k)).forEach((k) => issue([k], `is required when certificateType is ${type}`));
        Object.entries(onlyFor)
            .filter(([k, t]) => t !== type && given(k))
            .forEach(([k, t]) => issue([k], `is only used when certificateType is ${t}`));
    }
    if (given("turnOwnCertPrivateKey") !== given("turnOwnCertPublicKey")) {
        issue(
            [given("turnOwnCertPrivateKey") ? "turnOwnCertPublicKey" : "turnOwnCertPrivateKey"],
            "turnOwnCertPrivateKey and turnOwnCertPublicKey must be set together",
        );
    }
    if (given("turnOwnCertPrivateKey") && !given("turnDomain")) {
        issue(["turnOwnCertPrivateKey"], "is only used with turnDomain");
    }
    checkPemPair("ownCert", v.ownCertPrivateKey, v.ownCertPublicKey, issue);
    checkPemPair("turnOwnCert", v.turnOwnCertPrivateKey, v.turnOwnCertPublicKey, issue);
}
