/**
 * The exact commands the on-prem target sends over SSH, one set per host and step. Pure: the node pools turn
 * these into `remote.Command` resources, and the real-host tests run the very same strings.
 *
 * Each command carries its script inline (a quoted heredoc, readable in `pulumi preview --diff`) and runs it as
 * root, directly or through passwordless sudo. Arguments are never secret; secrets travel on stdin only.
 */
import { NodeRole } from "../core/types";
import { HEALTH_URLS, HostScript, scriptContent, shellQuote } from "../host/host-scripts";

/** Seed prerequisites: 4 CPU cores and 4 GB RAM. MemTotal of a 4 GB machine is below 4096 MiB (kernel reserve). */
export const MINIMUM_CPUS = 4;
export const MINIMUM_MEMORY_MB = 3600;

/** What a remote.Command runs. `S` is `string` in this pure module and `pulumi.Input<string>` in components. */
export interface CommandSpec<S = string> {
    create: string;
    update?: string;
    delete?: string;
    stdin?: S;
}

const HEREDOC_END = "OPENVIDU_HA_SCRIPT_END";

export function scriptText(script: HostScript): string {
    const text = scriptContent(script);
    if (text.split("\n").includes(HEREDOC_END)) {
        throw new Error(`${script}.sh must not contain a line '${HEREDOC_END}'`);
    }
    return text;
}

/** The command string that runs a host script as root with the given (non-secret) arguments. */
export function remoteInvocation(script: HostScript, label: string, args: readonly string[]): string {
    const argv = args.map(shellQuote).join(" ");
    return [
        `# openvidu-ha ${script} on ${label}`,
        "set -eu",
        "script=$(mktemp)",
        `trap 'rm -f "$script"' EXIT`,
        `cat > "$script" <<'${HEREDOC_END}'`,
        scriptText(script).replace(/\n$/, ""),
        HEREDOC_END,
        'if [ "$(id -u)" -eq 0 ]; then',
        `    sh "$script" ${argv}`,
        "elif sudo -n true 2>/dev/null; then",
        `    sudo -n sh "$script" ${argv}`,
        "else",
        `    echo "${script} failed on ${label}: user $(id -un) is not root and has no passwordless sudo" >&2`,
        "    exit 1",
        "fi",
        "",
    ].join("\n");
}

/**
 * The host's checks; with the masters' private IPs (comma-separated, as the installers get them), so every node's
 * preflight runs again when that list changes and refuses on a node installed with another list (preflight.sh),
 * before that node's firewall or install step.
 */
export function preflightCommand(label: string, privateIp: string, masterPrivateIps: readonly string[]): CommandSpec {
    return {
        create: remoteInvocation("preflight", label, [label, privateIp, String(MINIMUM_CPUS), String(MINIMUM_MEMORY_MB), masterPrivateIps.join(",")]),
    };
}

export function firewallCommand(label: string, ruleset: string): CommandSpec {
    return {
        create: remoteInvocation("firewall", label, [label, "apply"]),
        delete: remoteInvocation("firewall", label, [label, "remove"]),
        stdin: ruleset,
    };
}

export interface InstallCommandInput {
    label: string;
    role: NodeRole;
    installerUrl: string;
    installerSha256?: string;
    retainData: boolean;
}

/** Install on create, uninstall on removal. The installer arguments go on stdin: see installerStdin. */
export function installCommand(input: InstallCommandInput): CommandSpec<never> {
    const { label, role } = input;
    return {
        create: remoteInvocation("install", label, [label, role, input.installerUrl, input.installerSha256 ?? "-", "defer"]),
        delete: remoteInvocation("uninstall", label, [label, input.retainData ? "retain" : "purge"]),
    };
}

/** Start the service; removing the node stops a master, or drains a media node first. */
export function startCommand(label: string, role: NodeRole, drainTimeoutSeconds: number): CommandSpec {
    return {
        create: remoteInvocation("start", label, [label]),
        delete: role === "media" ? remoteInvocation("drain", label, [label, String(drainTimeoutSeconds)]) : remoteInvocation("stop", label, [label]),
    };
}

/** Inputs of one converge phase on one node; see converge.sh. */
export interface ConvergeCommandInput {
    label: string;
    role: NodeRole;
    phase: "check" | "stop" | "update" | "start";
    round: "checkpoint" | "final";
    /** The configured openviduVersion. */
    target: string;
    /** The updater's path (UPDATER_STEPS) and checkpoint. */
    steps: readonly string[];
    checkpoint: string;
    updaterBaseUrl: string;
    /** SHA-256 per updater version. */
    updaterSha256: Readonly<Record<string, string>>;
    healthTimeoutSeconds: number;
    drainTimeoutSeconds: number;
    /** The master that restarts for an in-place change (the vendor restarts one master). */
    leader: boolean;
    /** renderFlagRules of the target line for this role. */
    rules: string;
    /** Media nodes: renderFlagRules of the masters (for the H lines on stdin); empty on masters. */
    clusterRules: string;
}

/**
 * A command that runs when its inputs change (the provider's Update) and not when the resource is created:
 * no `create` (see cluster-convergence.ts).
 */
export type UpdateOnlySpec = Omit<CommandSpec<never>, "create" | "update"> & { update: string };

/**
 * One converge phase, as `update` only: it runs whenever the target version or the installer arguments (stdin)
 * change, and not on the first deploy, whose install already brings the node there.
 */
export function convergeCommand(c: ConvergeCommandInput): UpdateOnlySpec {
    const sha = Object.entries(c.updaterSha256)
        .map(([v, h]) => `${v}=${h}`)
        .join(",");
    return {
        update: remoteInvocation("converge", c.label, [
            `label=${c.label}`,
            `role=${c.role}`,
            `phase=${c.phase}`,
            `round=${c.round}`,
            `target=${c.target}`,
            `steps=${c.steps.join(" ")}`,
            `checkpoint=${c.checkpoint}`,
            `updater_base=${c.updaterBaseUrl}`,
            `updater_sha=${sha || "-"}`,
            `health_url=${HEALTH_URLS[c.role]}`,
            `health_timeout=${c.healthTimeoutSeconds}`,
            `drain_timeout=${c.drainTimeoutSeconds}`,
            `leader=${c.leader ? "yes" : "no"}`,
            `rules=${c.rules}`,
            `cluster_rules=${c.clusterRules}`,
        ]),
    };
}

export function healthCommand(label: string, role: NodeRole, timeoutSeconds: number): CommandSpec {
    return { create: remoteInvocation("health", label, [label, HEALTH_URLS[role], String(timeoutSeconds)]) };
}
