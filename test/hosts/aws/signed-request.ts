// A request to the API fake signed in this process by AWS's signer (@smithy/signature-v4), with chosen date, region
// or secret key: to show the fake refuses what curl on a host cannot produce (a date off by minutes).
import * as fs from "fs";
import * as https from "https";
import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";
import { BOOT_PREFIX } from "../../../components/aws/plan/user-data";
import { AwsLab, CLUSTER_BUCKET } from "./aws-lab";
import { REGION } from "./fake-aws";
import { IssuedCredentials } from "./sigv4-check";

/** Resolves to [status, AWS error code or undefined]. */
export async function signedRequest(
    lab: AwsLab,
    service: string,
    creds: IssuedCredentials,
    opts: { date?: Date; region?: string; secret?: string },
): Promise<[number, string | undefined]> {
    const host = service === "s3" ? `${CLUSTER_BUCKET}.s3.${REGION}.amazonaws.com` : `${service}.${REGION}.amazonaws.com`;
    const calls: Record<string, { method: string; path: string; headers: Record<string, string>; body: string }> = {
        s3: { method: "GET", path: `/${BOOT_PREFIX}/aws-api.sh`, headers: { "x-amz-content-sha256": "UNSIGNED-PAYLOAD" }, body: "" },
        secretsmanager: {
            method: "POST",
            path: "/",
            body: JSON.stringify({ SecretId: lab.mediaSecretArn }),
            headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "secretsmanager.GetSecretValue" },
        },
        autoscaling: {
            method: "POST",
            path: "/",
            body: "Action=DescribeAutoScalingInstances&Version=2011-01-01",
            headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
        },
    };
    const call = calls[service];
    const signer = new SignatureV4({
        credentials: { accessKeyId: creds.accessKeyId, secretAccessKey: opts.secret ?? creds.secretAccessKey, sessionToken: creds.sessionToken },
        region: opts.region ?? REGION,
        service,
        sha256: Sha256,
        uriEscapePath: service !== "s3",
    });
    const signed = await signer.sign(
        {
            method: call.method,
            protocol: "https:",
            hostname: host,
            path: call.path,
            query: {},
            headers: { host, ...call.headers },
            body: call.body || undefined,
        },
        { signingDate: opts.date ?? new Date() },
    );
    const body = await new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = https.request(
            {
                host: lab.hosts.bridge.address,
                port: lab.aws.apiPort,
                servername: host,
                method: call.method,
                path: call.path,
                headers: signed.headers,
                ca: fs.readFileSync(lab.hosts.ca.certPath),
            },
            (res) => {
                let text = "";
                res.on("data", (c) => (text += c));
                res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
            },
        );
        req.on("error", reject);
        req.end(call.body);
    });
    const code = /<Code>([^<]+)<\/Code>/.exec(body.text)?.[1] ?? (body.status === 200 ? undefined : (JSON.parse(body.text) as { __type: string }).__type);
    return [body.status, code];
}
