// Fakes of the AWS services the AWS boot scripts call, for test hosts:
// - instance metadata (IMDSv2) per instance, plain HTTP on the bridge (hosts reach it as 169.254.169.254:80 through
//   a DNAT rule in their own netns, see aws-lab.ts): a token PUT with a TTL header, then GETs with the token; a GET
//   without a valid token is refused (401, as with httpTokens: required); the role's temporary credentials, which
//   the test can expire (the old key is then refused with ExpiredToken, IMDS hands out new ones);
// - S3 (virtual-hosted GetObject/PutObject, and ListObjectsV2 with prefix, start-after, max-keys and continuation
//   tokens; pages of up to listPageSize keys), Secrets Manager (GetSecretValue, JSON 1.1) and Auto Scaling (query API:
//   DescribeAutoScalingInstances, SetInstanceHealth, RecordLifecycleActionHeartbeat, CompleteLifecycleAction) on one
//   HTTPS server, told apart by Host. Every request's SigV4 signature is verified (sigv4-check.ts) and the caller's
//   role policy evaluated (the program's own policy documents); refusals use each service's status and error code.
// Not emulated: anything else of those APIs (ListObjectsV2's delimiter and encoding-type, ListObjects v1), IMDS hop
// limits, S3 versions, KMS.
import * as crypto from "crypto";
import * as http from "http";
import * as https from "https";
import { AddressInfo } from "net";
import { PolicyDocument } from "../../../components/aws/plan/iam-policies";
import { iamDecision } from "../../unit/aws/iam-evaluation";
import { checkSignature, IssuedCredentials, Refusal } from "./sigv4-check";

export interface FakeInstanceSpec {
    instanceId: string;
    privateIp: string;
    publicIp: string;
    roleName: string;
    /** the role's identity policy (statements of all its policies) */
    policy: PolicyDocument;
    /** the Auto Scaling group the instance belongs to (media nodes) */
    autoScalingGroup?: { name: string; arn: string; lifecycleHook: string };
}

export interface ImdsRequest {
    method: string;
    path: string;
    status: number;
    withToken: boolean;
}

export interface ApiRequest {
    service: "s3" | "secretsmanager" | "autoscaling" | "unknown";
    /** s3:GetObject, secretsmanager:GetSecretValue, autoscaling:SetInstanceHealth, ... */
    action: string;
    resource: string;
    accessKeyId?: string;
    instanceId?: string;
    status: number;
    /** AWS error code of a refusal */
    code?: string;
    params?: Record<string, string>;
    /** the keys a ListObjectsV2 page returned */
    listed?: string[];
    /** when the request was answered (Date.now()) */
    at?: number;
}

const newKey = () => "ASIA" + crypto.randomBytes(10).toString("hex").toUpperCase().slice(0, 16);

export class FakeInstance {
    readonly imdsRequests: ImdsRequest[] = [];
    /** every credential set IMDS handed out, oldest first; the last is current */
    readonly issued: IssuedCredentials[] = [];
    /** every IMDSv2 session token handed out (secrets: they unlock the role's credentials) */
    readonly imdsTokens: string[] = [];
    /** what IMDS autoscaling/target-lifecycle-state answers */
    targetLifecycleState = "InService";
    /** Auto Scaling's view: InService, Terminating:Wait, Terminating:Proceed */
    lifecycleState = "InService";
    health = "HEALTHY";
    private readonly tokens = new Map<string, number>();
    server?: http.Server;
    imdsPort = 0;

    constructor(readonly spec: FakeInstanceSpec) {
        this.issue();
    }

    get credentials(): IssuedCredentials {
        return this.issued[this.issued.length - 1];
    }

    private issue(): void {
        this.issued.push({
            accessKeyId: newKey(),
            secretAccessKey: crypto.randomBytes(30).toString("base64"),
            sessionToken: crypto.randomBytes(90).toString("base64"),
            valid: true,
        });
    }

    /** The current credentials expire: AWS refuses them from now on and IMDS hands out new ones. */
    expireCredentials(): void {
        this.credentials.valid = false;
        this.issue();
    }

