/**
 * Offline runs of the real program with AWS stack configs, shared by the AWS stack tests (each config runs once
 * per mocha process: test/support/program.ts sharedRun, frozen).
 */
import { AWS_SECRET_KEYS, awsConfig } from "../../support/fixtures";
import { ProgramRun, sharedRun } from "../../support/program";
import { RecordedResource, unwrapWireValue } from "../../../tools/offline-runtime";

export const TURN_CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/66666666-7777-4888-9999-000000000000";

/** The configs under test: both release lines with defaults, and a variant with every optional feature on. */
export const VARIANTS = {
    "3.8": awsConfig(),
    "3.0": awsConfig({ openviduVersion: "3.0.0" }),
    "3.8-full": awsConfig({
        turnDomain: "turn.example.com",
        turnCertificateArn: TURN_CERT,
        sshAllowedCidrs: ["198.51.100.0/24"],
        appDataBucketName: "acme-openvidu-recordings",
        clusterDataBucketName: "acme-openvidu-cluster",
        retainVolumes: "false",
        masterInstanceType: "c7g.xlarge",
        mediaInstanceType: "c7gn.2xlarge",
        keyName: "ops-key",
        initialMediaNodes: "3",
        minMediaNodes: "2",
        maxMediaNodes: "8",
        scaleTargetCpu: "65",
        masterDiskSizeGb: "250",
        drainTimeoutMinutes: "120",
        rtcEngine: "mediasoup",
        forceMediaNodePublicIp: "true",
        additionalInstallerFlags: ["--force-utc-timezone"],
    }),
    "3.0-turn": awsConfig({
        openviduVersion: "3.0.0",
        turnDomain: "turn.example.com",
        turnCertificateArn: TURN_CERT,
        dnsProvider: "none",
        amiId: "ami-0123456789abcdef0",
    }),
    /** 3.8 with one credential set explicitly: a different secret document than "3.8". */
    "3.8-rotated": awsConfig({ livekitApiSecret: "rotated-livekit-api-secret-0123456789" }),
    "3.8-redis-rotated": awsConfig({ redisPassword: "rotated-redis-password-0123456789" }),
} as const;

export type Variant = keyof typeof VARIANTS;

const runs = new Map<Variant, Promise<ProgramRun>>();

export function awsRun(variant: Variant): Promise<ProgramRun> {
    if (!runs.has(variant)) {
        const secretKeys = [
            ...AWS_SECRET_KEYS,
            ...(variant === "3.8-rotated" ? ["livekitApiSecret"] : []),
            ...(variant === "3.8-redis-rotated" ? ["redisPassword"] : []),
        ];
        runs.set(variant, sharedRun(VARIANTS[variant], secretKeys));
    }
    return runs.get(variant)!;
}

/** Inputs of a recorded resource with secrets as "[secret]". */
export const plainInputs = (r: RecordedResource) => unwrapWireValue(r.inputs, false) as Record<string, any>;

export const decodeBase64 = (text: string) => Buffer.from(text, "base64").toString("utf8");
