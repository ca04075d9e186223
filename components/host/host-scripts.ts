/**
 * What both targets run on a node: the lifecycle scripts (install, start, health, stop, drain, uninstall), how
 * their installer input is framed, and where the installer comes from. On-prem sends them over SSH
 * (components/onprem/host-commands.ts); AWS ships them in the boot bundle (components/aws/plan/user-data.ts).
 */
import * as fs from "fs";
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

/** A line that stands for a shared helper of this folder (e.g. mask-secrets.sh), put in its place by scriptContent. */
const INCLUDE_LINE = /^# openvidu-ha:include ([a-z0-9-]+\.sh)$/;

/**
 * A script as it runs on a host: its file, with each include line replaced by the helper it names. Both targets
 * ship this text (on-prem inline in the SSH command, AWS in the boot bundle), so helpers need no file on the host.
 */
export function scriptContent(script: HostScript): string {
    return expandIncludes(fs.readFileSync(scriptPath(script), "utf8"), (helper) => fs.readFileSync(path.join(NODE_SCRIPT_DIR, helper), "utf8"));
}

/** `text` with each include line replaced by the helper's text (`readHelper` of its file name) without its last newline. */
export function expandIncludes(text: string, readHelper: (fileName: string) => string): string {
    return text
        .split("\n")
        .map((line) => {
            const include = INCLUDE_LINE.exec(line);
            return include ? readHelper(include[1]).replace(/\n$/, "") : line;
        })
        .join("\n");
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