    handleImds(req: http.IncomingMessage, res: http.ServerResponse): void {
        const path = (req.url ?? "").split("?")[0];
        const answer = (status: number, body = "") => {
            this.imdsRequests.push({ method: req.method ?? "", path, status, withToken: req.headers["x-aws-ec2-metadata-token"] !== undefined });
            res.writeHead(status, { "Content-Type": "text/plain", "Content-Length": Buffer.byteLength(body) });
            res.end(body);
        };
        if (req.headers["x-forwarded-for"] !== undefined) return answer(403);
        if (path === "/latest/api/token") {
            if (req.method !== "PUT") return answer(405);
            const ttl = Number(req.headers["x-aws-ec2-metadata-token-ttl-seconds"]);
            if (!Number.isInteger(ttl) || ttl < 1 || ttl > 21600) return answer(400);
            const token = crypto.randomBytes(32).toString("base64");
            this.tokens.set(token, Date.now() + ttl * 1000);
            this.imdsTokens.push(token);
            return answer(200, token);
        }
        const token = req.headers["x-aws-ec2-metadata-token"];
        const expires = typeof token === "string" ? this.tokens.get(token) : undefined;
        if (expires === undefined || expires < Date.now()) return answer(401);
        if (req.method !== "GET") return answer(405);
        const md = path.replace(/^\/latest\/meta-data\//, "");
        const c = this.credentials;
        const values: Record<string, string | undefined> = {
            "instance-id": this.spec.instanceId,
            "local-ipv4": this.spec.privateIp,
            "public-ipv4": this.spec.publicIp,
            "placement/region": REGION,
            "placement/availability-zone": `${REGION}a`,
            "iam/security-credentials/": this.spec.roleName,
            [`iam/security-credentials/${this.spec.roleName}`]: JSON.stringify({
                Code: "Success",
                LastUpdated: new Date().toISOString(),
                Type: "AWS-HMAC",
                AccessKeyId: c.accessKeyId,
                SecretAccessKey: c.secretAccessKey,
                Token: c.sessionToken,
                Expiration: new Date(Date.now() + 3600_000).toISOString(),
            }),
            "autoscaling/target-lifecycle-state": this.spec.autoScalingGroup ? this.targetLifecycleState : undefined,
        };
        const value = path.startsWith("/latest/meta-data/") ? values[md] : undefined;
        return value === undefined ? answer(404) : answer(200, value);
    }
}

export const REGION = "eu-west-1";
const AS_NS = "http://autoscaling.amazonaws.com/doc/2011-01-01/";

/** How each service reports a refusal (status, error code), per the services' error references. */
const REFUSALS: Record<Refusal | "accessDenied", Record<"s3" | "secretsmanager" | "autoscaling", [number, string]>> = {
    missingAuth: { s3: [403, "AccessDenied"], secretsmanager: [400, "MissingAuthenticationTokenException"], autoscaling: [403, "MissingAuthenticationToken"] },
    unknownKey: { s3: [403, "InvalidAccessKeyId"], secretsmanager: [400, "UnrecognizedClientException"], autoscaling: [403, "InvalidClientTokenId"] },
    badToken: { s3: [400, "InvalidToken"], secretsmanager: [400, "UnrecognizedClientException"], autoscaling: [403, "InvalidClientTokenId"] },
    expiredToken: { s3: [400, "ExpiredToken"], secretsmanager: [400, "ExpiredTokenException"], autoscaling: [400, "ExpiredToken"] },
    wrongRegion: { s3: [400, "AuthorizationHeaderMalformed"], secretsmanager: [400, "InvalidSignatureException"], autoscaling: [403, "SignatureDoesNotMatch"] },
    wrongService: {
        s3: [400, "AuthorizationHeaderMalformed"],
        secretsmanager: [400, "InvalidSignatureException"],
        autoscaling: [403, "SignatureDoesNotMatch"],
    },
    skewed: { s3: [403, "RequestTimeTooSkewed"], secretsmanager: [400, "InvalidSignatureException"], autoscaling: [403, "SignatureDoesNotMatch"] },
    badSignature: { s3: [403, "SignatureDoesNotMatch"], secretsmanager: [400, "InvalidSignatureException"], autoscaling: [403, "SignatureDoesNotMatch"] },
    accessDenied: { s3: [403, "AccessDenied"], secretsmanager: [400, "AccessDeniedException"], autoscaling: [403, "AccessDenied"] },
};

const xmlEscape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

interface StoredSecret {
    arn: string;
    name: string;
    versions: Map<string, string>;
    current: string;
}

/** FakeAws.save(): contents are copied map by map (stored Buffers are never changed in place, only replaced). */
export interface SavedAws {
    objects: Map<string, Map<string, Buffer>>;
    secrets: StoredSecret[];
    instances: Map<string, { target: string; state: string; health: string }>;
}

export class FakeAws {
    readonly instances: FakeInstance[] = [];
    readonly requests: ApiRequest[] = [];
    /** bucket -> key -> content */
    readonly objects = new Map<string, Map<string, Buffer>>();
    /** most keys a ListObjectsV2 page returns (S3: 1000; lower it to make a listing take several pages) */
    listPageSize = 1000;
    /** continuation tokens handed out -> the last key of their page (opaque to clients, as S3's) */
    private readonly listTokens = new Map<string, string>();
    private readonly secrets: StoredSecret[] = [];
    /** called after each API request is answered (tests use it to expire credentials mid-boot) */
    onRequest?: (r: ApiRequest) => void;
    private api?: https.Server;
    apiPort = 0;

