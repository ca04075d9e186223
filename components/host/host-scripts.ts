/**
 * What both targets run on a node: the lifecycle scripts (install, start, health, stop, drain, uninstall), how
 * their installer input is framed, and where the installer comes from. On-prem sends them over SSH
 * (components/onprem/host-commands.ts); AWS ships them in the boot bundle (components/aws/plan/user-data.ts).
 */
import * as path from "path";
import { InstallerArg, renderArg } from "../core/installer-flags";
import { NodeRole } from "../core/types";

/** Scripts shared by both targets (this folder) and the on-prem-only ones (components/onprem/scripts). */
export type NodeScript = "install" | "start" | "health" | "stop" | "drain" | "uninstall" | "converge";
export type OnpremScript = "preflight" | "firewall";
export type HostScript = NodeScript | OnpremScript;

const NODE_SCRIPTS: ReadonlySet<string> = new Set<NodeScript>(["install", "start", "health", "stop", "drain", "uninstall", "converge"]);
const NODE_SCRIPT_DIR = path.join(__dirname, "scripts");
const ONPREM_SCRIPT_DIR = path.join(__dirname, "..", "onprem", "scripts");

/** Local health endpoints the gates poll on each node. */
export const HEALTH_URLS: Record<NodeRole, string> = {
    master: "http://127.0.0.1:7880/health/caddy",
    media: "http://127.0.0.1:7880/",
};

export function scriptPath(script: HostScript): string {
    return path.join(NODE_SCRIPTS.has(script) ? NODE_SCRIPT_DIR : ONPREM_SCRIPT_DIR, `${script}.sh`);
}

/** POSIX single-quoting. */
export function shellQuote(value: string): string {
    return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** What install.sh reads on stdin: one argument per line, "S " before secret values, "P " before the rest. */
export function installerStdin(args: readonly InstallerArg[]): string {
    return args
        .map((a) => {
            const rendered = renderArg(a);
            // Validation refuses line breaks in config values; this keeps any other source from adding arguments.
            if (/[\r\n]/.test(rendered)) throw new Error(`installer argument ${a.flag} contains a line break`);
            return `${a.secret ? "S" : "P"} ${rendered}\n`;
        })
        .join("");
}

export function installerUrl(baseUrl: string, version: string, role: NodeRole): string {
    return `${baseUrl}/${version}/install_ov_${role}_node.sh`;
}
