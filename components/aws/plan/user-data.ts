/**
 * Boot scripts and user data of AWS nodes. The user data is tiny and holds nothing secret: it writes the node's
 * non-secret settings to /etc/openvidu-ha/boot.env, fetches the role's boot scripts from the cluster-data bucket
 * with the instance role (a SigV4-signed curl, so no AWS CLI is needed), checks each against the SHA-256 this user
 * data carries (no node can write the boot prefix, and a stale or tampered object must never run as root) and
 * starts them as a oneshot service. The boot scripts are the AWS ones next to this file plus the node scripts both
 * targets share (components/host: install, start, health, drain).
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { NodeRole } from "../../core/types";
import { HostScript, scriptContent, shellQuote } from "../../host/host-scripts";

/** Key prefix of the boot scripts in the cluster-data bucket (no node may write under it). */
export const BOOT_PREFIX = "openvidu-ha/boot";

/**
 * Key of one boot file of one revision. Each revision has its own keys and old ones are kept, so a node launched
 * from an older launch template (during a pool roll, or a scale-out just before it) fetches the scripts its user
 * data names by SHA-256, never newer ones it would refuse.
 */
export function bootObjectKey(revision: string, name: string): string {
    return `${BOOT_PREFIX}/${revision}/${name}`;
}

const AWS_SCRIPT_DIR = path.join(__dirname, "..", "scripts");

/** The files each role fetches; the first runs the rest. */
export const BOOT_FILES: Record<NodeRole, readonly string[]> = {
    master: ["boot-master.sh", "aws-api.sh", "install.sh", "start.sh", "health.sh", "converge-watch.sh", "converge.sh"],
    media: ["boot-media.sh", "aws-api.sh", "lifecycle-watch.sh", "install.sh", "start.sh", "health.sh", "drain.sh"],
};

const SHARED = new Set(["install.sh", "start.sh", "health.sh", "drain.sh", "converge.sh"]);

export interface BootFile {
    name: string;
    content: string;
}

/** Every boot file of both roles, each once, in a stable order. */
export function bootFiles(): BootFile[] {
    const names = [...new Set([...BOOT_FILES.master, ...BOOT_FILES.media])].sort();
    return names.map((name) => {
        // Shared scripts as assembled for hosts (scriptContent inlines their helpers).
        const content = SHARED.has(name) ? scriptContent(name.replace(/\.sh$/, "") as HostScript) : fs.readFileSync(path.join(AWS_SCRIPT_DIR, name), "utf8");
        return { name, content };
    });
}

/** Short content hash of the boot files: changes whenever a script changes. */
export function bootRevision(files: readonly BootFile[]): string {
    const hash = crypto.createHash("sha256");
    for (const f of files) {
        hash.update(`${f.name}\n${f.content.length}\n${f.content}`);
    }
    return hash.digest("hex").slice(0, 16);
}

/** SHA-256 (hex) of each boot file, by name: what the user data checks the downloaded scripts against. */
export function bootDigests(files: readonly BootFile[]): Record<string, string> {
    return Object.fromEntries(files.map((f) => [f.name, crypto.createHash("sha256").update(f.content, "utf8").digest("hex")]));
}

/** Settings every node's boot.env carries. */
export interface BootLocation {
    region: string;
    /** DNS suffix of the partition's endpoints: amazonaws.com (amazonaws.com.cn in China). */
    dnsSuffix: string;
    /** Bucket holding the boot scripts (the cluster-data bucket). */
    bootBucket: string;
    /** ARN of the secret this role reads: the cluster secret for masters, the media secret for media nodes. */
    secretId: string;
    /** `bootDigests` of the boot files uploaded with this deployment; every file of the role must be listed. */
    bootDigests: Readonly<Record<string, string>>;
    /** `bootRevision` of those files: where they are in the bucket (`bootObjectKey`); a change makes new user data. */
    bootRevision: string;
}

export interface MasterBootInput extends BootLocation {
    /** master-1 .. master-4. */
    label: string;
    /** This master's data volume id. */
    dataVolumeId: string;
    appDataBucket: string;
    clusterDataBucket: string;
    healthTimeoutSeconds: number;
}