    constructor(
        private readonly address: string,
        private readonly tls: { cert: Buffer; key: Buffer },
    ) {}

    async start(): Promise<void> {
        this.api = https.createServer(this.tls, (req, res) => {
            const chunks: Buffer[] = [];
            req.on("data", (c: Buffer) => chunks.push(c));
            req.on("end", () => {
                this.handleApi(req, Buffer.concat(chunks)).then(
                    ({ status, type, body }) => {
                        res.writeHead(status, { "Content-Type": type, "Content-Length": Buffer.byteLength(body) });
                        res.end(body);
                    },
                    (e) => {
                        res.writeHead(500);
                        res.end(String(e));
                    },
                );
            });
        });
        this.apiPort = await listen(this.api, this.address);
    }

    async addInstance(spec: FakeInstanceSpec): Promise<FakeInstance> {
        const inst = new FakeInstance(spec);
        inst.server = http.createServer((req, res) => inst.handleImds(req, res));
        inst.imdsPort = await listen(inst.server, this.address);
        this.instances.push(inst);
        return inst;
    }

    instance(id: string): FakeInstance {
        const i = this.instances.find((x) => x.spec.instanceId === id);
        if (!i) throw new Error(`no fake instance ${id}`);
        return i;
    }

    putObject(bucket: string, key: string, content: string | Buffer): void {
        if (!this.objects.has(bucket)) this.objects.set(bucket, new Map());
        this.objects.get(bucket)!.set(key, Buffer.from(content));
    }

    /** Stores a new version of a secret (created on first use); returns its version id. */
    putSecret(arn: string, value: string): string {
        let s = this.secrets.find((x) => x.arn === arn);
        if (!s) {
            s = { arn, name: arn.split(":secret:")[1].replace(/-[A-Za-z0-9]{6}$/, ""), versions: new Map(), current: "" };
            this.secrets.push(s);
        }
        const id = crypto.randomUUID();
        s.versions.set(id, value);
        s.current = id;
        return id;
    }

    /**
     * What the fake AWS holds, to put back with the hosts' disks (test/hosts/stages.ts): S3 objects, secret versions
     * and each instance's Auto Scaling state. Not the logs (requests, IMDS calls) nor the credentials handed out.
     */
    save(): SavedAws {
        return {
            objects: new Map([...this.objects].map(([bucket, keys]) => [bucket, new Map(keys)])),
            secrets: this.secrets.map((s) => ({ ...s, versions: new Map(s.versions) })),
            instances: new Map(this.instances.map((i) => [i.spec.instanceId, { target: i.targetLifecycleState, state: i.lifecycleState, health: i.health }])),
        };
    }

    /** Puts back what `save` returned (an instance added since keeps its state). */
    restore(saved: SavedAws): void {
        this.objects.clear();
        for (const [bucket, keys] of saved.objects) this.objects.set(bucket, new Map(keys));
        this.secrets.splice(0, this.secrets.length, ...saved.secrets.map((s) => ({ ...s, versions: new Map(s.versions) })));
        for (const i of this.instances) {
            const s = saved.instances.get(i.spec.instanceId);
            if (s) [i.targetLifecycleState, i.lifecycleState, i.health] = [s.target, s.state, s.health];
        }
    }

    /** The group starts terminating the instance: the terminate hook holds it (Terminating:Wait). */
    terminate(id: string): void {
        const i = this.instance(id);
        i.lifecycleState = "Terminating:Wait";
        i.targetLifecycleState = "Terminated";
    }

