/**
 * Bench figures 3 and 4 on the test hosts (test/hosts/harness: hosts in network namespaces with their own sshd;
 * needs root). Each run boots fresh hosts and runs `pulumi up`s as test/hosts/day2.ts `Stack` does: the real
 * program offline, the engine model's plan, each step's command over SSH in the engine's order (independent steps
 * in parallel), with doubles that take a known time:
 * - first deploy: installer double `slow <s>` (then installs), OpenVidu health `delay <s>` after each start;
 * - upgrade 3.0.0 -> 3.8.0 (the day-2 path of test/hosts/day2-upgrade.test.ts): updater double
 *   `pull <s> migrate <s>` per step, the same health delay.
 * Run by deploy-report.ts in a child process: prints one JSON line (HostFigures) on stdout, progress on stderr.
 *   node -r ts-node/register/transpile-only tools/bench/deploy-hosts.ts [--runs N] [--media 1,8]
 */
import { parseArgs } from "util";
import { startInstallerDoubleServer, startTestHosts, TestHost } from "../../test/hosts/harness";
import { KNOBS, setKnob } from "../../test/hosts/deployment";
import { Stack, UpResult } from "../../test/hosts/day2";
import { Lab } from "../../test/hosts/lab";
import { ChainTimes, chainTimes, criticalPath, outageWindowsMs, pathBreakdownMs, timeToHealthyMs, TimedStep, vendorSerialMs } from "./deploy-timing";

/** Known times of the doubles, seconds. */
export const DOUBLE_SECONDS = { install: 5, healthDelay: 4, updaterPull: 3, updaterMigrate: 1 };
/** Updater steps per upgrade round from 3.0.0 (to the 3.5.0 checkpoint, then to 3.8.0). */
export const UPGRADE_ROUNDS = { checkpoint: 6, final: 4 } as const;

export interface DeployRun {
    media: number;
    /** first command started -> last health gate ended */
    timeToHealthyMs: number;
    /** the plan's critical path with each step's measured time */
    criticalPathMs: number;
    /** where the critical path's time goes (master steps, the day-2 chain, media steps) and its steps' names */
    criticalPathParts: ReturnType<typeof pathBreakdownMs>;
    criticalPathSteps: string[];
    /** per role and kind, the median step time of this run */
    chain: ChainTimes;
    /** the vendor's serial order from this run's step times */
    vendorSerialMs: number;
}

export interface UpgradeRun {
    /** per round: first master stop -> first master healthy again */
    outageMs: Record<keyof typeof UPGRADE_ROUNDS, number>;
}

export interface HostFigures {
    doubles: typeof DOUBLE_SECONDS;
    deploys: DeployRun[];
    upgrades: UpgradeRun[];
    /** runs that failed (not counted), and what teardowns left behind (the next harness start removes it) */
    problems: string[];
}

/** Hosts sized like the vendor's minimum (the preflight checks them). */
const HOST = { cpus: 4, memMb: 8192 };
const log = (s: string) => process.stderr.write(`${s}\n`);

/**
 * Fresh test hosts and the doubles' HTTPS server for one run, torn down after; what the teardown left behind is
 * reported to `problems` (the measurement stands; the next harness start removes leftovers of ended runs).
 */
async function withLab<T>(count: number, problems: string[], body: (lab: Lab) => Promise<T>): Promise<T> {
    const hosts = await startTestHosts(Array.from({ length: count }, () => HOST));
    let server: Lab["server"] | undefined;
    let result: T;
    let left: string[];
    try {
        server = await startInstallerDoubleServer({ address: hosts.bridge.address, ca: hosts.ca, dir: hosts.dir });
        const url = server.url;
        const lab: Lab = {
            hosts,
            server,
            installUrl: (role, version = "3.8.0") => `${url}/pro/ha/${version}/install_ov_${role}_node.sh`,
            teardown: () => Promise.reject(new Error("withLab tears down")),
        };
        result = await body(lab);
    } finally {
        await server?.close();
        left = await hosts.teardown();
    }
    if (left.length > 0) problems.push(`left behind by a teardown: ${left.join(", ")}`);
    return result;
}

