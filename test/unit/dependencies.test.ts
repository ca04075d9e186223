/**
 * The provisioning order the engine would follow, read from what each resource waits for (explicit dependsOn
 * and inputs fed by other resources), transitively.
 */
import * as assert from "assert";
import { ONPREM_SECRET_KEYS, onpremConfig } from "../support/fixtures";
import { DependencyGraph } from "../support/graph";
import { sharedRun } from "../support/program";

const COMMAND = "command:remote:Command";
const MASTERS = ["masters-1", "masters-2", "masters-3", "masters-4"];
const MEDIA = ["media-10-5-1-1", "media-10-5-1-2", "media-10-5-1-3"];
const STEPS = ["preflight", "install", "start", "health"];
const mediaNodes = [1, 2, 3].map((i) => ({ publicIp: `198.51.100.${20 + i}`, privateIp: `10.5.1.${i}` }));

for (const hostFirewall of [false, true]) {
    describe(`dependency structure${hostFirewall ? " with the host firewall" : ""}`, () => {
        let graph: DependencyGraph;
        let commands: string[];
        const hostOf = (name: string) => [...MASTERS, ...MEDIA].find((h) => name.startsWith(`${h}-`));
        const commandsOfOtherHosts = (host: string) => commands.filter((c) => hostOf(c) !== host);

        before(async () => {
            const run = await sharedRun(onpremConfig({ mediaNodes, hostFirewall: String(hostFirewall) }), ONPREM_SECRET_KEYS);
            graph = new DependencyGraph(run.resources);
            commands = run.ofType(COMMAND).map((r) => r.name);
        });

        it("has exactly the per-host steps", () => {
            const steps = hostFirewall ? ["preflight", "firewall", "install", "start", "health"] : STEPS;
            const expected = [...MASTERS, ...MEDIA].flatMap((h) => steps.map((s) => `${h}-${s}`));
            // Day 2: the convergence chain, per node (labels master-N, media-<ip>): a check, then per round stop, update, start.
            const labels = [...MASTERS.map((m) => m.replace("masters-", "master-")), ...MEDIA];
            const converge = labels.flatMap((l) => [
                `converge-${l}-check`,
                ...["checkpoint", "final"].flatMap((round) => ["stop", "update", "start"].map((p) => `converge-${l}-${round}-${p}`)),
            ]);
            assert.deepStrictEqual([...commands].sort(), [...expected, ...converge].sort());
        });

        it("runs preflight, install, start, health in order on every host", () => {
            for (const host of [...MASTERS, ...MEDIA]) {
                const chain = hostFirewall ? ["preflight", "firewall", "install", "start", "health"] : STEPS;
                for (let i = 1; i < chain.length; i++) {
                    assert.ok(graph.waitsFor(`${host}-${chain[i]}`, `${host}-${chain[i - 1]}`), `${host}: ${chain[i]} after ${chain[i - 1]}`);
                }
                assert.deepStrictEqual(
                    [...graph.transitive(`${host}-preflight`)].filter((d) => commands.includes(d)),
                    [],
                    `${host}-preflight waits for no command`,
                );
            }
        });

        it("installs the 4 masters in parallel once every master's preflight passed: no master install waits for another host's other steps", () => {
            for (const host of MASTERS) {
                const waits = commandsOfOtherHosts(host).filter((c) => graph.waitsFor(`${host}-install`, c));
                assert.deepStrictEqual(
                    waits,
                    MASTERS.filter((m) => m !== host).map((m) => `${m}-preflight`),
                    `${host}-install`,
                );
            }
        });

        it("starts each master only after all 4 are installed", () => {
            for (const host of MASTERS) {
                for (const other of MASTERS) {
                    assert.ok(graph.waitsFor(`${host}-start`, `${other}-install`), `${host}-start after ${other}-install`);
                }
                const later = commandsOfOtherHosts(host).filter((c) => /-(start|health)$/.test(c) && graph.waitsFor(`${host}-start`, c));
                assert.deepStrictEqual(later, [], `${host}-start waits for no other host's start or health gate`);
            }
        });

        it("gives each master its own health gate", () => {
            for (const host of MASTERS) {
                assert.deepStrictEqual(graph.direct(`${host}-health`), [`${host}-host-key`, `${host}-start`]);
                const others = commandsOfOtherHosts(host).filter((c) => c.endsWith("-start") || c.endsWith("-health"));
                assert.deepStrictEqual(
                    others.filter((c) => graph.waitsFor(`${host}-health`, c)),
                    [],
                    `${host}-health`,
                );
            }
        });

        it("installs every media node once all 4 master health gates pass", () => {
            for (const host of MEDIA) {
                for (const master of MASTERS) {
                    assert.ok(graph.waitsFor(`${host}-install`, `${master}-health`), `${host}-install after ${master}-health`);
                }
            }
        });

        it("lets no media node wait for another media node", () => {
            for (const host of MEDIA) {
                for (const step of hostFirewall ? [...STEPS, "firewall"] : STEPS) {
                    // Through the convergence chain (media installs join the converged cluster) a media node reaches the
                    // other media nodes' converge steps and the host-key pins they verify; both run nothing unless those
                    // nodes change. Only the node's own line is checked here.
                    const reached = new Set<string>();
                    const walk = (name: string) =>
                        graph.direct(name).forEach((d) => {
                            if (d.startsWith("converge-") || reached.has(d)) return;
                            reached.add(d);
                            if (!d.startsWith("urn:")) walk(d);
                        });
                    walk(`${host}-${step}`);
                    const waits = [...reached].filter((d) => MEDIA.some((m) => m !== host && d.startsWith(`${m}-`)));
                    assert.deepStrictEqual(waits, [], `${host}-${step}`);
                }
            }
        });

        it("waits for the generated credentials its installer arguments carry (inputs fed by other resources)", () => {
            assert.ok(graph.direct("masters-1-install").includes("credentials-livekitApiSecret"));
            assert.ok(graph.direct(`${MEDIA[0]}-install`).includes("credentials-redisPassword"));
        });

        it("lets no master wait for a media node", () => {
            for (const host of MASTERS) {
                for (const step of STEPS) {
                    const waits = [...graph.transitive(`${host}-${step}`)].filter((d) => MEDIA.some((m) => d.startsWith(`${m}-`)));
                    assert.deepStrictEqual(waits, [], `${host}-${step}`);
                }
            }
        });
    });
}
