/**
 * What the on-prem stack passes between its components, as pure functions (no resources): each node's installer
 * settings, the pools' settings, a media node's convergence input and the node outputs. stacks/onprem.ts applies
 * them.
 */
import * as pulumi from "@pulumi/pulumi";
import { OnpremSettings } from "../components/config/settings";
import { InstallerSettings } from "../components/core/installer-flags";
import { NodeRole } from "../components/core/types";
import { installerUrl } from "../components/host/host-scripts";
import { clusterLines } from "../components/host/convergence-plan";
import { PoolSettings } from "../components/onprem/node-provisioning";

/** A node's addresses. */
export interface NodeAddresses {
    publicIp: string;
    privateIp: string;
}

/** The settings a node's installer arguments are made from. */
export type InstallSettings = Pick<
    OnpremSettings,
    "line" | "domain" | "turnDomain" | "rtcEngine" | "modules" | "forceMediaNodePublicIp" | "additionalInstallerFlags" | "certificate"
>;

/**
 * A node's installer settings: its own private IP, its public IP only on a media node with forceMediaNodePublicIp,
 * the certificate only on masters (media nodes terminate no TLS).
 */
export function nodeInstallerSettings(s: InstallSettings, role: NodeRole, address: NodeAddresses, masterPrivateIps: readonly string[]): InstallerSettings {
    return {
        role,
        line: s.line,
        domain: s.domain,
        turnDomain: s.turnDomain,
        rtcEngine: s.rtcEngine,
        modules: s.modules,
        masterPrivateIps,
        nodePrivateIp: address.privateIp,
        nodePublicIp: role === "media" && s.forceMediaNodePublicIp ? address.publicIp : undefined,
        forceMediaNodePublicIp: s.forceMediaNodePublicIp,
        additionalFlags: s.additionalInstallerFlags,
        certificate: role === "master" ? s.certificate : undefined,
    };
}

/** The settings a pool's steps take from the stack. */
export type PoolStackSettings = Pick<
    OnpremSettings,
    "ssh" | "installer" | "openviduVersion" | "retainDataOnDestroy" | "healthTimeoutSeconds" | "drainTimeoutMinutes" | "masterNodes"
>;

/** A pool's settings for a role: its installer (URL and pinned SHA-256), SSH, timeouts in seconds. */
export function poolSettings(s: PoolStackSettings, sshPrivateKey: pulumi.Input<string>, role: NodeRole): PoolSettings {
    return {
        ssh: s.ssh,
        sshPrivateKey,
        installerUrl: installerUrl(s.installer.baseUrl, s.openviduVersion, role),
        installerSha256: s.installer.sha256[role],
        retainDataOnDestroy: s.retainDataOnDestroy,
        healthTimeoutSeconds: s.healthTimeoutSeconds,
        drainTimeoutSeconds: s.drainTimeoutMinutes * 60,
        masterPrivateIps: s.masterNodes.map((h) => h.privateIp),
    };
}

/**
 * A media node's install and convergence input: its own installer lines, and the masters' settings by hash
 * (clusterLines), so a change of a cluster-wide one restarts it as a cluster-wide restart does. install.sh records
 * them as the settings it joined with (the installer never sees them), so that holds from the first change on.
 */
export function mediaConvergeStdin(ownStdin: string, masterStdin: string): string {
    return ownStdin + clusterLines(masterStdin);
}

/** A node as the stack outputs it: label, addresses and, when known, the host key its commands verify. */
export interface NodeOutput {
    label: string;
    publicIp: string;
    privateIp: string;
    /** The SSH host key the node's commands verify: configured, or recorded at the first connection. */
    hostKey?: pulumi.Input<string>;
}

export function nodeOutput(n: { label: string; address: NodeAddresses; hostKey?: pulumi.Input<string> }): NodeOutput {
    return {
        label: n.label,
        publicIp: n.address.publicIp,
        privateIp: n.address.privateIp,
        ...(n.hostKey !== undefined ? { hostKey: n.hostKey } : {}),
    };
}
