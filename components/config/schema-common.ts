/** Config keys both targets read, with their formats and cross-field rules. */
import { z } from "zod";
import { CREDENTIAL_SPECS } from "../core/credential-spec";
import { EXTRA_FLAG_PATTERN, extraFlagName, MANAGED_FLAGS } from "../core/installer-flags";
import { DEFAULT_OPENVIDU_VERSION, releaseLineOf, SUPPORTED_LINES_TEXT, supportsMediaPublicIp } from "../core/release-lines";
import { CREDENTIAL_KEYS, CredentialKey } from "../core/types";
import { UPDATER_STEPS } from "../core/upgrade-path";
import { credentialValue, fqdn, sha256Hex } from "./formats";

/** A string key that must be present. */
export const requiredString = () => z.string({ error: (issue) => (issue.input === undefined ? "is required" : "must be a string") });

export function oneOf<const T extends readonly [string, ...string[]]>(values: T, what = "") {
    return z.enum(values, {
        error: (issue) =>
            issue.input === undefined
                ? `is required${what}`
                : `must be one of ${values.join(", ")}, got '${typeof issue.input === "string" ? issue.input : JSON.stringify(issue.input)}'`,
    });
}

export function integerIn(min: number, max: number) {
    return z
        .number()
        .int()
        .refine((v) => v >= min && v <= max, { error: `must be between ${min} and ${max}` });
}

const lower = (v: string) => v.toLowerCase();

/** The URL with percent-encoding decoded; undefined when the encoding is malformed. */
function decodedUrl(url: string): string | undefined {
    try {
        return decodeURIComponent(url);
    } catch {
        return undefined;
    }
}

const credentialShape = Object.fromEntries(
    CREDENTIAL_KEYS.map((k) => {
        const isUser = CREDENTIAL_SPECS[k].generation.kind === "username";
        return [k, (isUser ? credentialValue(3, 64) : credentialValue(8, 128)).optional()];
    }),
) as Record<CredentialKey, z.ZodOptional<z.ZodString>>;

export const commonShape = {
    openviduVersion: z.string().default(DEFAULT_OPENVIDU_VERSION),
    domain: requiredString().transform(lower).pipe(fqdn),
    turnDomain: z.string().transform(lower).pipe(fqdn).optional(),
    license: requiredString().refine((v) => v.trim().length > 0 && !/\s/.test(v), {
        error: "must be the license key: not empty, no whitespace",
    }),
    rtcEngine: oneOf(["pion", "mediasoup"]).default("pion"),
    modules: z.array(z.string()).optional(),
    ...credentialShape,
    updaterBaseUrl: z
        .string()
        .default("https://get.openvidu.io/update")
        .refine((v) => v.startsWith("https://"), { error: "must be an https:// URL (the updater is never fetched over plain http)" })
        .refine((v) => URL.canParse(v), { error: "is not a valid URL" })
        .refine((v) => !URL.canParse(v) || (new URL(v).username === "" && new URL(v).password === ""), {
            error: "must not carry credentials: the URL appears in plain command strings and logs",
        })
        .transform((v) => v.replace(/\/+$/, "")),
    updaterSha256: z
        .array(
            z
                .string()
                .regex(/^\d+\.\d+\.\d+=[0-9a-fA-F]{64}$/, { error: "must be VERSION=SHA256 (e.g. 3.8.0= and 64 hexadecimal characters)" })
                .refine((v) => UPDATER_STEPS.includes(v.split("=")[0]), {
                    error: (i) => `names ${String(i.input).split("=")[0]}, which is not on the updater's path (${UPDATER_STEPS.join(", ")})`,
                }),
        )
        .refine((list) => new Set(list.map((e) => e.split("=")[0])).size === list.length, { error: "lists a version more than once" })
        .default([]),
    installerBaseUrl: z
        .string()
        .default("https://get.openvidu.io/pro/ha")
        .refine((v) => !/\s/.test(v), { error: "must not contain whitespace", abort: true })
        .refine((v) => v.startsWith("https://"), { error: "must be an https:// URL (the installer is never fetched over plain http)" })
        .refine((v) => URL.canParse(v), { error: "is not a valid URL", abort: true })
        .refine((v) => new URL(v).username === "" && new URL(v).password === "", {
            error: "must not carry credentials: the URL appears in plain command strings and logs",
        })
        .refine((v) => !/[?#]/.test(v), {
            error: "must not carry a query string or fragment: the URL appears in plain command strings and logs",
        })
        .refine((v) => decodedUrl(v) !== undefined, { error: "has a malformed percent-encoding", abort: true })
        // Decoded first: a server may serve %6Catest as latest.
        .refine((v) => !/\blatest\b/i.test(decodedUrl(v)!), { error: "must not point at 'latest': the version is pinned by openviduVersion" })
        .transform((v) => v.replace(/\/+$/, "")),
    installerSha256Master: sha256Hex.transform(lower).optional(),
    installerSha256Media: sha256Hex.transform(lower).optional(),
    dnsProvider: oneOf(["cloudflare", "route53", "none"]).default("cloudflare"),
    cloudflareZoneId: z
        .string()
        .regex(/^[0-9a-f]{32}$/, { error: "must be a Cloudflare zone id: 32 lowercase hexadecimal characters" })
        .optional(),
    dnsTtl: z
        .number()
        .int()
        .refine((v) => v === 1 || (v >= 60 && v <= 86400), {
            error: "must be 1 (automatic) or between 60 and 86400 seconds (Cloudflare's range)",
        })
        .default(60),
    // Default per target (validate.ts): AWS drains until the hook's ceiling, on-prem bounds `pulumi up`'s wait.
    drainTimeoutMinutes: integerIn(1, 2880).optional(),
    forceMediaNodePublicIp: z.boolean().default(false),
    // Each entry is checked on its own, so one malformed entry never hides a managed or repeated one.
    additionalInstallerFlags: z
        .array(
            z
                .string()
                .regex(EXTRA_FLAG_PATTERN, {
                    error: "must be one installer flag, '--name' or '--name=value' (value of letters, digits and , = _ . - only)",
                    abort: true,
                })
                .refine((entry) => !MANAGED_FLAGS.has(extraFlagName(entry)), {
                    error: (i) => `${extraFlagName(String(i.input))} is set by openvidu-ha itself (from its config keys); remove it here`,
                }),
        )
        .superRefine((entries, ctx) => {
            entries.forEach((entry, i) => {
                if (entries.slice(0, i).some((e) => extraFlagName(e) === extraFlagName(entry)) && !MANAGED_FLAGS.has(extraFlagName(entry))) {
                    ctx.addIssue({ code: "custom", path: [i], message: `${extraFlagName(entry)} is listed more than once` });
                }
            });
        })
        .default([]),
};

