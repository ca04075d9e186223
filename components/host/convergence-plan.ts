/**
 * Day 2 on a node: which procedure brings an installed cluster to the configured version and config. Pure.
 *
 * The program cannot see what a node runs (a Pulumi program has no access to the hosts, nor to its previous
 * inputs), so the decision is made on each node by converge.sh's `check` phase, from the tables rendered here
 * (`renderFlagRules`, UPDATER_STEPS) and the node's own state; every check runs before any node is stopped.
 * `planConvergence` is the same decision in TypeScript: the reference the unit tests pin, and that the host
 * tests compare the script against.
 */
import * as crypto from "crypto";
import { CHANGE_RULES, ChangeClass } from "../config/change-classes";
import { ConfigKey } from "../config/keys";
import { FlagSource, ReleaseLine } from "../core/release-lines";
import { NodeRole } from "../core/types";
import { UPDATER_STEPS, UPGRADE_CHECKPOINT, upgradePath, UpgradeRefused } from "../core/upgrade-path";

/** Where a setting lives on a node, relative to /opt/openvidu (vendor facts 2.4: config layout of an HA node). */
export interface ConfigLocation {
    file: string;
    variable: string;
}

/** How a change of one installer flag is handled on a node of one role. */
export interface FlagRule {
    flag: string;
    key: ConfigKey;
    class: Extract<ChangeClass, "in-place" | "cluster" | "refused">;
    /** Files to rewrite (in-place and cluster); empty for refused. */
    locations: ConfigLocation[];
    /** For refused: why. */
    reason: string;
}

const CLUSTER_ENV = "config/cluster/openvidu.env";
const NODE_ENV: Record<NodeRole, string> = { master: "config/node/master_node.env", media: "config/node/media_node.env" };

/**
 * 3.8 line: where each applied setting is written. `openvidu.env` exists on masters only ("configuration is
 * centralised in the Master Node"); REDIS_PASSWORD is per node (master_node.env per the vendor's CloudFormation
 * scripts; media_node.env on media nodes, whose installer takes --redis-password: an inference).
 */
const LOCATIONS_3_8: Partial<Record<ConfigKey, Record<NodeRole, ConfigLocation[]>>> = {
    license: { master: [{ file: CLUSTER_ENV, variable: "OPENVIDU_PRO_LICENSE" }], media: [] },
    rtcEngine: { master: [{ file: CLUSTER_ENV, variable: "OPENVIDU_RTC_ENGINE" }], media: [] },
    modules: { master: [{ file: CLUSTER_ENV, variable: "ENABLED_MODULES" }], media: [] },
    livekitApiKey: { master: [{ file: CLUSTER_ENV, variable: "LIVEKIT_API_KEY" }], media: [] },
    livekitApiSecret: { master: [{ file: CLUSTER_ENV, variable: "LIVEKIT_API_SECRET" }], media: [] },
    dashboardAdminUser: { master: [{ file: CLUSTER_ENV, variable: "DASHBOARD_ADMIN_USERNAME" }], media: [] },
    dashboardAdminPassword: { master: [{ file: CLUSTER_ENV, variable: "DASHBOARD_ADMIN_PASSWORD" }], media: [] },
    redisPassword: {
        master: [{ file: NODE_ENV.master, variable: "REDIS_PASSWORD" }],
        media: [{ file: NODE_ENV.media, variable: "REDIS_PASSWORD" }],
    },
};

/** Flags the certificate source produces (installer-flags.ts certificateArgs), and their keys. */
const CERTIFICATE_FLAGS: Record<string, ConfigKey> = {
    "--certificate-type": "certificateType",
    "--letsencrypt-email": "letsencryptEmail",
    "--zerossl-api-key": "zerosslApiKey",
    "--owncert-private-key": "ownCertPrivateKey",
    "--owncert-public-key": "ownCertPublicKey",
    "--turn-owncert-private-key": "turnOwnCertPrivateKey",
    "--turn-owncert-public-key": "turnOwnCertPublicKey",
};

function keyOf(source: FlagSource): ConfigKey | undefined {
    switch (source.from) {
        case "license":
        case "domain":
        case "turnDomain":
        case "modules":
        case "rtcEngine":
            return source.from;
        case "credential":
            return source.key;
        case "masterIpList":
            return "masterNodes";
        case "nodePublicIp":
            return "mediaNodes";
        case "forceMediaNodePublicIp":
            return "forceMediaNodePublicIp";
        // Fixed flags never change; a media node's own IP names the node (a new IP is a new node); the AWS-only
        // sources do not occur on-prem.
        case "fixed":
        case "nodePrivateIp":
        case "environment":
        case "externalLoadBalancer":
        case "certificate":
            return undefined;
    }
}

const MASTER_IPS_REASON =
    "the master IP list is in every node's configuration and in MongoDB's replica set; re-addressing a running cluster is not supported by the vendor (deploy a new cluster, or restore the old addresses)";
const MEDIA_PUBLIC_IP_REASON = "a media node is given its public IP at install; reinstall it (pulumi up --replace of its install step)";
const LINE_3_0_REASON = "the vendor documents no configuration layout for the 3.0 line, so it is not edited in place; upgrade to 3.8 first";