export interface MediaBootInput extends BootLocation {
    /** The secret version the pool installs from: a new version means a new launch template version. */
    secretVersionId: string;
    masterPrivateIps: readonly string[];
    masterWaitSeconds: number;
    healthTimeoutSeconds: number;
    lifecycleHookName: string;
    drainTimeoutSeconds: number;
    heartbeatSeconds: number;
    privateIpPlaceholder: string;
    /** Stands for the node's public IPv4 in the installer arguments (forceMediaNodePublicIp). */
    publicIpPlaceholder: string;
}

const SAFE_VALUE = /^[A-Za-z0-9._:/,@+=-]*$/;

function envFile(values: Record<string, string>): string {
    return Object.entries(values)
        .map(([key, value]) => {
            if (!SAFE_VALUE.test(value)) {
                throw new Error(`user data: ${key} has characters a boot setting may not contain: ${JSON.stringify(value)}`);
            }
            return `OPENVIDU_HA_${key}=${shellQuote(value)}`;
        })
        .join("\n");
}

function location(b: BootLocation): Record<string, string> {
    if (!/^[0-9a-f]{16}$/.test(b.bootRevision)) throw new Error(`user data: malformed boot revision ${JSON.stringify(b.bootRevision)}`);
    return { REGION: b.region, DNS_SUFFIX: b.dnsSuffix, BOOT_BUCKET: b.bootBucket, BOOT_PREFIX, BOOT_REVISION: b.bootRevision, SECRET_ID: b.secretId };
}

/** `sha256sum -c` lines for the role's files; throws when a digest is missing or malformed. */
function checksumLines(role: NodeRole, digests: Readonly<Record<string, string>>): string {
    return BOOT_FILES[role]
        .map((f) => {
            const digest = digests[f];
            if (digest === undefined || !/^[0-9a-f]{64}$/.test(digest)) {
                throw new Error(`user data: no SHA-256 for the boot file ${f}`);
            }
            return `${digest}  ${f}`;
        })
        .join("\n");
}

/**
 * What a node does when it cannot boot. A media node also marks itself unhealthy, as boot-media.sh does for later
 * failures, so its group replaces it instead of keeping a node that never serves; it signs that call itself (the
 * fetched helpers are what failed). A master only stops: it has no group, and its recovery alarms do not apply.
 */
function failFunction(role: NodeRole): string {
    if (role === "master") {
        return `fail() {
    echo "openvidu-ha boot: $1; not booting" >&2
    exit 1
}`;
    }
    return `fail() {
    echo "openvidu-ha boot: $1; not booting, marking the instance unhealthy so it is replaced" >&2
    id=$(imds instance-id) && creds | curl -fsS --retry 5 -K - --aws-sigv4 "aws:amz:$OPENVIDU_HA_REGION:autoscaling" -o /dev/null \\
        --data-binary "Action=SetInstanceHealth&Version=2011-01-01&InstanceId=$id&HealthStatus=Unhealthy&ShouldRespectGracePeriod=false" \\
        "https://autoscaling.$OPENVIDU_HA_REGION.$OPENVIDU_HA_DNS_SUFFIX/" || echo "openvidu-ha boot: could not mark the instance unhealthy" >&2
    exit 1
}`;
}