    async close(): Promise<void> {
        const servers = [this.api, ...this.instances.map((i) => i.server)].filter((s): s is http.Server => s !== undefined);
        await Promise.all(
            servers.map(
                (s) =>
                    new Promise<void>((r) => {
                        s.closeAllConnections();
                        s.close(() => r());
                    }),
            ),
        );
    }

    private async handleApi(req: http.IncomingMessage, body: Buffer): Promise<{ status: number; type: string; body: string }> {
        const host = (req.headers.host ?? "").replace(/:443$/, "");
        const s3 = new RegExp(`^([a-z0-9.-]+)\\.s3\\.${REGION}\\.amazonaws\\.com$`).exec(host);
        const service = s3
            ? "s3"
            : host === `secretsmanager.${REGION}.amazonaws.com`
              ? "secretsmanager"
              : host === `autoscaling.${REGION}.amazonaws.com`
                ? "autoscaling"
                : undefined;
        if (!service) {
            this.record({ service: "unknown", action: "", resource: host, status: 404 });
            return { status: 404, type: "text/plain", body: "no such endpoint" };
        }
        const url = req.url ?? "/";
        const target = String(req.headers["x-amz-target"] ?? "");
        const form = service === "autoscaling" ? Object.fromEntries(new URLSearchParams(body.toString("utf8"))) : {};
        const action =
            service === "s3"
                ? req.method === "PUT"
                    ? "s3:PutObject"
                    : url.split("?")[0] === "/"
                      ? "s3:ListBucket"
                      : "s3:GetObject"
                : service === "secretsmanager"
                  ? `secretsmanager:${target.replace(/^secretsmanager\./, "")}`
                  : `autoscaling:${form.Action ?? ""}`;
        const entry: ApiRequest = { service, action, resource: "", status: 200, params: service === "autoscaling" ? form : undefined };
        const check = await checkSignature({ method: req.method ?? "GET", host, url, headers: req.headers, body }, { region: REGION, service }, (key) =>
            this.instances.flatMap((i) => i.issued).find((c) => c.accessKeyId === key),
        );
        entry.accessKeyId = check.accessKeyId;
        const caller = this.instances.find((i) => i.issued.some((c) => c.accessKeyId === check.accessKeyId));
        entry.instanceId = caller?.spec.instanceId;
        const refuse = (kind: Refusal | "accessDenied", message: string) => {
            const [status, code] = REFUSALS[kind][service];
            return this.reply(entry, status, code, message);
        };
        if (!check.ok) return refuse(check.refusal!, check.message ?? "");
        const allowed = (resource: string) => iamDecision(caller!.spec.policy, action, resource) === "allow";
        if (s3) {
            const bucket = s3[1];
            if (entry.action === "s3:ListBucket") return this.listObjects(entry, bucket, new URLSearchParams(url.split("?")[1] ?? ""), allowed, refuse);
            const key = decodeURIComponent(url.split("?")[0].slice(1));
            entry.resource = `arn:aws:s3:::${bucket}/${key}`;
            if (!allowed(entry.resource)) return refuse("accessDenied", "Access Denied");
            if (req.method === "PUT") {
                this.putObject(bucket, key, body);
                return this.reply(entry, 200, undefined, "");
            }
            const object = this.objects.get(bucket)?.get(key);
            if (!object) {
                // Without s3:ListBucket S3 does not say whether the key exists.
                return iamDecision(caller!.spec.policy, "s3:ListBucket", `arn:aws:s3:::${bucket}`) === "allow"
                    ? this.reply(entry, 404, "NoSuchKey", "The specified key does not exist.")
                    : refuse("accessDenied", "Access Denied");
            }
            return this.reply(entry, 200, undefined, object.toString("utf8"), "binary/octet-stream");
        }
        if (service === "secretsmanager") return this.secretsManager(entry, body, allowed, refuse);
        return this.autoScaling(entry, form, allowed, refuse);
    }

