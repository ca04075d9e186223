/**
 * The 4 master nodes. All install in parallel once every master's preflight passed (a mistyped master address fails
 * its preflight before any master holds it: correcting the config then deploys); each starts once all four are installed (the vendor: "your Master
 * Nodes will be ready once all of them have been started"); each then passes its own bounded health gate.
 */
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { checkNode, installNode, nodeOutput, PoolNode, PoolNodeOutput, PoolSettings, startNode } from "./node-provisioning";

export interface MasterNodePoolArgs {
    /** Exactly 4 masters, in the order of the master IP list every node is installed with. */
    nodes: PoolNode[];
    /** Connection, installer and timing settings shared by the pool. */
    settings: PoolSettings;
}

export class MasterNodePool extends pulumi.ComponentResource {
    /** One health gate per master; media nodes install after all of them pass. */
    public readonly healthGates: command.remote.Command[];
    /** Each master with the host key its commands verify (configured or recorded; absent when not verified). */
    public readonly nodes: PoolNodeOutput[];

    constructor(name: string, args: MasterNodePoolArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openvidu-ha:onprem:MasterNodePool", name, {}, opts);
        if (args.nodes.length !== 4) {
            throw new Error(`MasterNodePool ${name}: exactly 4 masters are required, got ${args.nodes.length}`);
        }
        const childName = (i: number) => `${name}-${i + 1}`;
        const checked = args.nodes.map((node, i) => checkNode(this, childName(i), node, args.settings));
        const preflights = checked.map((c) => c.preflight);
        const installed = args.nodes.map((node, i) => installNode(this, childName(i), "master", node, args.settings, checked[i], preflights));
        const allInstalls = installed.map((n) => n.install);
        this.healthGates = args.nodes.map((node, i) => startNode(this, childName(i), "master", node, args.settings, installed[i], allInstalls));
        this.nodes = installed.map(nodeOutput);
        this.registerOutputs({ nodes: this.nodes });
    }
}
