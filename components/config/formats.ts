/**
 * Field formats shared by the config schemas. IPs and CIDRs are parsed with ipaddr.js, PEM material with Node's
 * crypto; messages never repeat a secret value.
 */
import * as crypto from "crypto";
import * as ipaddr from "ipaddr.js";
import { z } from "zod";

/** A dotted-quad IPv4 or an IPv6 address (ipaddr.isValid alone accepts "1.2.3"). */
export function isIpAddress(value: string): boolean {
    return ipaddr.IPv4.isValidFourPartDecimal(value) || ipaddr.IPv6.isValid(value);
}

const UNUSABLE_RANGES = new Set(["unspecified", "loopback", "multicast", "broadcast", "linkLocal"]);

/** Private ranges a cluster-internal address must be in: RFC 1918, carrier-grade NAT, IPv6 unique local. */
const PRIVATE_RANGES = new Set(["private", "carrierGradeNat", "uniqueLocal"]);

export function ipRange(value: string): string {
    return ipaddr.parse(value).range();
}

export const hostIp = z.string().refine((v) => isIpAddress(v), { error: "is not a valid IPv4 or IPv6 address" })
    .refine((v) => !isIpAddress(v) || !UNUSABLE_RANGES.has(ipRange(v)), {
        error: "is not a usable host address (loopback, link-local, multicast or unspecified)",
    });

export const privateHostIp = hostIp.refine((v) => !isIpAddress(v) || PRIVATE_RANGES.has(ipRange(v)), {
    error: "is outside the private ranges (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10, fc00::/7)",
});

export function isCidr(value: string): boolean {
    try {
        const [address] = ipaddr.parseCIDR(value);
        return value.includes(".") ? ipaddr.IPv4.isValidFourPartDecimal(address.toString()) : true;
    } catch {
        return false;
    }
}

const FQDN_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

export function isFqdn(value: string): boolean {
    if (value.length > 253 || value.endsWith(".")) {
        return false;
    }
    const labels = value.split(".");
    return labels.length >= 2 && labels.every((l) => FQDN_LABEL.test(l)) && /^[a-z]{2,63}$/.test(labels[labels.length - 1]);
}

export const fqdn = z.string().refine((v) => isFqdn(v), {
    error: "is not a valid fully qualified domain name (lowercase labels separated by dots, e.g. openvidu.example.com)",
});

/** Credentials end up in .env files, URIs and shell arguments on the hosts: letters, digits, '_' and '-' only. */
const CREDENTIAL_CHARS = /^[A-Za-z0-9_-]+$/;

export function credentialValue(min: number, max: number): z.ZodString {
    return z.string().refine((v) => v.length >= min && v.length <= max && CREDENTIAL_CHARS.test(v), {
        error: `must be ${min} to ${max} characters of A-Z, a-z, 0-9, '_' or '-'`,
    });
}

export function isPrivateKeyPem(value: string): boolean {
    try {
        crypto.createPrivateKey(value);
        return true;
    } catch {
        return false;
    }
}

export function certificateOf(value: string): crypto.X509Certificate | undefined {
    try {
        return new crypto.X509Certificate(value);
    } catch {
        return undefined;
    }
}

/** OpenSSH or PEM private key block; the SSH library validates the rest when it dials. */
export function looksLikeSshPrivateKey(value: string): boolean {
    return /-----BEGIN (OPENSSH|RSA|EC|DSA)? ?PRIVATE KEY-----[\s\S]+-----END (OPENSSH|RSA|EC|DSA)? ?PRIVATE KEY-----/.test(value);
}

export const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/i, { error: "must be a SHA-256 digest: 64 hexadecimal characters" });
