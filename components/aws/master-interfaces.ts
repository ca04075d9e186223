/**
 * The masters' network identities, created before any instance: one network interface per master in its subnet
 * (its private IP is the master's identity in the installer's IP list, so it must never change) and an Elastic
 * IP on it for outbound internet (AWS auto-assigns public IPs only to interfaces it creates at launch).
 */
import * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2";
import { deploymentTags } from "./plan/tags";

export interface MasterInterfacesArgs {
    /** The subnet of each master: exactly 4 entries (see `masterSubnets`, which cycles 1 to 4 subnets). */
    subnetIds: readonly string[];
    /** Security group of the masters; set on the interface, which carries it to the instance. */
    securityGroupId: pulumi.Input<string>;
    /** Value of the `openvidu-ha:deployment` tag. */
    deployment: string;
}

export interface MasterInterface {
    /** master-1 .. master-4. */
    label: string;
    networkInterface: ec2.NetworkInterface;
    /** The subnet the interface lives in (fixed at creation, see below). */
    subnetId: pulumi.Output<string>;
    privateIp: pulumi.Output<string>;
    publicIp: pulumi.Output<string>;
}

export class MasterInterfaces extends pulumi.ComponentResource {
    public readonly masters: MasterInterface[];

    constructor(name: string, args: MasterInterfacesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openvidu-ha:aws:MasterInterfaces", name, {}, opts);
        if (args.subnetIds.length !== 4) {
            throw new Error(`MasterInterfaces ${name}: exactly 4 master subnets are required, got ${args.subnetIds.length}`);
        }
        this.masters = args.subnetIds.map((subnetId, i) => {
            const label = `master-${i + 1}`;
            const eni = new ec2.NetworkInterface(
                `${name}-${i + 1}`,
                { subnetId, securityGroups: [args.securityGroupId], description: `openvidu-ha ${label}`, tags: deploymentTags(args.deployment, label) },
                // A new subnet would mean a new interface and a new IP, which the cluster cannot survive: the
                // subnet is fixed when the interface is created (masterSubnetIds changes do not move masters).
                { parent: this, ignoreChanges: ["subnetId"] },
            );
            const eip = new ec2.Eip(
                `${name}-${i + 1}-public`,
                { domain: "vpc", networkInterface: eni.id, tags: deploymentTags(args.deployment, label) },
                { parent: this },
            );
            return { label, networkInterface: eni, subnetId: eni.subnetId, privateIp: eni.privateIp, publicIp: eip.publicIp };
        });
        this.registerOutputs({ privateIps: this.masters.map((m) => m.privateIp), publicIps: this.masters.map((m) => m.publicIp) });
    }
}