    /**
     * ListObjectsV2 (GET /?list-type=2 on the bucket's host; IAM action s3:ListBucket on the bucket's ARN): keys in
     * UTF-8 binary order after start-after or the continuation token's last key, under the prefix, at most
     * min(max-keys, listPageSize) per page, IsTruncated with a NextContinuationToken while more remain.
     * https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
     */
    private listObjects(
        entry: ApiRequest,
        bucket: string,
        query: URLSearchParams,
        allowed: (r: string) => boolean,
        refuse: (k: "accessDenied", m: string) => { status: number; type: string; body: string },
    ) {
        entry.resource = `arn:aws:s3:::${bucket}`;
        entry.params = Object.fromEntries(query);
        if (!allowed(entry.resource)) return refuse("accessDenied", "Access Denied");
        if (query.get("list-type") !== "2" || query.has("delimiter") || query.has("encoding-type")) {
            return this.reply(entry, 501, "NotImplemented", "the fake S3 emulates ListObjectsV2 without delimiter and encoding-type only");
        }
        const maxKeys = query.has("max-keys") ? Number(query.get("max-keys")) : 1000;
        if (!Number.isInteger(maxKeys) || maxKeys < 0)
            return this.reply(entry, 400, "InvalidArgument", "Provided max-keys not an integer or within integer range");
        const token = query.get("continuation-token");
        const after = token !== null ? this.listTokens.get(token) : (query.get("start-after") ?? "");
        if (after === undefined) return this.reply(entry, 400, "InvalidArgument", "The continuation token provided is incorrect");
        const prefix = query.get("prefix") ?? "";
        const utf8 = (a: string, b: string) => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
        const stored = this.objects.get(bucket) ?? new Map<string, Buffer>();
        const keys = [...stored.keys()].filter((k) => k.startsWith(prefix) && utf8(k, after) > 0).sort(utf8);
        const page = keys.slice(0, Math.min(maxKeys, this.listPageSize));
        const truncated = page.length < keys.length;
        let next = "";
        if (truncated) {
            next = crypto.randomBytes(33).toString("base64");
            this.listTokens.set(next, page[page.length - 1]);
        }
        entry.listed = page;
        const element = (name: string, value: string | number) => `<${name}>${xmlEscape(String(value))}</${name}>`;
        const contents = page.map((key) => {
            const content = stored.get(key)!;
            const etag = `"${crypto.createHash("md5").update(content).digest("hex")}"`;
            return `<Contents>${element("Key", key)}${element("LastModified", new Date().toISOString())}${element("ETag", etag)}${element("Size", content.length)}${element("StorageClass", "STANDARD")}</Contents>`;
        });
        const body =
            `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` +
            element("Name", bucket) +
            element("Prefix", prefix) +
            (query.has("start-after") ? element("StartAfter", query.get("start-after")!) : "") +
            element("KeyCount", page.length) +
            element("MaxKeys", maxKeys) +
            (token !== null ? element("ContinuationToken", token) : "") +
            (truncated ? element("NextContinuationToken", next) : "") +
            element("IsTruncated", String(truncated)) +
            contents.join("") +
            "</ListBucketResult>";
        return this.reply(entry, 200, undefined, body, "application/xml");
    }

