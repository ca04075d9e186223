// Test hosts as AWS instances: the program's user data and boot scripts, unmodified, against the fakes of
// fake-aws.ts. Per host, a boot hook (run at every boot, before units start) makes the fakes reachable the way the
// scripts reach AWS, inside the host's own network namespace only:
// - 169.254.169.254:80 is routed to eth0 and DNATed to the host's IMDS fake on the bridge;
// - the endpoint names (<bucket>.s3.<region>.amazonaws.com, secretsmanager..., autoscaling...) resolve through the
//   host's /etc/hosts to the bridge address, whose port 443 is DNATed to the API fake, which has a certificate for
//   those names from the run's test CA (the hosts' only trusted CA);
// - a master's data volume is a loop device presented as AWS presents EBS on Nitro instances,
//   /dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_<volume id without dash>, in an overlay over /dev that only
//   this host's mount namespace sees; at every boot the hook mounts it where /etc/fstab says, as systemd would.
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { strict as assert } from "assert";
import {
    BOOT_PREFIX,
    BootFile,
    bootDigests,
    bootFiles,
    bootObjectKey,
    bootRevision,
    masterUserData,
    mediaUserData,
} from "../../../components/aws/plan/user-data";
import {
    ClusterSecretInput,
    clusterSecretDocument,
    mediaSecretDocument,
    NODE_PRIVATE_IP_PLACEHOLDER,
    NODE_PUBLIC_IP_PLACEHOLDER,
} from "../../../components/aws/plan/cluster-secret";
import { masterPolicy, mediaBootPolicy, mediaLifecyclePolicy, PolicyDocument } from "../../../components/aws/plan/iam-policies";
import { releaseLineOf } from "../../../components/core/release-lines";
import { InstallerDoubleServer, startInstallerDoubleServer, startTestHosts, TestHost, TestHosts } from "../harness";
import { runOk } from "../harness/sh";
import { TestCa } from "../harness/test-ca";
import { FakeAws, FakeInstance, REGION, SavedAws } from "./fake-aws";

export const ENDPOINTS = (bucket: string) => [
    `${bucket}.s3.${REGION}.amazonaws.com`,
    `secretsmanager.${REGION}.amazonaws.com`,
    `autoscaling.${REGION}.amazonaws.com`,
];
const ACCOUNT = "123456789012";
export const CLUSTER_BUCKET = "ovha-test-cluster-data";
export const APP_BUCKET = "ovha-test-app-data";
export const HOOK_NAME = "openvidu-ha-drain";
/** A file in a host's state directory: its data volume is attached after local-fs, not mounted at boot by fstab. */
export const VOLUME_LATE = "volume-late";

export interface AwsNode {
    host: TestHost;
    instance: FakeInstance;
    role: "master" | "media";
    userData: string;
    /** masters: the loop device standing in for the data volume, and the volume id */
    loop?: string;
    volumeId?: string;
}

export interface MediaOptions {
    masterIps: string[];
    masterWaitSeconds: number;
    heartbeatSeconds?: number;
    drainTimeoutSeconds?: number;
}

/** AwsLab.save(): the fake AWS's contents and what the current cluster secret was made from. */
export interface SavedAwsLab {
    aws: SavedAws;
    clusterInput: ClusterSecretInput;
}

export interface AwsLab {
    hosts: TestHosts;
    server: InstallerDoubleServer;
    aws: FakeAws;
    clusterSecretArn: string;
    mediaSecretArn: string;
    /** the 4 master IPs of the secrets' installer arguments */
    masterIps: string[];
    /** every secret value of the run: license, credentials (each longer than 8 characters); grows with putClusterSecret */
    secretValues: string[];
    /** what the current version of the cluster secret was made from */
    clusterInput: ClusterSecretInput;
    /** pulumi up with changed settings: a new version of the cluster secret (and of the media secret); its version id */
    putClusterSecret(change: Partial<ClusterSecretInput>): string;
    /** the boot files the lab's user data names (uploaded at start, as BootScripts does) */
    bootFiles: BootFile[];
    /** uploads boot files as BootScripts does for a new revision; returns the revision */
    uploadBootFiles(files: BootFile[]): string;
    master(host: TestHost, label: string): Promise<AwsNode>;
    media(host: TestHost, opts: MediaOptions, files?: BootFile[]): Promise<AwsNode>;
    /** the loop device attached to `host` as a master's data volume, if any (saved with its disk by stages.ts) */
    volumeOf(host: TestHost): string | undefined;
    /** the fake AWS's state and the cluster secret's input, for test/hosts/stages.ts (with the hosts' disks) */
    save(): SavedAwsLab;
    restore(saved: SavedAwsLab): void;
    teardown(): Promise<string[]>;
}