function ruleFor(flag: string, key: ConfigKey, line: ReleaseLine, role: NodeRole): FlagRule {
    const change = CHANGE_RULES[key];
    if (key === "masterNodes") {
        return { flag, key, class: "refused", locations: [], reason: MASTER_IPS_REASON };
    }
    if (key === "mediaNodes") {
        return { flag, key, class: "refused", locations: [], reason: MEDIA_PUBLIC_IP_REASON };
    }
    if (change.class === "in-place" || change.class === "cluster") {
        if (line.id !== "3.8") {
            return { flag, key, class: "refused", locations: [], reason: LINE_3_0_REASON };
        }
        const locations = LOCATIONS_3_8[key]?.[role];
        if (!locations) {
            throw new Error(`no config location for ${key} (${flag}) on the ${line.id} line`);
        }
        return { flag, key, class: change.class, locations, reason: "" };
    }
    return { flag, key, class: "refused", locations: [], reason: change.effect };
}

/** The rule of every installer flag of this line and role that carries a config value. */
export function flagRules(line: ReleaseLine, role: NodeRole): FlagRule[] {
    const rules: FlagRule[] = [];
    for (const spec of line.flags[role]) {
        if (spec.source.from === "certificate") {
            for (const [flag, key] of Object.entries(CERTIFICATE_FLAGS)) rules.push(ruleFor(flag, key, line, role));
            continue;
        }
        const key = keyOf(spec.source);
        if (key) rules.push(ruleFor(spec.flag, key, line, role));
    }
    return rules;
}

/**
 * The rules as converge.sh reads them, one per line: `<flag> <class> <key> <file>:<VARIABLE>...` for applied
 * flags, `<flag> refused <key> <reason>` for refused ones.
 */
export function renderFlagRules(rules: readonly FlagRule[]): string {
    return rules
        .map((r) => [r.flag, r.class, r.key, ...(r.class === "refused" ? [r.reason] : r.locations.map((l) => `${l.file}:${l.variable}`))].join(" "))
        .join("\n");
}

export type Procedure = "none" | "in-place" | "cluster" | "upgrade";

export interface ConvergencePlan {
    procedure: Procedure;
    /** Versions the updater runs to, in order; two legs = the 3.5.0 checkpoint first. */
    legs: string[];
    /** Every version passed after the installed one (updater images to pre-pull). */
    steps: string[];
    /** Changed flags that are applied (written into config files), in rule order. */
    applied: string[];
    /** Changed flags ignored because only one release line has them (the updater migrates those). */
    migrated: string[];
}

export class ConvergenceRefused extends Error {}

export interface NodeState {
    /** version: in /opt/openvidu/deployment-info.yaml */
    version: string;
    /** Flags whose value differs from the one applied on the node, or that only one side has. */
    changedFlags: readonly string[];
    /** Flags the node was installed or last converged with. */
    appliedFlags: readonly string[];
}

/**
 * Lines a media node's convergence gets besides its own arguments: one per master argument, `H --flag=<sha256>`,
 * so it learns that a setting only masters hold changed (a cluster-wide change restarts media nodes too) without
 * receiving the masters' secrets. The node records them as `cluster:--flag`.
 */
export function clusterLines(masterStdin: string): string {
    return masterStdin
        .split("\n")
        .filter((l) => /^[SP] --[^=]+=/.test(l))
        .map((l) => `H ${l.slice(2, l.indexOf("="))}=${crypto.createHash("sha256").update(l.slice(2)).digest("hex")}\n`)
        .join("");
}

/**
 * The procedure for one node; refusals name every refused key and both versions. `changedFlags` may hold
 * `cluster:--flag` entries (a master setting, on a media node), classified with `clusterRules` and never written.
 */
export function planConvergence(node: NodeState, target: string, rules: readonly FlagRule[], clusterRules: readonly FlagRule[] = []): ConvergencePlan {
    const problems: string[] = [];
    let path = { legs: [] as string[], steps: [] as string[] };
    try {
        path = upgradePath(node.version, target);
    } catch (e) {
        if (!(e instanceof UpgradeRefused)) throw e;
        problems.push(e.message);
    }
    const byFlag = new Map(rules.map((r) => [r.flag, r]));
    const applied: string[] = [];
    const migrated: string[] = [];
    const classes = new Set<string>();
    for (const rule of rules) {
        if (!node.changedFlags.includes(rule.flag)) continue;
        if (!node.appliedFlags.includes(rule.flag)) {
            if (path.legs.length > 0) {
                migrated.push(rule.flag);
                continue;
            }
        }
        if (rule.class === "refused") {
            problems.push(`${rule.key} (${rule.flag}) cannot change on a running cluster: ${rule.reason}`);
        } else {
            applied.push(rule.flag);
            classes.add(rule.class);
        }
    }
    for (const entry of node.changedFlags.filter((f) => f.startsWith("cluster:"))) {
        const rule = clusterRules.find((r) => r.flag === entry.slice("cluster:".length));
        // Refusals of master settings are reported by the masters' own checks.
        if (rule && rule.class !== "refused" && path.legs.length === 0) classes.add(rule.class);
    }
    // Flags the node has but the target line does not (a line change): the updater's migration owns them.
    for (const flag of node.changedFlags) {
        if (!byFlag.has(flag) && !flag.startsWith("cluster:") && path.legs.length > 0) migrated.push(flag);
    }
    if (problems.length > 0) {
        throw new ConvergenceRefused(problems.join("\n"));
    }
    const procedure: Procedure = path.legs.length > 0 ? "upgrade" : classes.has("cluster") ? "cluster" : classes.has("in-place") ? "in-place" : "none";
    return { procedure, legs: path.legs, steps: path.steps, applied, migrated };
}

/** The rounds a target version's convergence chain has: the checkpoint round only where a path can cross it. */
export function convergenceRounds(target: string): ConvergenceRound[] {
    return UPDATER_STEPS.indexOf(target) > UPDATER_STEPS.indexOf(UPGRADE_CHECKPOINT) ? ["checkpoint", "final"] : ["final"];
}

export type ConvergenceRound = "checkpoint" | "final";