/** Reports a problem at a config path. */
export type Issue = (path: (string | number)[], message: string) => void;

/** Field values that passed their own checks; a field that failed (or is absent without default) is undefined. */
export type Checked<S extends z.ZodRawShape> = Partial<z.infer<z.ZodObject<S>>>;

/** Rules across common keys; `hasCloudflareToken` says whether the provider's own token is configured. */
export function checkCommon(v: Checked<typeof commonShape>, issue: Issue, given: (key: string) => boolean, hasCloudflareToken: boolean): void {
    const version = v.openviduVersion;
    const line = version === undefined ? undefined : releaseLineOf(version);
    if (version === undefined) {
        // Already reported by the field check.
    } else if (version === "latest") {
        issue(["openviduVersion"], `'latest' is not allowed: pin a version (supported: ${SUPPORTED_LINES_TEXT})`);
    } else if (!line) {
        issue(["openviduVersion"], `'${version}' is not in a supported release line (supported: ${SUPPORTED_LINES_TEXT})`);
    }
    if (line && v.modules) {
        v.modules.forEach((m, i) => {
            if (!line.modules.includes(m)) {
                issue(["modules", i], `unknown module '${m}' for the ${line.id}.x line (known: ${line.modules.join(", ")})`);
            }
        });
        if (new Set(v.modules).size !== v.modules.length) {
            issue(["modules"], "lists a module more than once");
        }
    }
    if (line) {
        for (const k of CREDENTIAL_KEYS) {
            if (v[k] !== undefined && !line.credentials.includes(k)) {
                issue([k], `is not used by the ${line.id}.x line (openviduVersion is ${version})`);
            }
        }
    }
    if (line && v.forceMediaNodePublicIp && !supportsMediaPublicIp(line)) {
        issue(
            ["forceMediaNodePublicIp"],
            `is not supported by the ${line.id}.x line: its documents have no --force-media-node-public-ip (openviduVersion is ${version})`,
        );
    }
    if (v.turnDomain !== undefined && v.turnDomain === v.domain) {
        issue(["turnDomain"], "must differ from domain");
    }
    if (v.dnsProvider === "cloudflare") {
        if (!given("cloudflareZoneId")) {
            issue(["cloudflareZoneId"], "is required when dnsProvider is cloudflare (or set dnsProvider to none)");
        }
        if (!hasCloudflareToken) {
            issue(
                ["cloudflare:apiToken"],
                "is required when dnsProvider is cloudflare: pulumi config set --secret cloudflare:apiToken <token> (or set CLOUDFLARE_API_TOKEN)",
            );
        }
    }
}
