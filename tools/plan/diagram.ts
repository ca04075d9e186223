/**
 * A Mermaid flowchart of a plan (`npm run plan -- --stack <name> --diagram`): the way in (DNS records or load
 * balancers), the 4 masters, the media nodes or pool, the ports each role opens to the others, and the order in
 * which the steps run. Everything comes from the plan's recorded resources and outputs, so the diagram shows what
 * the program would create, not a drawing kept by hand.
 */
import { Plan, PlanResource } from "./render";

type Role = "clients" | "loadBalancer" | "masters" | "media";

interface RecordOutput {
    name: string;
    type: string;
    content: string;
}

interface NodeOutput {
    label: string;
    publicIp: string;
    privateIp: string;
}

interface FirewallRuleOutput {
    protocol: string;
    ports: string;
    sourceRoles: string[];
}

/** Mermaid node ids: letters, digits and underscores. */
const id = (text: string): string => text.replace(/[^A-Za-z0-9]/g, "_");

/** Mermaid label text: quotes would end the label. */
const text = (value: string): string => value.replace(/"/g, "#quot;");

const ROLE_OF_SOURCE: Record<string, Role> = { public: "clients", masters: "masters", media: "media", loadBalancer: "loadBalancer" };

/** Ports between roles, "tcp 80, udp 443, tcp 50000-60000" per (from, to). */
class PortEdges {
    private readonly edges = new Map<string, Set<string>>();

    add(from: Role, to: Role, port: string): void {
        const key = `${from}>${to}`;
        this.edges.set(key, (this.edges.get(key) ?? new Set()).add(port));
    }

    lines(): string[] {
        return [...this.edges].map(([key, ports]) => {
            const [from, to] = key.split(">");
            return `    ${from} -.->|"${[...ports].join(", ")}"| ${to}`;
        });
    }
}

function portsFromFirewallRules(rules: Record<string, FirewallRuleOutput[]>, edges: PortEdges): void {
    for (const [role, list] of Object.entries(rules)) {
        const to: Role = role === "master" ? "masters" : "media";
        for (const rule of list) {
            for (const source of rule.sourceRoles) {
                edges.add(ROLE_OF_SOURCE[source] ?? "clients", to, `${rule.protocol} ${rule.ports}`);
            }
        }
    }
}

/** AWS: from the security group ingress rules (group ids resolve to `<group resource name>-id` in a plan). */
function portsFromSecurityGroups(resources: PlanResource[], edges: PortEdges): void {
    const roleOfGroup = (groupId: unknown): Role | undefined => {
        const name = typeof groupId === "string" ? groupId : "";
        return name.endsWith("-lb-id") ? "loadBalancer" : name.endsWith("-masters-id") ? "masters" : name.endsWith("-media-id") ? "media" : undefined;
    };
    for (const r of resources.filter((x) => x.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")) {
        const inputs = r.inputs as Record<string, unknown>;
        const to = roleOfGroup(inputs.securityGroupId);
        const from = inputs.referencedSecurityGroupId ? roleOfGroup(inputs.referencedSecurityGroupId) : "clients";
        if (!to || !from) continue;
        const protocol = inputs.ipProtocol === "-1" ? "all" : String(inputs.ipProtocol);
        const ports = inputs.fromPort === inputs.toPort ? String(inputs.fromPort) : `${String(inputs.fromPort)}-${String(inputs.toPort)}`;
        edges.add(from, to, protocol === "all" ? "all" : `${protocol} ${ports}`);
    }
}

/** The host steps of a node resource name: "masters-1-install" -> ["masters", "install"]. */
function hostStep(name: string): { role: "masters" | "media"; step: string } | undefined {
    const m = /^(masters|media)-.*-([a-z]+)$/.exec(name);
    return m ? { role: m[1] as "masters" | "media", step: m[2] } : undefined;
}

/**
 * The order of the host steps (on-prem): one node per role and step, an edge for each dependency between steps;
 * "all N" when a step waits for that step on every node of a role, "same node" when for one node's (its own).
 */
function stepOrder(resources: PlanResource[]): string[] {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const commands = resources.filter((r) => r.type === "command:remote:Command" && hostStep(r.name));
    const nodesOf = (role: string) => new Set(commands.filter((c) => hostStep(c.name)!.role === role).map((c) => c.name.replace(/-[a-z]+$/, ""))).size;
    const steps: string[] = [];
    const edges = new Map<string, number>();
    for (const c of commands) {
        const own = hostStep(c.name)!;
        const stepId = `step_${own.role}_${own.step}`;
        if (!steps.includes(stepId)) steps.push(stepId);
        const waits = new Map<string, number>();
        for (const dep of c.dependsOn.map((u) => byUrn.get(u)).filter((d): d is PlanResource => d?.type === "command:remote:Command")) {
            const other = hostStep(dep.name);
            if (other) waits.set(`step_${other.role}_${other.step}`, (waits.get(`step_${other.role}_${other.step}`) ?? 0) + 1);
        }
        for (const [from, count] of waits) edges.set(`${from}>${stepId}`, Math.max(edges.get(`${from}>${stepId}`) ?? 0, count));
    }
    if (steps.length === 0) return [];
    const lines = ['    subgraph order["order of the host steps"]', "        direction LR"];
    for (const s of steps) {
        const [, role, step] = s.split("_");
        lines.push(`        ${s}["${role}: ${step}"]`);
    }
    for (const [key, count] of edges) {
        const [from, to] = key.split(">");
        const role = from.split("_")[1];
        const label = count === 1 ? "same node" : count === nodesOf(role) ? `all ${count}` : `${count} of ${nodesOf(role)}`;
        lines.push(`        ${from} -->|"${label}"| ${to}`);
    }
    lines.push("    end");
    return lines;
}

/**
 * The order of the program's components: each component (a top-level resource) after the components it waits for,
 * level by level (AWS; on-prem shows the host steps instead).
 */
function componentOrder(resources: PlanResource[]): string[] {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const top = (r: PlanResource): PlanResource => {
        let current = r;
        while (current.parent && byUrn.has(current.parent)) current = byUrn.get(current.parent)!;
        return current;
    };
    const components = resources.filter((r) => !r.parent || !byUrn.has(r.parent));
    const waitsFor = new Map(components.map((c) => [c.urn, new Set<string>()]));
    for (const r of resources) {
        const owner = top(r).urn;
        for (const dep of r.dependsOn) {
            const d = byUrn.get(dep);
            if (d && top(d).urn !== owner) waitsFor.get(owner)!.add(top(d).urn);
        }
    }
    const level = new Map<string, number>();
    const levelOf = (urn: string, seen = new Set<string>()): number => {
        if (level.has(urn)) return level.get(urn)!;
        if (seen.has(urn)) return 0;
        seen.add(urn);
        const deps = [...(waitsFor.get(urn) ?? [])];
        const value = deps.length === 0 ? 1 : 1 + Math.max(...deps.map((d) => levelOf(d, seen)));
        level.set(urn, value);
        return value;
    };
    const levels = new Map<number, string[]>();
    for (const c of components) levels.set(levelOf(c.urn), [...(levels.get(levelOf(c.urn)) ?? []), c.name]);
    const sorted = [...levels].sort(([a], [b]) => a - b);
    const lines = ['    subgraph order["order of the steps"]', "        direction LR"];
    sorted.forEach(([n, names]) => lines.push(`        order_${n}["${n}. ${names.join(", ")}"]`));
    sorted.slice(1).forEach(([n], i) => lines.push(`        order_${sorted[i][0]} --> order_${n}`));
    lines.push("    end");
    return lines;
}

function onpremLines(plan: Plan, edges: PortEdges): string[] {
    const outputs = plan.outputs as {
        dnsRecords?: RecordOutput[];
        masterNodes?: NodeOutput[];
        mediaNodes?: NodeOutput[];
        firewallRules?: Record<string, FirewallRuleOutput[]>;
    };
    const records = outputs.dnsRecords ?? [];
    const providers = [
        ...new Set(
            plan.resources
                .map((r) => r.type)
                .filter((t) => /^(cloudflare|aws:route53)/.test(t))
                .map((t) => `${t.split(":")[0]} ${t.split(":").pop()!}`),
        ),
    ];
    const lines = [`    subgraph entry["DNS (${providers.length ? text(providers.join(", ")) : "records to create yourself"})"]`];
    records.forEach((r, i) => lines.push(`        dns_${i}["${text(`${r.type} ${r.name} → ${r.content}`)}"]`));
    lines.push("    end", `    subgraph masters["masters (${outputs.masterNodes?.length ?? 0})"]`);
    for (const n of outputs.masterNodes ?? []) lines.push(`        ${id(n.label)}["${text(`${n.label}<br/>${n.publicIp} / ${n.privateIp}`)}"]`);
    lines.push("    end", `    subgraph media["media nodes (${outputs.mediaNodes?.length ?? 0})"]`);
    for (const n of outputs.mediaNodes ?? []) lines.push(`        ${id(n.label)}["${text(`${n.label}<br/>${n.publicIp} / ${n.privateIp}`)}"]`);
    lines.push("    end", "    clients --> entry");
    records.forEach((r, i) => {
        const master = (outputs.masterNodes ?? []).find((n) => n.publicIp === r.content);
        if (master) lines.push(`    dns_${i} --> ${id(master.label)}`);
    });
    if (!records.some((r) => (outputs.masterNodes ?? []).some((n) => n.publicIp === r.content))) lines.push("    entry --> masters");
    portsFromFirewallRules(outputs.firewallRules ?? {}, edges);
    return lines;
}

function awsLines(plan: Plan, edges: PortEdges): string[] {
    const of = (type: string) => plan.resources.filter((r) => r.type === type);
    const records = (plan.outputs as { dnsRecords?: RecordOutput[] }).dnsRecords ?? [];
    const lines = ['    subgraph entry["DNS"]'];
    records.forEach((r, i) => lines.push(`        dns_${i}["${text(`${r.type} ${r.name} → load balancer`)}"]`));
    lines.push("    end", '    subgraph loadBalancer["load balancers"]');
    for (const lb of of("aws:lb/loadBalancer:LoadBalancer"))
        lines.push(`        ${id(lb.name)}["${text(`${lb.name} (${String((lb.inputs as { loadBalancerType?: string }).loadBalancerType ?? "")})`)}"]`);
    const groups = new Map(of("aws:lb/targetGroup:TargetGroup").map((g) => [g.name, g]));
    for (const l of of("aws:lb/listener:Listener")) {
        const inputs = l.inputs as { port?: number; protocol?: string; defaultActions?: { targetGroupArn?: string }[] };
        lines.push(`        ${id(l.name)}["${text(`${String(inputs.protocol)} ${String(inputs.port)}`)}"]`);
    }
    lines.push("    end");
    const masters = of("aws:ec2/instance:Instance");
    lines.push(`    subgraph masters["masters (${masters.length})"]`);
    for (const m of masters) lines.push(`        ${id(m.name)}["${text(m.name)}"]`);
    lines.push("    end", '    subgraph media["media pool"]');
    for (const g of of("aws:autoscaling/group:Group")) {
        const inputs = g.inputs as { minSize?: number; maxSize?: number };
        lines.push(`        ${id(g.name)}["${text(`${g.name}: Auto Scaling ${String(inputs.minSize)}..${String(inputs.maxSize)} nodes`)}"]`);
    }
    lines.push("    end", "    clients --> entry");
    const lbNames = of("aws:lb/loadBalancer:LoadBalancer").map((lb) => lb.name);
    records.forEach((r, i) => {
        const lb = lbNames.find((n) => r.content.startsWith(n));
        lines.push(`    dns_${i} --> ${lb ? id(lb) : "loadBalancer"}`);
    });
    // Listener -> target group -> role: a group's name says which role it forwards to ("nlb-masters-https").
    for (const l of of("aws:lb/listener:Listener")) {
        const arn = (l.inputs as { defaultActions?: { targetGroupArn?: string }[] }).defaultActions?.[0]?.targetGroupArn ?? "";
        const group = [...groups.values()].find((g) => arn.includes(`/${g.name}-`));
        if (!group) continue;
        const role = group.name.includes("-masters-") ? "masters" : "media";
        lines.push(`    ${id(l.name)} -->|"${text(`to ${String((group.inputs as { port?: number }).port)}`)}"| ${role}`);
    }
    portsFromSecurityGroups(plan.resources, edges);
    return lines;
}

/** The Mermaid diagram of `plan`. */
export function renderDiagram(plan: Plan, stack: string): string {
    const edges = new PortEdges();
    const lines = [
        "flowchart LR",
        `    %% openvidu-ha stack ${stack} (target ${plan.target}), from npm run plan -- --stack ${stack} --diagram`,
        '    clients(["clients"])',
        ...(plan.target === "aws" ? awsLines(plan, edges) : onpremLines(plan, edges)),
        ...edges.lines(),
        ...(plan.target === "aws" ? componentOrder(plan.resources) : stepOrder(plan.resources)),
    ];
    return lines.join("\n") + "\n";
}