function userData(role: NodeRole, title: string, env: Record<string, string>, digests: Readonly<Record<string, string>>): string {
    const files = BOOT_FILES[role];
    return `#!/bin/sh
# openvidu-ha ${title} (user data): fetch this role's boot scripts from S3 with the instance role and run them.
# Nothing secret here: the node reads its role's secret from Secrets Manager at boot.
set -eu
umask 077
dir=/var/lib/openvidu-ha/boot
mkdir -p "$dir" /etc/openvidu-ha
cat > /etc/openvidu-ha/boot.env <<'OPENVIDU_HA_ENV'
${envFile(env)}
OPENVIDU_HA_ENV
# shellcheck source=/dev/null
. /etc/openvidu-ha/boot.env
# IMDSv2; the session token reaches curl on stdin (-K -), never its argument list (visible in ps).
imds() {
    t=$(curl -fsS --retry 10 --retry-connrefused -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 300' http://169.254.169.254/latest/api/token) || return 1
    printf 'header = "X-aws-ec2-metadata-token: %s"\\n' "$t" | curl -fsS --retry 10 --retry-connrefused -K - "http://169.254.169.254/latest/meta-data/$1"
}
# The role's credentials as curl config lines (read by curl -K -).
creds() {
    imds "iam/security-credentials/$role" |
        python3 -c 'import json,sys; c=json.load(sys.stdin); print("user = \\"%s:%s\\"\\nheader = \\"x-amz-security-token: %s\\"" % (c["AccessKeyId"], c["SecretAccessKey"], c["Token"]))'
}
${failFunction(role)}
n=0
until role=$(imds iam/security-credentials/); do
    n=$((n + 1))
    [ "$n" -lt 60 ] || fail "no instance role credentials"
    sleep 5
done
for f in ${files.join(" ")}; do
    creds | curl -fsS --retry 10 -K - --aws-sigv4 "aws:amz:$OPENVIDU_HA_REGION:s3" -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' -o "$dir/$f" \\
        "https://$OPENVIDU_HA_BOOT_BUCKET.s3.$OPENVIDU_HA_REGION.$OPENVIDU_HA_DNS_SUFFIX/$OPENVIDU_HA_BOOT_PREFIX/$OPENVIDU_HA_BOOT_REVISION/$f" ||
        fail "cannot fetch the boot script $f"
done
# Run only the scripts this user data was made with: the SHA-256 of each, checked before anything runs.
if ! (cd "$dir" && sha256sum -c --strict --quiet) <<'OPENVIDU_HA_SUMS'; then
${checksumLines(role, digests)}
OPENVIDU_HA_SUMS
    (cd "$dir" && rm -f ${files.join(" ")})
    fail "the boot scripts in s3://$OPENVIDU_HA_BOOT_BUCKET/$OPENVIDU_HA_BOOT_PREFIX/$OPENVIDU_HA_BOOT_REVISION differ from this node's user data"
fi
# Boot runs as a oneshot service rather than in cloud-init: it resumes after a reboot (a recovered or rebooted
# node) until the boot script marks it complete; every step is idempotent.
cat > /etc/systemd/system/openvidu-ha-boot.service <<OPENVIDU_HA_UNIT
[Unit]
Description=openvidu-ha ${role} boot (runs until it completes once)
Wants=network-online.target
After=network-online.target
ConditionPathExists=!/var/lib/openvidu-ha/boot-complete

[Service]
Type=oneshot
ExecStart=/bin/sh $dir/${files[0]}
StandardOutput=journal+console
StandardError=journal+console

[Install]
WantedBy=multi-user.target
OPENVIDU_HA_UNIT
chmod 644 /etc/systemd/system/openvidu-ha-boot.service
systemctl daemon-reload
systemctl enable openvidu-ha-boot.service
systemctl start --no-block openvidu-ha-boot.service
`;
}

export function masterUserData(input: MasterBootInput): string {
    return userData(
        "master",
        input.label,
        {
            LABEL: input.label,
            ...location(input),
            DATA_VOLUME: input.dataVolumeId,
            APP_DATA_BUCKET: input.appDataBucket,
            CLUSTER_DATA_BUCKET: input.clusterDataBucket,
            HEALTH_TIMEOUT_SECONDS: String(input.healthTimeoutSeconds),
        },
        input.bootDigests,
    );
}

export function mediaUserData(input: MediaBootInput): string {
    return userData(
        "media",
        "media node",
        {
            ...location(input),
            SECRET_VERSION: input.secretVersionId,
            MASTER_IPS: input.masterPrivateIps.join(","),
            MASTER_WAIT_SECONDS: String(input.masterWaitSeconds),
            HEALTH_TIMEOUT_SECONDS: String(input.healthTimeoutSeconds),
            LIFECYCLE_HOOK: input.lifecycleHookName,
            DRAIN_TIMEOUT_SECONDS: String(input.drainTimeoutSeconds),
            HEARTBEAT_SECONDS: String(input.heartbeatSeconds),
            PRIVATE_IP_PLACEHOLDER: input.privateIpPlaceholder,
            PUBLIC_IP_PLACEHOLDER: input.publicIpPlaceholder,
        },
        input.bootDigests,
    );
}
