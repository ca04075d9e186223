/**
 * The size of the dependency graph the on-prem program registers grows linearly with the media nodes: every
 * dependsOn URN is work for the SDK, the engine and the state file, so N media nodes each waiting for all N
 * others' steps (N^2 URNs: about 514,000 at 500 nodes) made the program's per-node cost grow with N.
 */
import * as assert from "assert";
import { ONPREM_SECRET_KEYS, onpremConfig } from "../support/fixtures";
import { runProgram } from "../support/program";
import { RecordedResource } from "../../tools/offline-runtime";

const mediaNodes = (count: number) => Array.from({ length: count }, (_, i) => ({ publicIp: `198.18.0.${i + 1}`, privateIp: `10.5.1.${i + 1}` }));

/** Dependency URNs the resources carry: dependsOn plus input dependencies (both are sent to the engine). */
const edges = (rs: readonly RecordedResource[]) =>
    rs.reduce((sum, r) => sum + r.dependsOn.length + Object.values(r.propertyDependencies ?? {}).flat().length, 0);

describe("convergence graph size (on-prem)", () => {
    const total: Record<number, number> = {};
    const largest: Record<number, number> = {};
    before(async () => {
        for (const n of [10, 20, 40]) {
            const run = await runProgram(onpremConfig({ mediaNodes: mediaNodes(n), sshHostKeyCheck: "off" }), ONPREM_SECRET_KEYS);
            total[n] = edges(run.resources);
            largest[n] = Math.max(...run.resources.map((r) => r.dependsOn.length));
        }
    });

    it("adds the same number of dependency URNs per media node at 10, 20 and 40 nodes", () => {
        // Linear: edges = a + b*N, so each further node from 10 to 20 and from 20 to 40 adds the same; an N^2 term
        // would add more per node the more nodes there are.
        const perNodeLow = (total[20] - total[10]) / 10;
        const perNodeHigh = (total[40] - total[20]) / 20;
        assert.strictEqual(perNodeHigh, perNodeLow, `per media node: ${perNodeLow} URNs from 10 to 20, ${perNodeHigh} from 20 to 40`);
    });

    it("no resource waits on more than one list of every node (a barrier's)", () => {
        for (const n of [10, 20, 40]) assert.ok(largest[n] <= n + 30, `${n} media nodes: a dependsOn list of ${largest[n]} URNs`);
    });
});
