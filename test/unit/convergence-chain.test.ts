/**
 * The on-prem convergence chain as the engine would run it: its order, its inputs (what changes on a second up),
 * and its secrets.
 */
import * as assert from "assert";
import { execFileSync } from "child_process";
import { createHash } from "crypto";
import { clusterLines } from "../../components/host/convergence-plan";
import { ONPREM_SECRET_KEYS, onpremConfig } from "../support/fixtures";
import { planUp } from "../support/engine";
import { DependencyGraph } from "../support/graph";
import { ProgramRun, runProgram, sharedRun } from "../support/program";
import { problemsOf } from "../support/validation";

const MASTERS = ["master-1", "master-2", "master-3", "master-4"];
const MEDIA = ["media-10-5-1-1", "media-10-5-1-2"];
const NODES = [...MASTERS, ...MEDIA];
const c = (node: string, step: string) => `converge-${node}-${step}`;

/** The arguments converge.sh gets, name=value. */
function convergeArgs(run: ProgramRun, name: string): Record<string, string> {
    const update = run.inputsOf(name).update as string;
    const start = update.indexOf('    sh "$script" ') + '    sh "$script" '.length;
    const quoted = update.slice(start, update.indexOf("\nelif sudo", start));
    // The shell itself unquotes them.
    const args = execFileSync("sh", ["-c", `set -- ${quoted}; printf '%s\\0' "$@"`])
        .toString()
        .split("\0")
        .slice(0, -1);
    return Object.fromEntries(args.map((a) => [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)]));
}