async function issueEndpointCert(ca: TestCa, dir: string): Promise<{ cert: Buffer; key: Buffer }> {
    const base = path.join(dir, "aws-endpoints");
    fs.writeFileSync(
        `${base}.ext`,
        [
            `subjectAltName=${[`*.s3.${REGION}.amazonaws.com`, ...ENDPOINTS(CLUSTER_BUCKET).slice(1)].map((n) => `DNS:${n}`).join(",")}`,
            "basicConstraints=critical,CA:FALSE",
            "keyUsage=critical,digitalSignature",
            "extendedKeyUsage=serverAuth",
            "",
        ].join("\n"),
    );
    await runOk("openssl", [
        "req",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        `${base}.key`,
        "-out",
        `${base}.csr`,
        "-subj",
        "/CN=amazonaws.com test double",
    ]);
    await runOk("openssl", [
        "x509",
        "-req",
        "-in",
        `${base}.csr`,
        "-CA",
        ca.certPath,
        "-CAkey",
        ca.keyPath,
        "-CAcreateserial",
        "-out",
        `${base}.crt`,
        "-days",
        "2",
        "-extfile",
        `${base}.ext`,
    ]);
    return { cert: fs.readFileSync(`${base}.crt`), key: fs.readFileSync(`${base}.key`) };
}

function bootHook(host: TestHost, bridge: string, imdsPort: number, apiPort: number, device?: { loop: string; volumeId: string }): string {
    const lines = [
        "set -eu",
        `ip route replace 169.254.169.254/32 dev eth0 src ${host.address}`,
        "nft -f - <<'EOF'",
        "table ip ovha_aws_fakes {",
        "  chain output {",
        "    type nat hook output priority -100; policy accept;",
        `    ip daddr 169.254.169.254 tcp dport 80 dnat to ${bridge}:${imdsPort}`,
        `    ip daddr ${bridge} tcp dport 443 dnat to ${bridge}:${apiPort}`,
        "  }",
        "}",
        "EOF",
    ];
    if (device) {
        const by = `nvme-Amazon_Elastic_Block_Store_${device.volumeId.replace(/-/g, "")}`;
        lines.push(
            "o=/run/ovha-dev",
            'mkdir -p "$o/upper" "$o/work" "$o/real"',
            'mount --rbind /dev "$o/real"',
            'mount -t overlay ovha-dev -o "lowerdir=/dev,upperdir=$o/upper,workdir=$o/work" /dev',
            'for d in pts shm mqueue; do if [ -d "$o/real/$d" ]; then mount --bind "$o/real/$d" "/dev/$d"; fi; done',
            "mkdir -p /dev/disk/by-id",
            `ln -sfn ../../${path.basename(device.loop)} /dev/disk/by-id/${by}`,
            // systemd mounts fstab's entries at boot (local-fs.target): the volume once boot-master.sh put it there.
            // nofail: local-fs does not wait for the device, so a volume attached late (VOLUME_LATE) is not mounted
            // yet when the boot service runs.
            `if [ ! -e /run/ovha-test-host/${VOLUME_LATE} ] && grep -q ' /opt/openvidu ' /etc/fstab; then`,
            "  mount /opt/openvidu || echo 'boot hook: /opt/openvidu not mounted (nofail)' >&2",
            "fi",
        );
    }
    return lines.join("\n") + "\n";
}

const hex = (n: number) => crypto.randomBytes(n).toString("hex");

