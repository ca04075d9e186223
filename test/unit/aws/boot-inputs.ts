/**
 * Boot settings of one master and one media node, as literals: the inputs the reviewed user data snapshots
 * (__snapshots__/master-user-data.sh, media-user-data.sh) were made from. Builders, so no test computes them while
 * mocha loads its file.
 */
import * as crypto from "crypto";
import { MasterBootInput, MediaBootInput } from "../../../components/aws/plan/user-data";

/** Every boot file of both roles, by name. */
export const ALL_BOOT_FILES = [
    "aws-api.sh",
    "boot-master.sh",
    "boot-media.sh",
    "converge-watch.sh",
    "converge.sh",
    "drain.sh",
    "health.sh",
    "install.sh",
    "lifecycle-watch.sh",
    "start.sh",
];

/** The snapshots' stand-in digests: the SHA-256 of each file's name (not of its content, so they stay put). */
export function bootLocation() {
    return {
        region: "eu-west-1",
        dnsSuffix: "amazonaws.com",
        bootBucket: "buckets-cluster-data-4fd8962",
        secretId: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:cluster-secret-store-dc8e685-AbCdEf",
        bootDigests: Object.fromEntries(ALL_BOOT_FILES.map((f) => [f, crypto.createHash("sha256").update(f).digest("hex")])),
        bootRevision: "0123456789abcdef",
    };
}

export function masterBootInput(overrides: Partial<MasterBootInput> = {}): MasterBootInput {
    return {
        ...bootLocation(),
        label: "master-2",
        dataVolumeId: "vol-0123456789abcdef0",
        appDataBucket: "buckets-app-data-6994f0b",
        clusterDataBucket: "buckets-cluster-data-4fd8962",
        healthTimeoutSeconds: 1200,
        ...overrides,
    };
}

export function mediaBootInput(overrides: Partial<MediaBootInput> = {}): MediaBootInput {
    return {
        ...bootLocation(),
        secretVersionId: "3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b",
        masterPrivateIps: ["10.0.1.10", "10.0.2.10", "10.0.3.10", "10.0.4.10"],
        masterWaitSeconds: 900,
        healthTimeoutSeconds: 600,
        lifecycleHookName: "openvidu-ha-drain",
        drainTimeoutSeconds: 3600,
        heartbeatSeconds: 100,
        privateIpPlaceholder: "OPENVIDU_HA_NODE_PRIVATE_IP",
        publicIpPlaceholder: "OPENVIDU_HA_NODE_PUBLIC_IP",
        ...overrides,
    };
}
