/**
 * The per-host provisioning steps both pools share: preflight, optional host firewall, install. Start and health
 * are added by each pool, because masters start only once all four are installed.
 */
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { SshSettings } from "../config/settings";
import { HostAddress, NodeRole } from "../core/types";
import { firewallCommand, healthCommand, installCommand, preflightCommand, startCommand } from "./host-commands";
import { HostKeyPin } from "./host-key-pin";
import { HostConnection, hostStep } from "./host-steps";

/** One host of a pool. */
export interface PoolNode {
    /** Label used in messages and resource names, e.g. master-1 or media-10-0-1-7. */
    label: string;
    address: HostAddress;
    /**
     * Installer arguments as install.sh reads them (see installerStdin); on a media node followed by the masters'
     * settings by hash (clusterLines), which install.sh records and never gives the installer. A Pulumi secret.
     */
    installStdin: pulumi.Input<string>;
    /** nftables ruleset for this host; undefined when hostFirewall is off. */
    firewallRuleset?: string;
    /**
     * The key a HostKeyPin made by the caller recorded (see pinHostKey), used when `address.hostKey` is unset; the
     * pool then makes no pin of its own. stacks/onprem.ts pins media nodes before the convergence chain this way, so
     * the chain's steps verify the same key as the pool's.
     */
    pinnedHostKey?: pulumi.Input<string>;
}

/** Settings every host of a pool shares. */
export interface PoolSettings {
    ssh: SshSettings;
    /** SSH private key; a Pulumi secret. */
    sshPrivateKey: pulumi.Input<string>;
    /** HTTPS URL of this role's installer, pinned to the version. */
    installerUrl: string;
    /** Optional SHA-256 the installer must match. */
    installerSha256?: string;
    /** Keep /opt/openvidu when a node is removed (uninstall retain) instead of purging it. */
    retainDataOnDestroy: boolean;
    /** Bound of each node's health gate, seconds. */
    healthTimeoutSeconds: number;
    /** Bound of a media node's drain on removal, seconds (unused by masters). */
    drainTimeoutSeconds: number;
    /** The 4 masters' private IPs, in the installers' order: each preflight refuses a node installed with another list. */
    masterPrivateIps: readonly string[];
}

export interface ProvisionedNode {
    label: string;
    address: HostAddress;
    install: command.remote.Command;
    /** How every step of the node connects (startNode uses it too). */
    connection: HostConnection;
}

/** What a pool reports of each node. */
export interface PoolNodeOutput {
    label: string;
    address: HostAddress;
    /** The host key its commands verify; undefined when not verified (sshHostKeyCheck off). */
    hostKey?: pulumi.Input<string>;
}

export const nodeOutput = (n: ProvisionedNode): PoolNodeOutput => ({
    label: n.label,
    address: n.address,
    ...(n.connection.hostKey !== undefined ? { hostKey: n.connection.hostKey } : {}),
});

/**
 * The key a node's commands verify: the configured `hostKey`; else, with sshHostKeyCheck first-use, the key a
 * HostKeyPin named `name` records at the first connection (and compares on every run); else none (off).
 */
export function pinHostKey(
    name: string,
    label: string,
    address: HostAddress,
    ssh: SshSettings,
    opts: pulumi.CustomResourceOptions,
): pulumi.Input<string> | undefined {
    if (address.hostKey !== undefined) return address.hostKey;
    if (ssh.hostKeyCheck !== "first-use") return undefined;
    return new HostKeyPin(name, { label, host: address.publicIp, port: ssh.port, dialErrorLimit: ssh.dialErrorLimit, perDialTimeout: ssh.perDialTimeout }, opts)
        .hostKey;
}

/** The node's connection; its host key from pinHostKey, or the one the caller pinned (PoolNode.pinnedHostKey). */
function connectionOf(pool: pulumi.Resource, name: string, node: PoolNode, settings: PoolSettings): HostConnection {
    const hostKey = node.address.hostKey ?? node.pinnedHostKey ?? pinHostKey(`${name}-host-key`, node.label, node.address, settings.ssh, { parent: pool });
    return { address: node.address, ssh: settings.ssh, privateKey: settings.sshPrivateKey, hostKey };
}

