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

    toString(): string {
        return "[secret]";
    }

    toJSON(): string {
        return "[secret]";
    }

    [inspect.custom](): string {
        return "[secret]";
    }
}

/** Label and addresses of one node. */
export interface NodeInfo {
    label: string;
    publicIp: string;
    privateIp: string;
}

/** Outputs every target has. */
export interface CommonClusterOutputs {
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
    masterNodes: NodeInfo[];
    mediaNodes: NodeInfo[];
}

/** Outputs of an AWS stack. */
export interface AwsClusterOutputs extends CommonClusterOutputs {
    target: "aws";
    loadBalancerDnsName: string;
    /** Present with `turnDomain`. */
    turnLoadBalancerDnsName?: string;
    secretArn: string;
    secretConsoleUrl: string;
    appDataBucket: string;
    clusterDataBucket: string;
    masterPrivateIps: string[];
    masterPublicIps: string[];
    masterInstanceIds: string[];
    masterDataVolumeIds: string[];
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
