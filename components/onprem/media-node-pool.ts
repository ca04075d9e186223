/**
 * Media nodes. Each has its own line of steps (preflight, install, start, health) and installs once every master
 * is healthy; media nodes do not wait for each other, so adding one touches no other host. Removing one drains it
 * before it stops.
 */
import * as pulumi from "@pulumi/pulumi";
import { HostAddress } from "../core/types";
import { nodeOutput, PoolNode, PoolNodeOutput, PoolSettings, provisionNode, startNode } from "./node-provisioning";

export interface MediaNodePoolArgs {
    /** 1 or more media nodes. Child names derive from each node's private IP, so list order does not matter. */
    nodes: PoolNode[];
    /** Connection, installer and timing settings shared by the pool. */
    settings: PoolSettings;
    /** Resources every media install waits for: the masters' health gates. */
    installAfter: pulumi.Input<pulumi.Resource>[];
    /** Per node label, more resources its install waits for: its own convergence steps (one script per host at a time). */
    installAfterNode?: ReadonlyMap<string, pulumi.Input<pulumi.Resource>>;
}

/** Resource-name suffix of a media node: its private IP with separators replaced, stable across reorderings. */
export function mediaNodeSuffix(address: HostAddress): string {
    return address.privateIp.replace(/[.:]/g, "-");
}

/** The component's type token (stacks/onprem.ts aliases the media host-key pins it used to parent). */
export const MEDIA_NODE_POOL_TYPE = "openvidu-ha:onprem:MediaNodePool";

export class MediaNodePool extends pulumi.ComponentResource {
    /** Each node with the host key its commands verify (configured or recorded; absent when not verified). */
    public readonly nodes: PoolNodeOutput[];

    constructor(name: string, args: MediaNodePoolArgs, opts?: pulumi.ComponentResourceOptions) {
        super(MEDIA_NODE_POOL_TYPE, name, {}, opts);
        this.nodes = args.nodes.map((node) => {
            const childName = `${name}-${mediaNodeSuffix(node.address)}`;
            const provisioned = provisionNode(this, childName, "media", node, args.settings, [
                ...args.installAfter,
                ...[args.installAfterNode?.get(node.label)].filter((r) => r !== undefined),
            ]);
            startNode(this, childName, "media", node, args.settings, provisioned, [provisioned.install]);
            return nodeOutput(provisioned);
        });
        this.registerOutputs({ nodes: this.nodes });
    }
}
