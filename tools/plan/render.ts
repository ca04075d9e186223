/** Renders an offline run: the JSON contract other checks rely on, or a readable tree. */
import { RecordedResource, unwrapWireValue } from "../offline-runtime";

export interface PlanResource {
    urn: string;
    type: string;
    name: string;
    parent: string | null;
    inputs: unknown;
    dependsOn: string[];
    options: RecordedResource["options"];
}

export interface Plan {
    target: string;
    resources: PlanResource[];
    outputs: Record<string, unknown>;
}

export function toPlan(target: string, resources: RecordedResource[], outputs: Record<string, unknown>, showSecrets: boolean): Plan {
    return {
        target,
        resources: resources.map((r) => ({
            urn: r.urn,
            type: r.type,
            name: r.name,
            parent: r.parent,
            inputs: unwrapWireValue(r.inputs, showSecrets),
            dependsOn: r.dependsOn,
            options: r.options,
        })),
        outputs,
    };
}

function flags(r: PlanResource): string {
    const f: string[] = [];
    if (r.options.protect) f.push("protect");
    if (r.options.retainOnDelete) f.push("retainOnDelete");
    if (r.options.deleteBeforeReplace) f.push("deleteBeforeReplace");
    return f.length ? ` [${f.join(", ")}]` : "";
}

/** `secrets` says how the stack's `secure:` values were read (decrypted, or placeholders and why). */
export function renderTree(plan: Plan, stack: string, secrets?: string): string {
    const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
    const children = new Map<string | null, PlanResource[]>();
    for (const r of plan.resources) {
        const parent = r.parent && byUrn.has(r.parent) ? r.parent : null;
        children.set(parent, [...(children.get(parent) ?? []), r]);
    }
    const lines = [`openvidu-ha stack ${stack} (target ${plan.target}): ${plan.resources.length} resources`];
    if (secrets) lines.push(`secure: values: ${secrets}`);
    const walk = (parent: string | null, indent: string) => {
        const list = children.get(parent) ?? [];
        list.forEach((r, i) => {
            const last = i === list.length - 1;
            const waits = r.dependsOn.filter((d) => d !== r.parent).map((d) => byUrn.get(d)?.name ?? d);
            const shown = waits.length > 5 ? [...waits.slice(0, 5), `+${waits.length - 5} more`] : waits;
            const after = waits.length ? `  (after ${shown.join(", ")})` : "";
            lines.push(`${indent}${last ? "└─" : "├─"} ${r.name}: ${r.type}${flags(r)}${after}`);
            walk(r.urn, indent + (last ? "   " : "│  "));
        });
    };
    walk(null, "");
    lines.push("", "Outputs:");
    for (const [key, value] of Object.entries(plan.outputs)) {
        lines.push(`  ${key}: ${JSON.stringify(value, null, 2).replace(/\n/g, "\n  ")}`);
    }
    return lines.join("\n") + "\n";
}
