/** The dependency graph the engine would build from recorded resources (explicit dependsOn and input dependencies). */
import { RecordedResource } from "../../tools/offline-runtime";

export class DependencyGraph {
    private readonly byName = new Map<string, RecordedResource>();
    private readonly byUrn = new Map<string, RecordedResource>();

    constructor(resources: readonly RecordedResource[]) {
        for (const r of resources) {
            this.byName.set(r.name, r);
            this.byUrn.set(r.urn, r);
        }
    }

    private resource(name: string): RecordedResource {
        const r = this.byName.get(name);
        if (!r) {
            throw new Error(`no resource named ${name}`);
        }
        return r;
    }

    /** Names this resource waits for directly. */
    direct(name: string): string[] {
        return this.resource(name)
            .dependsOn.map((u) => this.byUrn.get(u)?.name ?? u)
            .sort();
    }

    /** Names this resource waits for, directly or through others. */
    transitive(name: string): Set<string> {
        const seen = new Set<string>();
        const stack = [...this.direct(name)];
        while (stack.length > 0) {
            const next = stack.pop()!;
            if (!seen.has(next)) {
                seen.add(next);
                if (this.byName.has(next)) {
                    stack.push(...this.direct(next));
                }
            }
        }
        return seen;
    }

    waitsFor(name: string, other: string): boolean {
        return this.transitive(name).has(other);
    }
}
