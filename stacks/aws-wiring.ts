/**
 * What the AWS stack passes between its components, as pure functions (no resources, no outputs): the cluster
 * secret's input from the settings, the media nodes' boot timing, the media image, the masters' alarm actions
 * and the DNS names the balancers serve. stacks/aws.ts applies them to resolved values.
 */
import { AwsSettings } from "../components/config/settings";
import { CredentialValues } from "../components/credentials";
import { nodeImageParameter } from "../components/aws/plan/architecture";
import { ClusterSecretInput, NODE_PRIVATE_IP_PLACEHOLDER, NODE_PUBLIC_IP_PLACEHOLDER } from "../components/aws/plan/cluster-secret";
import { LIFECYCLE_HOOK_NAME, LifecycleTiming, MEDIA_BOOT } from "../components/aws/plan/timing";
import { MediaBootInput } from "../components/aws/plan/user-data";

/** The settings the cluster and media secrets are made from. */
export type SecretSettings = Pick<
    AwsSettings,
    | "line"
    | "openviduVersion"
    | "domain"
    | "turnDomain"
    | "rtcEngine"
    | "modules"
    | "installer"
    | "forceMediaNodePublicIp"
    | "additionalInstallerFlags"
    | "updater"
>;

/** The secrets' input: the settings, the masters' private IPs (in master order), the credentials and the license. */
export function clusterSecretInput(s: SecretSettings, masterPrivateIps: readonly string[], credentials: CredentialValues, license: string): ClusterSecretInput {
    return {
        line: s.line,
        openviduVersion: s.openviduVersion,
        domain: s.domain,
        turnDomain: s.turnDomain,
        rtcEngine: s.rtcEngine,
        modules: s.modules,
        masterPrivateIps,
        installerBaseUrl: s.installer.baseUrl,
        installerSha256: s.installer.sha256,
        forceMediaNodePublicIp: s.forceMediaNodePublicIp,
        additionalInstallerFlags: s.additionalInstallerFlags,
        license,
        credentials,
        updater: s.updater,
    };
}

/** A media node's boot timing and placeholders: how long it waits and drains, how often it sends heartbeats. */
export type MediaBootTiming = Pick<
    MediaBootInput,
    | "masterWaitSeconds"
    | "healthTimeoutSeconds"
    | "lifecycleHookName"
    | "drainTimeoutSeconds"
    | "heartbeatSeconds"
    | "privateIpPlaceholder"
    | "publicIpPlaceholder"
>;

export function mediaBootTiming(lifecycle: LifecycleTiming): MediaBootTiming {
    return {
        masterWaitSeconds: MEDIA_BOOT.masterWaitSeconds,
        healthTimeoutSeconds: MEDIA_BOOT.healthTimeoutSeconds,
        lifecycleHookName: LIFECYCLE_HOOK_NAME,
        drainTimeoutSeconds: lifecycle.drainTimeoutSeconds,
        // The node's heartbeat period, a third of the hook's timeout (not the timeout itself).
        heartbeatSeconds: lifecycle.heartbeatIntervalSeconds,
        privateIpPlaceholder: NODE_PRIVATE_IP_PLACEHOLDER,
        publicIpPlaceholder: NODE_PUBLIC_IP_PLACEHOLDER,
    };
}

/**
 * The media launch template's image: the configured amiId, or the SSM parameter itself (`resolve:ssm:`), so every
 * launch takes the parameter's current image without a template change.
 */
export function mediaImageId(s: Pick<AwsSettings, "amiId" | "mediaInstanceType">): string {
    return s.amiId ?? `resolve:ssm:${nodeImageParameter(s.mediaInstanceType)}`;
}

/** CloudWatch's EC2 actions for the masters' alarms, in the stack's partition and region. */
export function ec2AlarmActions(partition: string, region: string): { recover: string; reboot: string } {
    return { recover: `arn:${partition}:automate:${region}:ec2:recover`, reboot: `arn:${partition}:automate:${region}:ec2:reboot` };
}

/** The names the balancers serve: the domain on the main one, the TURN domain (when set) on the TURN one. */
export function balancerNames<T>(s: Pick<AwsSettings, "domain" | "turnDomain">, main: T, turn: T | undefined): { key: string; name: string; target: T }[] {
    return [
        { key: "domain", name: s.domain, target: main },
        ...(s.turnDomain !== undefined && turn !== undefined ? [{ key: "turn", name: s.turnDomain, target: turn }] : []),
    ];
}
