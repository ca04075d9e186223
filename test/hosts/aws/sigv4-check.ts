// Verifies a request's AWS Signature Version 4 (Authorization header form) the way AWS does: the credential scope
// must name the endpoint's region and service and the request's date, the date must be within 15 minutes, the
// access key and session token must be ones IMDS handed out and not expired, and the signature recomputed by AWS's
// own signer (@smithy/signature-v4, the SDK's) over the headers the client declared signed must equal the client's.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-troubleshooting.html
import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";

export type Refusal = "missingAuth" | "unknownKey" | "badToken" | "expiredToken" | "wrongRegion" | "wrongService" | "skewed" | "badSignature";

export interface IssuedCredentials {
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken: string;
    /** false once the credentials expired: requests signed with them are refused with ExpiredToken */
    valid: boolean;
}

export interface IncomingRequest {
    method: string;
    /** the Host header, as the client sent and signed it */
    host: string;
    /** path and query as received, e.g. /openvidu-ha/boot/x.sh?versionId=1 */
    url: string;
    headers: Record<string, string | string[] | undefined>;
    body: Buffer;
}

export interface SignatureCheck {
    ok: boolean;
    refusal?: Refusal;
    message?: string;
    /** the access key that signed, when the header could be parsed */
    accessKeyId?: string;
}

const AUTH = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;
const MAX_SKEW_MS = 15 * 60 * 1000;

function header(h: IncomingRequest["headers"], name: string): string | undefined {
    const v = h[name];
    return Array.isArray(v) ? v.join(",") : v;
}

function amzDate(value: string): Date | undefined {
    const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
    return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6])) : undefined;
}

export async function checkSignature(
    req: IncomingRequest,
    expect: { region: string; service: string },
    lookup: (accessKeyId: string) => IssuedCredentials | undefined,
    now = new Date(),
): Promise<SignatureCheck> {
    const authorization = header(req.headers, "authorization");
    if (!authorization) return { ok: false, refusal: "missingAuth", message: "Request is missing Authentication Token" };
    const m = AUTH.exec(authorization);
    if (!m) return { ok: false, refusal: "badSignature", message: "Authorization header is malformed" };
    const [, accessKeyId, scopeDate, region, service, signedList, signature] = m;
    const creds = lookup(accessKeyId);
    if (!creds) return { ok: false, refusal: "unknownKey", accessKeyId, message: "The security token included in the request is invalid." };
    if (header(req.headers, "x-amz-security-token") !== creds.sessionToken) {
        return { ok: false, refusal: "badToken", accessKeyId, message: "The security token included in the request is invalid." };
    }
    if (!creds.valid) return { ok: false, refusal: "expiredToken", accessKeyId, message: "The security token included in the request is expired" };
    if (region !== expect.region) {
        return {
            ok: false,
            refusal: "wrongRegion",
            accessKeyId,
            message: `Credential should be scoped to a valid region. the region '${region}' is wrong; expecting '${expect.region}'`,
        };
    }
    if (service !== expect.service) {
        return { ok: false, refusal: "wrongService", accessKeyId, message: `Credential should be scoped to correct service: '${expect.service}'.` };
    }
    const date = amzDate(header(req.headers, "x-amz-date") ?? "");
    if (!date || scopeDate !== (header(req.headers, "x-amz-date") ?? "").slice(0, 8)) {
        return {
            ok: false,
            refusal: "badSignature",
            accessKeyId,
            message: "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP",
        };
    }
    if (Math.abs(now.getTime() - date.getTime()) > MAX_SKEW_MS) {
        return {
            ok: false,
            refusal: "skewed",
            accessKeyId,
            message: "Signature expired: the difference between the request time and the current time is too large.",
        };
    }
    const signed = signedList.split(";");
    const headers: Record<string, string> = {};
    for (const name of signed) {
        const value = name === "host" ? req.host : header(req.headers, name);
        if (value === undefined) return { ok: false, refusal: "badSignature", accessKeyId, message: `signed header ${name} is missing` };
        headers[name] = value;
    }
    const parsed = new URL(req.url, "https://placeholder");
    const query: Record<string, string | string[]> = {};
    for (const [k, v] of parsed.searchParams) {
        const prev = query[k];
        query[k] = prev === undefined ? v : [...(Array.isArray(prev) ? prev : [prev]), v];
    }
    const signer = new SignatureV4({
        credentials: {
            accessKeyId,
            secretAccessKey: creds.secretAccessKey,
            // Only when the client signed it: otherwise the signer would add it to the canonical headers.
            sessionToken: signed.includes("x-amz-security-token") ? creds.sessionToken : undefined,
        },
        region: expect.region,
        service: expect.service,
        sha256: Sha256,
        uriEscapePath: expect.service !== "s3",
        applyChecksum: false,
    });
    const resigned = await signer.sign(
        {
            method: req.method,
            protocol: "https:",
            hostname: req.host, // S3 signs the path as sent; other services' canonical path is encoded by the signer.
            path: expect.service === "s3" ? parsed.pathname : decodeURIComponent(parsed.pathname),
            query,
            headers,
            body: req.body.length > 0 ? req.body : undefined,
        },
        { signingDate: date, signableHeaders: new Set(signed) },
    );
    const expected = /Signature=([0-9a-f]{64})$/.exec(String(resigned.headers.authorization))?.[1];
    if (expected !== signature) {
        return { ok: false, refusal: "badSignature", accessKeyId, message: "The request signature we calculated does not match the signature you provided." };
    }
    return { ok: true, accessKeyId };
}
