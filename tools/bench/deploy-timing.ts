/**
 * Pure arithmetic of the deploy figures (bench figures 3 and 4), from the steps a `pulumi up` ran on test hosts:
 * step durations per role, the critical path of the engine's plan, the vendor's serial order on AWS computed from
 * the same step times, the time to a healthy cluster and the upgrade's outage windows. No I/O here (tested in
 * test/unit/bench-deploy-timing.test.ts); deploy-hosts.ts runs the deploys.
 */

/** One command a `pulumi up` ran: its resource name and when it started and ended (ms, any common origin). */
export interface TimedStep {
    name: string;
    started: number;
    ended: number;
}

/** The provisioning steps of a node, in the order one node runs them (the host firewall only when configured). */
export const CHAIN_KINDS = ["preflight", "firewall", "install", "start", "health"] as const;
export type ChainKind = (typeof CHAIN_KINDS)[number];
export type Role = "master" | "media";

/**
 * Role and kind of a provisioning step, from the program's resource names (masters-<n>-<kind>,
 * media-<private ip>-<kind>); undefined for any other step (the day-2 chain converge-*).
 */
export function provisioningStep(name: string): { role: Role; kind: ChainKind } | undefined {
    const m = /^(masters|media)-.+-(preflight|firewall|install|start|health)$/.exec(name);
    if (!m) return undefined;
    return { role: m[1] === "masters" ? "master" : "media", kind: m[2] as ChainKind };
}

const median = (values: number[]): number => {
    const s = [...values].sort((a, b) => a - b);
    const mid = Math.floor(s.length / 2);
    return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

/** Per role, per kind: the median duration (ms) over the nodes of that role. Kinds no node ran are absent. */
export type ChainTimes = Record<Role, Partial<Record<ChainKind, number>>>;

export function chainTimes(steps: readonly TimedStep[]): ChainTimes {
    const durations: Record<Role, Partial<Record<ChainKind, number[]>>> = { master: {}, media: {} };
    for (const s of steps) {
        const p = provisioningStep(s.name);
        if (p) (durations[p.role][p.kind] ??= []).push(s.ended - s.started);
    }
    const of = (role: Role) =>
        Object.fromEntries(CHAIN_KINDS.filter((k) => durations[role][k] !== undefined).map((k) => [k, median(durations[role][k]!)])) as Partial<
            Record<ChainKind, number>
        >;
    return { master: of("master"), media: of("media") };
}

/** One node's chain: the sum of its step times. */
export function chainMs(chain: Partial<Record<ChainKind, number>>): number {
    return CHAIN_KINDS.reduce((sum, k) => sum + (chain[k] ?? 0), 0);
}

/**
 * The vendor's order on AWS (its CloudFormation template: each master waits for the previous one's signal,
 * the media nodes' group for the fourth master's; media nodes start together): masters one after the other, then
 * one media chain, whatever the media count.
 */
export function vendorSerialMs(times: ChainTimes, masters = 4): number {
    return masters * chainMs(times.master) + chainMs(times.media);
}

/** A step of a plan with its duration: `after` = the ids of the steps it waits for (EngineStep.after). */
export interface PlannedStep {
    id: number;
    after: readonly number[];
    ms: number;
}

/**
 * The critical path: when the last step ends if each starts as soon as every step it waits for has ended
 * (the engine's parallelism unbounded, as `--parallel` defaults to; step_executor.go), and the chain of steps
 * that decides it, first to last (on ties, the first listed wait). Steps in any order.
 */
export function criticalPath(steps: readonly PlannedStep[]): { ms: number; path: number[] } {
    const byId = new Map(steps.map((s) => [s.id, s]));
    const finish = new Map<number, { at: number; via?: number }>();
    const visiting = new Set<number>();
    const finishOf = (id: number): number => {
        const known = finish.get(id);
        if (known !== undefined) return known.at;
        const s = byId.get(id);
        if (!s) throw new Error(`critical path: no step ${id}`);
        if (visiting.has(id)) throw new Error(`critical path: cycle through step ${id}`);
        visiting.add(id);
        let via: number | undefined;
        let ready = 0;
        for (const a of s.after) {
            const at = finishOf(a);
            if (via === undefined || at > ready) [via, ready] = [a, at];
        }
        visiting.delete(id);
        finish.set(id, { at: ready + s.ms, via });
        return ready + s.ms;
    };
    let last: number | undefined;
    let ms = 0;
    for (const s of steps) {
        const at = finishOf(s.id);
        if (last === undefined || at > ms) [last, ms] = [s.id, at];
    }
    const path: number[] = [];
    for (let id = last; id !== undefined; id = finish.get(id)!.via) path.unshift(id);
    return { ms, path };
}

/** From the first command's start to the end of the last health gate (every node healthy). */
export function timeToHealthyMs(steps: readonly TimedStep[]): number {
    const health = steps.filter((s) => provisioningStep(s.name)?.kind === "health");
    if (health.length === 0) throw new Error("time to healthy: no health step ran");
    return Math.max(...health.map((s) => s.ended)) - Math.min(...steps.map((s) => s.started));
}

/**
 * The upgrade's outage per round of the day-2 chain (converge-<label>-<round>-stop/-start): from the first master
 * stop starting to the first master start ending (its start step returns once the node is healthy), i.e. from
 * the cluster's first lost master to its first one serving again. Rounds whose steps did not all run throw.
 */
export function outageWindowsMs(steps: readonly TimedStep[], masterLabels: readonly string[], rounds: readonly string[]): Record<string, number> {
    const find = (name: string): TimedStep => {
        const s = steps.find((x) => x.name === name);
        if (!s) throw new Error(`outage window: ${name} did not run`);
        return s;
    };
    return Object.fromEntries(
        rounds.map((round) => {
            const stops = masterLabels.map((l) => find(`converge-${l}-${round}-stop`).started);
            const healthy = masterLabels.map((l) => find(`converge-${l}-${round}-start`).ended);
            return [round, Math.min(...healthy) - Math.min(...stops)];
        }),
    );
}

/** Where the time of a chain of steps (e.g. the critical path) goes: master steps, the day-2 chain, media steps, other. */
export function pathBreakdownMs(steps: readonly { name: string; ms: number }[]): Record<"master" | "converge" | "media" | "other", number> {
    const sums = { master: 0, converge: 0, media: 0, other: 0 };
    for (const s of steps) {
        const part = provisioningStep(s.name)?.role ?? (/^converge-/.test(s.name) ? "converge" : "other");
        sums[part] += s.ms;
    }
    return sums;
}
