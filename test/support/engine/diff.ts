/**
 * The provider diff the engine asks for, for the resource types this program registers: which input keys changed
 * and whether a change replaces the resource. Sources: pulumi/pulumi @ 1b5949891b (pkg/resource/deploy/
 * step_generator.go), pulumi/pulumi-go-provider v1.3.0 (infer/resource.go `diff`), pulumi/pulumi-command v1.2.1.
 */
import { isDeepStrictEqual } from "util";
import { RecordedResource, unwrapWireValue } from "../../../tools/offline-runtime";

/** A value the engine does not know yet (an output of a resource being replaced): differs from every value. */
export const UNKNOWN = Symbol("unknown");

/**
 * Input keys a provider replaces on change, by type. A type missing here has no known table: diffing a changed
 * input of it throws, rather than guess.
 * - command:remote:Command: `triggers` (provider schema `replaceOnChanges: true`; pulumi-go-provider infer
 *   `Diff` forces `AsReplace()` for it); every other input is an in-place update (the type has `Update`).
 * - random RandomPassword/RandomString: every argument forces a new resource (terraform-provider-random).
 * - cloudflare DnsRecord: `zoneId` forces a new record (terraform-provider-cloudflare `zone_id`).
 * - HostKeyPin (dynamic): `host` and `port`, as its provider's `diff` returns them.
 */
export const PROVIDER_REPLACE_KEYS: Record<string, readonly string[] | "all"> = {
    "command:remote:Command": ["triggers"],
    "random:index/randomPassword:RandomPassword": "all",
    "random:index/randomString:RandomString": "all",
    "cloudflare:index/dnsRecord:DnsRecord": ["zoneId"],
    // Engine builtin (pulumi/pulumi pkg/resource/deploy/builtins.go `Diff` for stashType): a changed `input` is an
    // update that copies it to state and runs nothing; never a replace.
    "pulumi:index:Stash": [],
    // The program's own dynamic provider (components/onprem/host-key-pin.ts `diff`): another address is another host.
    "pulumi-nodejs:dynamic:HostKeyPin": ["host", "port"],
    // AWS (pulumi-aws 7 bridges terraform-provider-aws; ForceNew attributes of the inputs this program sets):
    // aws_secretsmanager_secret_version (internal/service/secretsmanager/secret_version.go): secret_id,
    // secret_string, secret_binary, secret_string_wo_version are ForceNew; only version_stages updates.
    "aws:secretsmanager/secretVersion:SecretVersion": ["secretId", "secretString", "secretBinary", "secretStringWoVersion"],
    // aws_launch_template: name, name_prefix ForceNew; any other change is an update (a new template version).
    "aws:ec2/launchTemplate:LaunchTemplate": ["name", "namePrefix"],
    // aws_autoscaling_group: name, name_prefix ForceNew; the rest (launch template version, sizes) updates.
    "aws:autoscaling/group:Group": ["name", "namePrefix"],
    // aws_volume_attachment and aws_lb_target_group_attachment: every argument that names what is attached ForceNew.
    "aws:ec2/volumeAttachment:VolumeAttachment": ["deviceName", "instanceId", "volumeId"],
    "aws:lb/targetGroupAttachment:TargetGroupAttachment": "all",
    // aws_vpc_security_group_ingress_rule (plugin framework): security_group_id RequiresReplace; the rule's other
    // attributes are modified in place (ModifySecurityGroupRules).
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": ["securityGroupId"],
    // aws_cloudwatch_metric_alarm: alarm_name (Pulumi's `name`) ForceNew; dimensions update.
    "aws:cloudwatch/metricAlarm:MetricAlarm": ["name"],
};

export interface DiffResult {
    /** Top-level input keys whose values differ (the engine's ChangedKeys). */
    changedKeys: string[];
    /** Changed keys that force a replacement (ReplaceKeys after `applyReplaceOnChanges`). */
    replaceKeys: string[];
}

/** Inputs as the provider compares them: secrets unwrapped (`unwrapResourceSecretsAndOutputs`). */
export function plainInputs(r: RecordedResource): Record<string, unknown> {
    return unwrapWireValue(r.inputs, true) as Record<string, unknown>;
}

/** True when a program `replaceOnChanges` path covers the top-level key (`applyReplaceOnChanges`: path Contains). */
function programReplaces(paths: readonly string[], key: string): boolean {
    return paths.some((p) => p === "*" || p === key || p.startsWith(`${key}.`) || p.startsWith(`${key}[`));
}

/**
 * `diffResource` + `applyReplaceOnChanges`: compares old and new inputs key by key (pulumi-go-provider skips
 * `version` and `__`-prefixed keys), then marks as replacing the keys the provider's schema or the program's
 * `replaceOnChanges` option names. A component (no provider) only reports whether anything changed.
 */
export function diffInputs(
    type: string,
    custom: boolean,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
    replaceOnChanges: readonly string[],
    ignoreChanges: readonly string[] = [],
): DiffResult {
    const keys = [...new Set([...Object.keys(olds), ...Object.keys(news)])].filter((k) => k !== "version" && !k.startsWith("__") && !ignoreChanges.includes(k));
    const changedKeys = keys.filter((k) => news[k] === UNKNOWN || olds[k] === UNKNOWN || !isDeepStrictEqual(olds[k], news[k])).sort();
    if (!custom || changedKeys.length === 0) {
        return { changedKeys, replaceKeys: [] };
    }
    const table = PROVIDER_REPLACE_KEYS[type];
    if (table === undefined) {
        throw new Error(`engine model: no replace-on-change table for ${type} (changed: ${changedKeys.join(", ")})`);
    }
    const replaceKeys = changedKeys.filter((k) => table === "all" || table.includes(k) || programReplaces(replaceOnChanges, k));
    return { changedKeys, replaceKeys };
}