describe("convergence chain (on-prem day 2)", () => {
    let run: ProgramRun;
    let graph: DependencyGraph;
    before(async () => {
        run = await sharedRun(onpremConfig(), ONPREM_SECRET_KEYS);
        graph = new DependencyGraph(run.resources);
    });

    it("connects to each master with the host key its pool verifies (the key recorded at the first connection)", () => {
        for (const [i, node] of MASTERS.entries()) {
            const connection = run.inputsOf(c(node, "check"), true).connection as { hostKey?: string };
            const install = run.inputsOf(`masters-${i + 1}-install`, true).connection as { hostKey?: string };
            assert.ok(connection.hostKey, `${node}: the convergence check verifies a host key`);
            assert.strictEqual(connection.hostKey, install.hostKey, node);
            assert.ok(graph.direct(c(node, "check")).includes(`masters-${i + 1}-host-key`), `${node} check waits for its pin`);
        }
    });

    it("connects to each media node with the host key its pool verifies (the pin is made before the chain)", () => {
        for (const node of MEDIA) {
            const connection = run.inputsOf(c(node, "check"), true).connection as { hostKey?: string };
            const install = run.inputsOf(`${node}-install`, true).connection as { hostKey?: string };
            assert.ok(connection.hostKey, `${node}: the convergence check verifies a host key`);
            assert.strictEqual(connection.hostKey, install.hostKey, node);
            for (const step of ["check", "checkpoint-stop", "final-update", "final-start"]) {
                assert.ok(graph.direct(c(node, step)).includes(`${node}-host-key`), `${node} ${step} waits for its pin`);
            }
            assert.strictEqual(run.ofType("pulumi-nodejs:dynamic:HostKeyPin").filter((r) => r.name === `${node}-host-key`).length, 1, `${node}: one pin`);
        }
    });

    it("checks every node once the masters are healthy, before anything stops", () => {
        for (const node of NODES) {
            assert.deepStrictEqual(
                graph.direct(c(node, "check")).filter((d) => !d.startsWith("credentials-") && !d.endsWith("-host-key")),
                ["masters-1-health", "masters-2-health", "masters-3-health", "masters-4-health"],
            );
        }
        for (const node of MEDIA) {
            for (const other of NODES) assert.ok(graph.waitsFor(c(node, "checkpoint-stop"), c(other, "check")), `${node} stop after ${other} check`);
        }
    });

    it("per round: media stop, masters stop, every node updates, masters start, then media start", () => {
        for (const round of ["checkpoint", "final"]) {
            for (const m of MASTERS) {
                for (const media of MEDIA) assert.ok(graph.waitsFor(c(m, `${round}-stop`), c(media, `${round}-stop`)));
                for (const n of NODES) assert.ok(graph.waitsFor(c(m, `${round}-start`), c(n, `${round}-update`)));
            }
            for (const n of NODES) {
                for (const m of MASTERS) assert.ok(graph.waitsFor(c(n, `${round}-update`), c(m, `${round}-stop`)));
            }
            for (const media of MEDIA) {
                for (const m of MASTERS) assert.ok(graph.waitsFor(c(media, `${round}-start`), c(m, `${round}-start`)));
            }
        }
        // Updates run in parallel: no node's update waits for another's.
        for (const n of NODES) {
            for (const o of NODES.filter((x) => x !== n)) assert.ok(!graph.waitsFor(c(n, "final-update"), c(o, "final-update")));
        }
        // The final round starts after the checkpoint round's media nodes are up again.
        for (const media of MEDIA) {
            for (const other of MEDIA) assert.ok(graph.waitsFor(c(media, "final-stop"), c(other, "checkpoint-start")));
        }
    });

    it("installs media nodes after the masters converged; masters' own steps never wait for the chain", () => {
        for (const media of MEDIA) {
            for (const m of MASTERS) assert.ok(graph.waitsFor(`${media}-install`, c(m, "final-start")));
            // Its own last convergence step too (it does nothing on a node not installed yet): never two scripts
            // on one host at once. Other media nodes' steps are not waited for.
            assert.ok(graph.waitsFor(`${media}-install`, c(media, "final-start")));
            for (const other of MEDIA.filter((o) => o !== media)) assert.ok(!graph.waitsFor(`${media}-install`, c(other, "final-start")));
        }
        for (const m of ["masters-1", "masters-2", "masters-3", "masters-4"]) {
            assert.ok(![...graph.transitive(`${m}-health`)].some((d) => d.startsWith("converge-")));
        }
    });

    it("carries the target version and the rules in plain arguments, the configuration on secret stdin", () => {
        const args = convergeArgs(run, c("master-1", "check"));
        assert.deepStrictEqual(
            [args.label, args.role, args.phase, args.target, args.leader, args.updater_base, args.updater_sha, args.checkpoint],
            ["master-1", "master", "check", "3.8.0", "yes", "https://get.openvidu.io/update", "-", "3.5.0"],
        );
        assert.strictEqual(args.steps, "3.0.0 3.1.0 3.2.0 3.3.0 3.4.0 3.4.1 3.5.0 3.6.0 3.6.1 3.7.0 3.8.0");
        assert.match(args.rules, /^--openvidu-pro-license in-place license config\/cluster\/openvidu\.env:OPENVIDU_PRO_LICENSE$/m);
        assert.strictEqual(convergeArgs(run, c("master-2", "final-start")).leader, "no");
        assert.strictEqual(convergeArgs(run, c(MEDIA[0], "final-stop")).health_url, "http://127.0.0.1:7880/");
        const masterStdin = run.inputsOf("masters-1-install", true).stdin as string;
        for (const node of NODES) {
            assert.strictEqual(run.inputsOf(c(node, "final-update")).stdin, "[secret]");
            // The same text as the node's install step gets: on media nodes its own lines, then the masters' by hash
            // (install.sh records those it joined with).
            const install = node.startsWith("master-") ? `masters-${node.slice(7)}-install` : `${node}-install`;
            const installStdin = run.inputsOf(install, true).stdin as string;
            assert.strictEqual(run.inputsOf(c(node, "final-update"), true).stdin, installStdin);
            const own = installStdin.replace(/^H .*\n/gm, "");
            assert.match(own, /^(?:[SP] --.*\n)+$/);
            assert.strictEqual(installStdin, node.startsWith("master-") ? own : own + clusterLines(masterStdin));
        }
        // Media nodes learn of master settings by hash only: no master secret reaches them.
        const mediaStdin = run.inputsOf(c(MEDIA[0], "check"), true).stdin as string;
        assert.ok(
            mediaStdin.includes(`H --openvidu-pro-license=${createHash("sha256").update("--openvidu-pro-license=TEST-LICENSE-0123456789").digest("hex")}\n`),
        );
        assert.ok(!mediaStdin.includes("TEST-LICENSE"));
        // Its install step gets the same line (install.sh records it as the masters' setting the node joined with).
        assert.ok(
            (run.inputsOf(`${MEDIA[0]}-install`, true).stdin as string).includes(
                `H --openvidu-pro-license=${createHash("sha256").update("--openvidu-pro-license=TEST-LICENSE-0123456789").digest("hex")}\n`,
            ),
        );
        assert.ok(!run.inputsOf(c("master-1", "check")).update.includes("TEST-LICENSE"));
    });

    it("passes updaterBaseUrl and updaterSha256 on", async () => {
        const custom = await runProgram(
            onpremConfig({
                updaterBaseUrl: "https://mirror.example.com/ov-update/",
                updaterSha256: ["3.8.0=" + "AB".repeat(32), "3.5.0=" + "cd".repeat(32)],
            }),
            ONPREM_SECRET_KEYS,
        );
        const args = convergeArgs(custom, c("media-10-5-1-2", "check"));
        assert.strictEqual(args.updater_base, "https://mirror.example.com/ov-update");
        assert.strictEqual(args.updater_sha, `3.8.0=${"ab".repeat(32)},3.5.0=${"cd".repeat(32)}`);
    });

    it("has the checkpoint round for a 3.0 target too (an upgrade across 3.5.0 updates it; creating it would run nothing)", async () => {
        const old = await sharedRun(onpremConfig({ openviduVersion: "3.0.0" }), ONPREM_SECRET_KEYS);
        const names = old
            .ofType("command:remote:Command")
            .map((r) => r.name)
            .filter((n) => n.startsWith("converge-master-1-"));
        assert.deepStrictEqual(names.sort(), [
            "converge-master-1-check",
            "converge-master-1-checkpoint-start",
            "converge-master-1-checkpoint-stop",
            "converge-master-1-checkpoint-update",
            "converge-master-1-final-start",
            "converge-master-1-final-stop",
            "converge-master-1-final-update",
        ]);
    });

    it("plan of a second up: a license change changes every convergence step's stdin and nothing else of them", async () => {
        const after = await runProgram(onpremConfig({ license: "TEST-LICENSE-RENEWED-42" }), ONPREM_SECRET_KEYS);
        const changed = run
            .ofType("command:remote:Command")
            .filter((r) => JSON.stringify(after.inputsOf(r.name, true)) !== JSON.stringify(run.inputsOf(r.name, true)))
            .map((r) => r.name);
        // Media nodes' steps too: the master-only license reaches them as a hash (they find nothing to do), their
        // install steps included (install.sh finds them installed with the same installer arguments).
        const expected = [
            ...NODES.flatMap((n) =>
                ["check", "checkpoint-stop", "checkpoint-update", "checkpoint-start", "final-stop", "final-update", "final-start"].map((s) => c(n, s)),
            ),
            ...["masters-1", "masters-2", "masters-3", "masters-4", ...MEDIA].map((m) => `${m}-install`),
        ];
        assert.deepStrictEqual(changed.sort(), expected.sort());
        for (const name of changed.filter((n) => n.startsWith("converge-"))) {
            assert.strictEqual(after.inputsOf(name).update, run.inputsOf(name).update, name);
        }
    });

    it("engine plan: a master's new hostKey (a new machine at its address) updates that master's steps only, no replace", async () => {
        const KEY_OLD = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOldOldOldOldOldOldOldOldOldOldOldOldOldOld";
        const KEY_NEW = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINewNewNewNewNewNewNewNewNewNewNewNewNewNew";
        const masters = (key: string) =>
            [1, 2, 3, 4].map((i) => ({ publicIp: `203.0.113.${10 + i}`, privateIp: `10.5.0.${i}`, ...(i === 2 ? { hostKey: key } : {}) }));
        const before = await runProgram(onpremConfig({ masterNodes: masters(KEY_OLD) }), ONPREM_SECRET_KEYS);
        const after = await runProgram(onpremConfig({ masterNodes: masters(KEY_NEW) }), ONPREM_SECRET_KEYS);
        const plan = planUp(before.resources, after.resources);
        const chain = ["check", "checkpoint-stop", "checkpoint-update", "checkpoint-start", "final-stop", "final-update", "final-start"];
        assert.deepStrictEqual(
            plan.describe().sort(),
            [...["preflight", "install", "start", "health"].map((k) => `masters-2-${k}`), ...chain.map((k) => c("master-2", k))]
                .map((n) => `update ${n} [update]`)
                .sort(),
        );
        for (const step of plan.commands()) {
            assert.deepStrictEqual(step.changedKeys, ["connection"], step.name);
            assert.strictEqual(step.run!.inputs.connection.hostKey, KEY_NEW, step.name);
            // An update runs the step's `update` (the chain's), else its `create` again (the provisioning steps').
            const inputs = after.inputsOf(step.name, true);
            assert.strictEqual(step.run!.command, step.name.startsWith("converge-") ? inputs.update : inputs.create, step.name);
        }
    });

    it("validates updaterBaseUrl (HTTPS, no credentials) and updaterSha256 (VERSION=SHA256 on the updater's path, once each)", () => {
        assert.deepStrictEqual(
            problemsOf(
                onpremConfig({
                    updaterBaseUrl: "http://get.openvidu.io/update",
                    updaterSha256: ["3.8.0=abc", "3.8.1=" + "a".repeat(64), "3.5.0=" + "b".repeat(64), "3.5.0=" + "c".repeat(64)],
                }),
            ),
            [
                "updaterBaseUrl: must be an https:// URL (the updater is never fetched over plain http)",
                "updaterSha256[0]: must be VERSION=SHA256 (e.g. 3.8.0= and 64 hexadecimal characters)",
                "updaterSha256[1]: names 3.8.1, which is not on the updater's path (3.0.0, 3.1.0, 3.2.0, 3.3.0, 3.4.0, 3.4.1, 3.5.0, 3.6.0, 3.6.1, 3.7.0, 3.8.0)",
                "updaterSha256: lists a version more than once",
            ],
        );
        assert.deepStrictEqual(problemsOf(onpremConfig({ updaterBaseUrl: "https://user:pw@mirror.example.com/update" })), [
            "updaterBaseUrl: must not carry credentials: the URL appears in plain command strings and logs",
        ]);
    });
});