/** A host's steps before its install: preflight, then the host firewall when configured. */
export interface CheckedNode {
    preflight: command.remote.Command;
    /** The preflight and, when configured, the firewall: what the install waits for on this host. */
    steps: command.remote.Command[];
    connection: HostConnection;
}

/**
 * Preflight, then the host firewall (when configured). The firewall waits for the preflight, which refuses on a node
 * installed with other master IPs (preflight.sh): a refused master address change rewrites no host's rules. The
 * engine never starts a step whose dependency failed: the Node SDK registers a resource only once every dependsOn
 * resource's URN resolved, i.e. its step completed (pulumi/pulumi sdk/nodejs/runtime/resource.ts `prepareResource`,
 * "all our dependencies must be finished"; dependsOn.ts `getAllTransitivelyReferencedResourceURNs` awaits each
 * `urn`), and a failed step cancels the deployment (pkg/resource/deploy/step_executor.go `cancelDueToError`).
 */
export function checkNode(pool: pulumi.Resource, name: string, node: PoolNode, settings: PoolSettings): CheckedNode {
    const connection = connectionOf(pool, name, node, settings);
    const preflight = hostStep(pool, `${name}-preflight`, connection, preflightCommand(node.label, node.address.privateIp, settings.masterPrivateIps));
    const steps = [preflight];
    if (node.firewallRuleset !== undefined) {
        steps.push(hostStep(pool, `${name}-firewall`, connection, firewallCommand(node.label, node.firewallRuleset), { dependsOn: [preflight] }));
    }
    return { preflight, steps, connection };
}

/** The install of a checked host; it waits for the host's own checks and for `installAfter`. */
export function installNode(
    pool: pulumi.Resource,
    name: string,
    role: NodeRole,
    node: PoolNode,
    settings: PoolSettings,
    checked: CheckedNode,
    installAfter: pulumi.Input<pulumi.Resource>[] = [],
): ProvisionedNode {
    const spec = installCommand({
        label: node.label,
        role,
        installerUrl: settings.installerUrl,
        installerSha256: settings.installerSha256,
        retainData: settings.retainDataOnDestroy,
    });
    const install = hostStep(
        pool,
        `${name}-install`,
        checked.connection,
        { ...spec, stdin: node.installStdin },
        {
            dependsOn: [...checked.steps, ...installAfter],
            secretStdin: true,
        },
    );
    return { label: node.label, address: node.address, install, connection: checked.connection };
}

/** Preflight, host firewall (when configured) and install of one host; install waits for `installAfter` too. */
export function provisionNode(
    pool: pulumi.Resource,
    name: string,
    role: NodeRole,
    node: PoolNode,
    settings: PoolSettings,
    installAfter: pulumi.Input<pulumi.Resource>[] = [],
): ProvisionedNode {
    return installNode(pool, name, role, node, settings, checkNode(pool, name, node, settings), installAfter);
}

/**
 * Start (stop or drain on removal), then the bounded health gate. Returns the health gate. Replacing the node's
 * install (`pulumi up --replace`) replaces its start and health too: start stops or drains before the uninstall,
 * and starts again after the install (see hostStep `replacedWith`).
 */
export function startNode(
    pool: pulumi.Resource,
    name: string,
    role: NodeRole,
    node: PoolNode,
    settings: PoolSettings,
    { install, connection }: ProvisionedNode,
    startAfter: pulumi.Input<pulumi.Resource>[],
): command.remote.Command {
    const start = hostStep(pool, `${name}-start`, connection, startCommand(node.label, role, settings.drainTimeoutSeconds), {
        dependsOn: startAfter,
        replacedWith: install,
    });
    return hostStep(pool, `${name}-health`, connection, healthCommand(node.label, role, settings.healthTimeoutSeconds), {
        dependsOn: [start],
        replacedWith: start,
    });
}