export async function startAwsLab(count: number, masterIpsOf: (hosts: TestHost[]) => string[], openviduVersion = "3.8.0"): Promise<AwsLab> {
    const hosts = await startTestHosts(Array.from({ length: count }, () => ({ cpus: 4, memMb: 8192 })));
    const loops: string[] = [];
    const volumes = new Map<TestHost, string>();
    let server: InstallerDoubleServer | undefined;
    let aws: FakeAws | undefined;
    const teardown = async () => {
        await server?.close();
        await aws?.close();
        const left = await hosts.teardown();
        for (const loop of loops) await runOk("losetup", ["-d", loop]).catch(() => undefined);
        return left;
    };
    try {
        server = await startInstallerDoubleServer({ address: hosts.bridge.address, ca: hosts.ca, dir: hosts.dir });
        aws = new FakeAws(hosts.bridge.address, await issueEndpointCert(hosts.ca, hosts.dir));
        await aws.start();
        const fake = aws;
        const bridge = hosts.bridge.address;
        const files = bootFiles();
        const uploadBootFiles = (list: BootFile[]) => {
            const revision = bootRevision(list);
            for (const f of list) fake.putObject(CLUSTER_BUCKET, bootObjectKey(revision, f.name), f.content);
            return revision;
        };
        uploadBootFiles(files);
        const digests = bootDigests(files);

        const line = releaseLineOf(openviduVersion)!;
        const tag = `ovha-${hosts.runId}-${hex(4)}`;
        const credentials = Object.fromEntries(line.credentials.map((k) => [k, `${tag}-${k}-secret`]));
        const license = `${tag}-LICENSE-secret`;
        const masterIps = masterIpsOf(hosts.hosts);
        const input: ClusterSecretInput = {
            line,
            openviduVersion,
            domain: "openvidu.aws-hosts.example.com",
            rtcEngine: "pion",
            modules: line.defaultModules,
            masterPrivateIps: masterIps,
            installerBaseUrl: `${server.url}/pro/ha`,
            installerSha256: {},
            updater: { baseUrl: `${server.url}/update`, sha256: {} },
            license,
            credentials,
        };
        const clusterSecretArn = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:ovha-cluster-secret-${hex(3)}`;
        const mediaSecretArn = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:ovha-media-secret-${hex(3)}`;
        fake.putSecret(clusterSecretArn, JSON.stringify(clusterSecretDocument(input)));
        const mediaVersion = fake.putSecret(mediaSecretArn, JSON.stringify(mediaSecretDocument(input)));
        const bucketArn = (b: string) => `arn:aws:s3:::${b}`;
        const access = (secretArn: string) => ({ secretArn, bootBucketArn: bucketArn(CLUSTER_BUCKET), bootPrefix: BOOT_PREFIX });
        const location = { region: REGION, dnsSuffix: "amazonaws.com", bootBucket: CLUSTER_BUCKET, bootDigests: digests, bootRevision: bootRevision(files) };

        const prepare = async (host: TestHost, instance: FakeInstance, device?: { loop: string; volumeId: string }) => {
            fs.writeFileSync(path.join(host.stateDir, "boot-hook.sh"), bootHook(host, bridge, instance.imdsPort, fake.apiPort, device));
            const hostsLines = ENDPOINTS(CLUSTER_BUCKET)
                .map((n) => `${bridge} ${n}\n`)
                .join("");
            const r = await host.exec("sh /run/ovha-test-host/boot-hook.sh && cat >> /etc/hosts", { stdin: hostsLines });
            assert.equal(r.exitCode, 0, r.stderr);
        };
        const master = async (host: TestHost, label: string): Promise<AwsNode> => {
            const volumeId = `vol-0${hex(8)}`;
            const image = path.join(hosts.dir, `${volumeId}.img`);
            fs.writeFileSync(image, "");
            fs.truncateSync(image, 64 * 1024 * 1024);
            const loop = (await runOk("losetup", ["-f", "--show", image])).trim();
            loops.push(loop);
            volumes.set(host, loop);
            const policy = masterPolicy(access(clusterSecretArn), { appDataArn: bucketArn(APP_BUCKET), clusterDataArn: bucketArn(CLUSTER_BUCKET) });
            const instance = await fake.addInstance({
                instanceId: `i-0${hex(8)}`,
                privateIp: host.address,
                publicIp: host.address,
                roleName: `ovha-masters-${hex(3)}`,
                policy,
            });
            await prepare(host, instance, { loop, volumeId });
            const userData = masterUserData({
                ...location,
                secretId: clusterSecretArn,
                label,
                dataVolumeId: volumeId,
                appDataBucket: APP_BUCKET,
                clusterDataBucket: CLUSTER_BUCKET,
                healthTimeoutSeconds: 30,
            });
            return { host, instance, role: "master", userData, loop, volumeId };
        };
        const media = async (host: TestHost, opts: MediaOptions, mediaFiles = files): Promise<AwsNode> => {
            const group = { name: `ovha-media-group-${hex(3)}`, arn: "", lifecycleHook: HOOK_NAME };
            group.arn = `arn:aws:autoscaling:${REGION}:${ACCOUNT}:autoScalingGroup:${crypto.randomUUID()}:autoScalingGroupName/${group.name}`;
            const policy: PolicyDocument = {
                Version: "2012-10-17",
                Statement: [...mediaBootPolicy(access(mediaSecretArn), bucketArn(APP_BUCKET)).Statement, ...mediaLifecyclePolicy(group.arn).Statement],
            };
            const instance = await fake.addInstance({
                instanceId: `i-0${hex(8)}`,
                privateIp: host.address,
                publicIp: host.address,
                roleName: `ovha-media-${hex(3)}`,
                policy,
                autoScalingGroup: group,
            });
            await prepare(host, instance);
            const userData = mediaUserData({
                ...location,
                bootDigests: bootDigests(mediaFiles),
                bootRevision: bootRevision(mediaFiles),
                secretId: mediaSecretArn,
                secretVersionId: mediaVersion,
                masterPrivateIps: opts.masterIps,
                masterWaitSeconds: opts.masterWaitSeconds,
                healthTimeoutSeconds: 30,
                lifecycleHookName: HOOK_NAME,
                drainTimeoutSeconds: opts.drainTimeoutSeconds ?? 60,
                heartbeatSeconds: opts.heartbeatSeconds ?? 100,
                privateIpPlaceholder: NODE_PRIVATE_IP_PLACEHOLDER,
                publicIpPlaceholder: NODE_PUBLIC_IP_PLACEHOLDER,
            });
            return { host, instance, role: "media", userData };
        };
        const secretValues = [license, ...Object.values(credentials)];
        let clusterInput = input;
        const putClusterSecret = (change: Partial<ClusterSecretInput>) => {
            clusterInput = { ...clusterInput, ...change };
            secretValues.push(
                ...[clusterInput.license, ...Object.values(clusterInput.credentials)].filter((v): v is string => v !== undefined && !secretValues.includes(v)),
            );
            fake.putSecret(mediaSecretArn, JSON.stringify(mediaSecretDocument(clusterInput)));
            return fake.putSecret(clusterSecretArn, JSON.stringify(clusterSecretDocument(clusterInput)));
        };
        return {
            hosts,
            server,
            aws: fake,
            get clusterInput() {
                return clusterInput;
            },
            putClusterSecret,
            clusterSecretArn,
            mediaSecretArn,
            masterIps,
            secretValues,
            bootFiles: files,
            uploadBootFiles,
            master,
            media,
            volumeOf: (host) => volumes.get(host),
            save: () => ({ aws: fake.save(), clusterInput }),
            restore: (saved) => {
                fake.restore(saved.aws);
                clusterInput = saved.clusterInput;
            },
            teardown,
        };
    } catch (e) {
        await teardown().catch(() => undefined);
        throw e;
    }
}

/** The secrets an instance's boot handles besides the cluster's: its role's AWS keys and session tokens. */
export const awsKeys = (i: FakeInstance): string[] => i.issued.flatMap((c) => [c.secretAccessKey, c.sessionToken]);

/**
 * Runs the user data as cloud-init does at first boot (a root-only file, executed as root, no stdin); resolves to
 * what it printed (cloud-init's console log; the boot service's journal+console output lands here too, since the
 * systemctl double runs a oneshot unit in place).
 */
export async function runUserData(node: AwsNode): Promise<{ exitCode: number | null; output: string }> {
    const r = await node.host.exec(
        "umask 077; mkdir -p /var/lib/cloud/instance/scripts && cat > /var/lib/cloud/instance/scripts/part-001 && " +
            "exec sh /var/lib/cloud/instance/scripts/part-001 < /dev/null 2>&1",
        { stdin: node.userData, timeoutMs: 300_000 },
    );
    return { exitCode: r.exitCode, output: r.stdout + r.stderr };
}