async function setKnobs(hosts: TestHost[]): Promise<void> {
    const d = DOUBLE_SECONDS;
    await Promise.all(
        hosts.map(async (h) => {
            await setKnob(h, KNOBS.installer, `slow ${d.install}`);
            await setKnob(h, KNOBS.health, `delay ${d.healthDelay}`);
            await setKnob(h, "/etc/openvidu-updater-double/seconds", `pull ${d.updaterPull} migrate ${d.updaterMigrate}`);
        }),
    );
}

function failedOf(up: UpResult, what: string): void {
    if (up.failed) throw new Error(`${what}: ${up.failed.name} failed: ${up.failed.stderr}`);
}

const timed = (up: UpResult): TimedStep[] => up.ran.map((r) => ({ name: r.name, started: r.started, ended: r.ended }));

/** First `pulumi up` of 4 masters and `media` media nodes on fresh hosts. */
export async function measureFirstDeploy(media: number, problems: string[]): Promise<DeployRun> {
    return withLab(4 + media, problems, async (lab) => {
        const hosts = lab.hosts.hosts;
        await setKnobs(hosts);
        const up = await new Stack(lab).up({ masters: hosts.slice(0, 4), media: hosts.slice(4) });
        failedOf(up, `first deploy with ${media} media`);
        const steps = timed(up);
        const ms = new Map(steps.map((s) => [s.name, s.ended - s.started]));
        const chain = chainTimes(steps);
        const path = criticalPath(up.plan.steps.map((s) => ({ id: s.id, after: s.after, ms: ms.get(s.name) ?? 0 })));
        const onPath = path.path.map((id) => up.plan.steps[id]).filter((s) => ms.has(s.name));
        return {
            media,
            timeToHealthyMs: timeToHealthyMs(steps),
            criticalPathMs: path.ms,
            criticalPathParts: pathBreakdownMs(onPath.map((s) => ({ name: s.name, ms: ms.get(s.name)! }))),
            criticalPathSteps: onPath.map((s) => s.name),
            chain,
            vendorSerialMs: vendorSerialMs(chain),
        };
    });
}

/** 3.0.0 deployed on 4 masters and 1 media node, then `openviduVersion: 3.8.0` (through the 3.5.0 checkpoint). */
export async function measureUpgrade(problems: string[]): Promise<UpgradeRun> {
    return withLab(5, problems, async (lab) => {
        const hosts = lab.hosts.hosts;
        await setKnobs(hosts);
        const masters = hosts.slice(0, 4);
        const stack = new Stack(lab);
        failedOf(await stack.up({ masters, media: hosts.slice(4), config: { openviduVersion: "3.0.0" } }), "3.0.0 deploy");
        const upgrade = await stack.up({ masters, media: hosts.slice(4), config: { openviduVersion: "3.8.0" } });
        failedOf(upgrade, "upgrade to 3.8.0");
        const labels = masters.map((_, i) => `master-${i + 1}`);
        return { outageMs: outageWindowsMs(timed(upgrade), labels, Object.keys(UPGRADE_ROUNDS)) };
    });
}

async function main(): Promise<void> {
    const { values } = parseArgs({ options: { runs: { type: "string", default: "3" }, media: { type: "string", default: "1,8" } } });
    const runs = Number(values.runs);
    const sizes = values.media.split(",").map(Number);
    const figures: HostFigures = { doubles: DOUBLE_SECONDS, deploys: [], upgrades: [], problems: [] };
    /** A failed run is reported and left out; the others still count. */
    const attempt = async <T>(what: string, measure: () => Promise<T>, into: T[]) => {
        log(what);
        try {
            into.push(await measure());
        } catch (e) {
            log(e instanceof Error ? (e.stack ?? e.message) : String(e));
            figures.problems.push(`${what} failed: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`);
        }
    };
    for (let i = 0; i < runs; i++) {
        // Sizes alternate within a run, so machine noise hits both.
        for (const media of sizes) {
            await attempt(`first deploy, ${media} media (run ${i + 1}/${runs})`, () => measureFirstDeploy(media, figures.problems), figures.deploys);
        }
        await attempt(`upgrade 3.0.0 -> 3.8.0 (run ${i + 1}/${runs})`, () => measureUpgrade(figures.problems), figures.upgrades);
    }
    for (const p of figures.problems) log(p);
    process.stdout.write(`${JSON.stringify(figures)}\n`);
}

if (require.main === module) {
    main().catch((e: unknown) => {
        process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
        process.exit(1);
    });
}
