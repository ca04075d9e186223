/**
 * Changing the media node list touches nothing else: adding a node changes no input of any other resource,
 * removing or reordering nodes renames none of the others. Compared across two runs of the program.
 */
import * as assert from "assert";
import { RecordedResource } from "../../tools/offline-runtime";
import { ONPREM_SECRET_KEYS, onpremConfig } from "../support/fixtures";
import { sharedRun } from "../support/program";

const node = (i: number) => ({ publicIp: `198.51.100.${20 + i}`, privateIp: `10.5.1.${i}` });

async function resources(mediaNodes: unknown[], extra: Record<string, unknown> = {}): Promise<Map<string, RecordedResource>> {
    const run = await sharedRun(onpremConfig({ mediaNodes, ...extra }), ONPREM_SECRET_KEYS);
    return new Map(run.resources.map((r) => [r.urn, r]));
}

/** What the engine compares between two deployments: inputs (secrets still marked), dependencies, parent, options. */
const identity = (r: RecordedResource) => ({ type: r.type, parent: r.parent, inputs: r.inputs, dependsOn: r.dependsOn, options: r.options });

/**
 * URNs whose registration differs between two runs, and URNs only in `after`. A convergence step whose only
 * difference is its dependsOn (a node joined or left the chain) is left out: the engine compares inputs, so such
 * a step does not run (pulumi-cli-facts 4); that it differs in nothing else is asserted here.
 */
function compare(before: Map<string, RecordedResource>, after: Map<string, RecordedResource>) {
    const changed: string[] = [];
    const removed: string[] = [];
    for (const [urn, r] of before) {
        const other = after.get(urn);
        if (!other) {
            removed.push(urn);
        } else {
            try {
                assert.deepStrictEqual(identity(other), identity(r));
            } catch {
                const rewiredOnly =
                    r.name.startsWith("converge-") &&
                    JSON.stringify({ ...identity(other), dependsOn: [] }) === JSON.stringify({ ...identity(r), dependsOn: [] });
                if (!rewiredOnly) changed.push(urn);
            }
        }
    }
    const added = [...after.keys()].filter((u) => !before.has(u));
    const name = (u: string) => u.split("::").pop()!;
    return { changed: changed.map(name), removed: removed.map(name).sort(), added: added.map(name).sort() };
}

const CONVERGE = ["check", ...["checkpoint", "final"].flatMap((r) => ["stop", "update", "start"].map((p) => `${r}-${p}`))];
const steps = (host: string, list = ["preflight", "install", "start", "health"]) =>
    [...[...list, "host-key"].map((s) => `${host}-${s}`), ...CONVERGE.map((s) => `converge-${host}-${s}`)].sort();

describe("media node list changes", () => {
    let two: Map<string, RecordedResource>;
    before(async () => {
        two = await resources([node(1), node(2)]);
    });

    it("adding a media node adds its steps and changes no input of any other resource", async () => {
        const three = await resources([node(1), node(2), node(3)]);
        assert.deepStrictEqual(compare(two, three), { changed: [], removed: [], added: steps("media-10-5-1-3") });
    });

    it("adding a media node in front of the list renames and changes nothing else", async () => {
        const three = await resources([node(3), node(1), node(2)]);
        assert.deepStrictEqual(compare(two, three), { changed: [], removed: [], added: steps("media-10-5-1-3") });
    });

    it("removing a media node removes only its steps", async () => {
        const one = await resources([node(2)]);
        assert.deepStrictEqual(compare(two, one), { changed: [], removed: steps("media-10-5-1-1"), added: [] });
    });

    it("reordering media nodes changes nothing", async () => {
        const reversed = await resources([node(2), node(1)]);
        assert.deepStrictEqual(compare(two, reversed), { changed: [], removed: [], added: [] });
    });

    it("with the host firewall, adding a media node changes only the masters' firewall rulesets", async () => {
        const before = await resources([node(1), node(2)], { hostFirewall: "true" });
        const after = await resources([node(1), node(2), node(3)], { hostFirewall: "true" });
        const diff = compare(before, after);
        assert.deepStrictEqual(diff, {
            changed: ["masters-1-firewall", "masters-2-firewall", "masters-3-firewall", "masters-4-firewall"],
            removed: [],
            added: steps("media-10-5-1-3", ["preflight", "firewall", "install", "start", "health"]),
        });
        for (const name of diff.changed) {
            const [a, b] = [before, after].map((m) => [...m.values()].find((r) => r.name === name)!);
            assert.deepStrictEqual({ ...identity(b), inputs: { ...b.inputs, stdin: "" } }, { ...identity(a), inputs: { ...a.inputs, stdin: "" } }, name);
            assert.ok(!String(a.inputs.stdin).includes("10.5.1.3/32") && String(b.inputs.stdin).includes("10.5.1.3/32"), name);
        }
    });
});
