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

/** `::ffff:203.0.113.11` is 203.0.113.11: one spelling per host, and range checks on the IPv4 address. */
const isIpv4Mapped = (v: string): boolean => ipaddr.IPv6.isValid(v) && ipaddr.IPv6.parse(v).isIPv4MappedAddress();

export const hostIp = z
    .string()
    .refine((v) => isIpAddress(v), { error: "is not a valid IPv4 or IPv6 address", abort: true })
    // ipaddr.js accepts zone ids (fd00::1%eth0); they would reach the nftables ruleset and ip(8) checks verbatim.
    .refine((v) => !v.includes("%"), {
        error: (i) => `must not carry a zone id ('${String(i.input).slice(String(i.input).indexOf("%"))}'): give the bare address`,
        abort: true,
    })
    .refine((v) => !isIpv4Mapped(v), {
        error: (i) => `is an IPv4-mapped IPv6 address: write it as ${ipaddr.IPv6.parse(String(i.input)).toIPv4Address().toString()}`,
        abort: true,
    })
    .refine((v) => !UNUSABLE_RANGES.has(ipRange(v)), {
        error: "is not a usable host address (loopback, link-local, multicast or unspecified)",
        abort: true,
    });

export const privateHostIp = hostIp.refine((v) => PRIVATE_RANGES.has(ipRange(v)), {
    error: "is outside the private ranges (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10, fc00::/7)",
});

/** The network of a CIDR ("198.51.100.0/24" for "198.51.100.7/24"); the CIDR must be valid. */
export function cidrNetwork(value: string): string {
    const [address, bits] = ipaddr.parseCIDR(value);
    const network = address.kind() === "ipv4" ? ipaddr.IPv4.networkAddressFromCIDR(value) : ipaddr.IPv6.networkAddressFromCIDR(value);
    return `${network.toString()}/${bits}`;
}

export function isCidr(value: string): boolean {
    try {
        const [address] = ipaddr.parseCIDR(value);
        // The address as written: parseCIDR accepts "10.0.0/8" and address.toString() would print "10.0.0.0".
        return address.kind() === "ipv4" ? ipaddr.IPv4.isValidFourPartDecimal(value.slice(0, value.indexOf("/"))) : true;
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