    private secretsManager(
        entry: ApiRequest,
        body: Buffer,
        allowed: (r: string) => boolean,
        refuse: (k: "accessDenied", m: string) => { status: number; type: string; body: string },
    ) {
        if (entry.action !== "secretsmanager:GetSecretValue") return this.reply(entry, 400, "UnknownOperationException", "");
        const input = JSON.parse(body.toString("utf8")) as { SecretId: string; VersionId?: string };
        const secret = this.secrets.find((s) => s.arn === input.SecretId || s.name === input.SecretId);
        entry.resource = secret?.arn ?? input.SecretId;
        if (!allowed(entry.resource))
            return refuse("accessDenied", `User is not authorized to perform: secretsmanager:GetSecretValue on resource: ${input.SecretId}`);
        const versionId = input.VersionId ?? secret?.current;
        const value = versionId !== undefined ? secret?.versions.get(versionId) : undefined;
        if (!secret || value === undefined) return this.reply(entry, 400, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
        return this.reply(
            entry,
            200,
            undefined,
            JSON.stringify({
                ARN: secret.arn,
                Name: secret.name,
                VersionId: versionId,
                SecretString: value,
                VersionStages: versionId === secret.current ? ["AWSCURRENT"] : [],
                CreatedDate: Date.now() / 1000,
            }),
        );
    }

    private autoScaling(
        entry: ApiRequest,
        form: Record<string, string>,
        allowed: (r: string) => boolean,
        refuse: (k: "accessDenied", m: string) => { status: number; type: string; body: string },
    ) {
        const name = form.Action;
        const xml = (inner: string) =>
            `<${name}Response xmlns="${AS_NS}">${inner}<ResponseMetadata><RequestId>${crypto.randomUUID()}</RequestId></ResponseMetadata></${name}Response>`;
        if (form.Version !== "2011-01-01") return this.reply(entry, 400, "InvalidParameterValue", "Version");
        if (name === "DescribeAutoScalingInstances") {
            entry.resource = "*";
            if (!allowed("*")) return refuse("accessDenied", "not authorized");
            const ids = Object.entries(form)
                .filter(([k]) => /^InstanceIds\.member\.\d+$/.test(k))
                .map(([, v]) => v);
            const members = this.instances
                .filter((i) => ids.includes(i.spec.instanceId) && i.spec.autoScalingGroup)
                .map(
                    (i) =>
                        `<member><InstanceId>${i.spec.instanceId}</InstanceId><AutoScalingGroupName>${xmlEscape(i.spec.autoScalingGroup!.name)}</AutoScalingGroupName>` +
                        `<LifecycleState>${i.lifecycleState}</LifecycleState><HealthStatus>${i.health}</HealthStatus></member>`,
                )
                .join("");
            return this.reply(
                entry,
                200,
                undefined,
                xml(`<DescribeAutoScalingInstancesResult><AutoScalingInstances>${members}</AutoScalingInstances></DescribeAutoScalingInstancesResult>`),
                "text/xml",
            );
        }
        const target = this.instances.find((i) => i.spec.instanceId === form.InstanceId);
        const group = target?.spec.autoScalingGroup;
        if (!target || !group)
            return this.reply(entry, 400, "ValidationError", `Instance Id not found - No managed instance found for instance ID: ${form.InstanceId}`);
        entry.resource = group.arn;
        if (!allowed(group.arn)) return refuse("accessDenied", `not authorized to perform: autoscaling:${name}`);
        if (name === "SetInstanceHealth") {
            if (!["Healthy", "Unhealthy"].includes(form.HealthStatus)) return this.reply(entry, 400, "ValidationError", "HealthStatus");
            target.health = form.HealthStatus.toUpperCase();
            return this.reply(entry, 200, undefined, xml(""), "text/xml");
        }
        if (name === "RecordLifecycleActionHeartbeat" || name === "CompleteLifecycleAction") {
            if (form.AutoScalingGroupName !== group.name || form.LifecycleHookName !== group.lifecycleHook || target.lifecycleState !== "Terminating:Wait") {
                return this.reply(entry, 400, "ValidationError", `No active Lifecycle Action found with instance ID ${form.InstanceId}`);
            }
            if (name === "CompleteLifecycleAction") {
                if (!["CONTINUE", "ABANDON"].includes(form.LifecycleActionResult)) return this.reply(entry, 400, "ValidationError", "LifecycleActionResult");
                target.lifecycleState = "Terminating:Proceed";
            }
            return this.reply(entry, 200, undefined, xml(`<${name}Result/>`), "text/xml");
        }
        return this.reply(entry, 400, "InvalidAction", `Could not find operation ${name}`);
    }

    private reply(entry: ApiRequest, status: number, code: string | undefined, payload: string, okType = "application/x-amz-json-1.1") {
        entry.status = status;
        entry.code = code;
        this.record(entry);
        if (status === 200) return { status, type: okType, body: payload };
        const id = crypto.randomUUID();
        if (entry.service === "s3") {
            return {
                status,
                type: "application/xml",
                body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xmlEscape(payload)}</Message><RequestId>${id}</RequestId></Error>`,
            };
        }
        if (entry.service === "secretsmanager") return { status, type: "application/x-amz-json-1.1", body: JSON.stringify({ __type: code, message: payload }) };
        return {
            status,
            type: "text/xml",
            body: `<ErrorResponse xmlns="${AS_NS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${xmlEscape(payload)}</Message></Error><RequestId>${id}</RequestId></ErrorResponse>`,
        };
    }

    private record(entry: ApiRequest): void {
        entry.at = Date.now();
        this.requests.push(entry);
        this.onRequest?.(entry);
    }
}

function listen(server: http.Server, address: string): Promise<number> {
    return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, address, () => resolve((server.address() as AddressInfo).port));
    });
}
