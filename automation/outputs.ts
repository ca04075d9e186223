/** Typed stack outputs; secret outputs stay wrapped until the caller reveals them. */
import { inspect } from "util";
import { OutputMap } from "@pulumi/pulumi/automation";
import { CredentialKey, NodeRole } from "../components/core/types";
import { ClusterUrls } from "../components/core/urls";
import { DnsRecordPlan } from "../components/core/dns-records";
import { FirewallRule } from "../components/core/firewall-rules";

/**
 * A secret value. Printing it, logging it or `JSON.stringify` shows "[secret]"; `reveal()` returns the value.
 */
export class Secret<T> {
    readonly #value: T;

    constructor(value: T) {
        this.#value = value;
    }

    /** The secret value itself. */
    reveal(): T {
        return this.#value;
    }

    /** "[secret]": string conversion never shows the value. */
    toString(): string {
        return "[secret]";
    }

    /** "[secret]": `JSON.stringify` never shows the value. */
    toJSON(): string {
        return "[secret]";
    }

    /** "[secret]" in `console.log` and `util.inspect`. */
    [inspect.custom](): string {
        return "[secret]";
    }
}

/** Label and addresses of one node. */
export interface NodeInfo {
    /** "master-1" or "media-<private IP with dashes>". */
    label: string;
    publicIp: string;
    privateIp: string;
}

/** Outputs every target has. */
export interface CommonClusterOutputs {
    /** The stack's target. */
    target: "onprem" | "aws";
    /** URLs of the deployment (openvidu, livekit, dashboard, minioConsole, grafana, meet or call). */
    urls: ClusterUrls;
    /** Every credential of the cluster, one secret object. */
    credentials: Secret<Partial<Record<CredentialKey, string>>>;
    /** DNS records for `domain` (and `turnDomain`). */
    dnsRecords: DnsRecordPlan[];
}

/** Outputs of an on-prem stack. */
export interface OnpremClusterOutputs extends CommonClusterOutputs {
    target: "onprem";
    /** Ports to open on your network firewall, per role. */
    firewallRules: Record<NodeRole, FirewallRule[]>;
    /** The 4 masters. */
    masterNodes: NodeInfo[];
    /** Every media node. */
    mediaNodes: NodeInfo[];
}

/** Outputs of an AWS stack. */
export interface AwsClusterOutputs extends CommonClusterOutputs {
    target: "aws";
    /** DNS name of the network load balancer (point `domain` at it with `dnsProvider: none`). */
    loadBalancerDnsName: string;
    /** DNS name of the TURN load balancer; present with `turnDomain`. */
    turnLoadBalancerDnsName?: string;
    /** ARN of the Secrets Manager secret with every URL and credential. */
    secretArn: string;
    /** AWS console link to that secret. */
    secretConsoleUrl: string;
    /** Bucket for app data and recordings. */
    appDataBucket: string;
    /** Bucket for cluster data (boot scripts). */
    clusterDataBucket: string;
    /** Fixed private IPs of the 4 masters. */
    masterPrivateIps: string[];
    /** Elastic IPs of the 4 masters. */
    masterPublicIps: string[];
    /** EC2 instance ids of the 4 masters. */
    masterInstanceIds: string[];
    /** Data volume ids of the 4 masters (kept on destroy with `retainVolumes`). */
    masterDataVolumeIds: string[];
    /** Name of the media nodes' Auto Scaling group. */
    mediaAutoScalingGroup: string;
}

/** The outputs of a stack after `up`, by target. */
export type ClusterOutputs = OnpremClusterOutputs | AwsClusterOutputs;

/**
 * Turns the Automation API's output map into typed outputs: a secret output becomes a `Secret`, whatever its key.
 * Throws when the stack has no outputs yet (never deployed) or lacks `target`.
 */
export function toClusterOutputs(outputs: OutputMap): ClusterOutputs {
    if (!outputs.target) {
        throw new Error("the stack has no outputs yet (run up first)");
    }
    const typed: Record<string, unknown> = {};
    for (const [key, { value, secret }] of Object.entries(outputs)) {
        typed[key] = secret ? new Secret(value) : value;
    }
    return typed as unknown as ClusterOutputs;
}
