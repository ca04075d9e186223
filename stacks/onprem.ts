/**
 * On-premises target: credentials, 4 masters and N media nodes provisioned over SSH, DNS at Cloudflare or Route 53 (round robin, or health-checked).
 */
import * as pulumi from "@pulumi/pulumi";
import { LoadedConfig, OnpremSettings, SecretInputs } from "../components/config/settings";
import { Credentials, CredentialValues } from "../components/credentials";
import { cloudflareHealthPlan, dnsNames, HealthProbe, masterHealthProbe, route53Plan } from "../components/core/dns-health";
import { DnsRecordPlan, roundRobinRecords } from "../components/core/dns-records";
import { CloudflareLoadBalancer } from "../components/dns/cloudflare-load-balancer";
import { CloudflareDns } from "../components/dns/cloudflare-records";
import { Route53Dns } from "../components/dns/route53-records";
import { firewallRules, FirewallRule } from "../components/core/firewall-rules";
import { installerArgs, InstallerSecrets } from "../components/core/installer-flags";
import { NodeRole } from "../components/core/types";
import { clusterUrls, ClusterUrls } from "../components/core/urls";
import { installerStdin } from "../components/host/host-scripts";
import { ClusterConvergence } from "../components/onprem/cluster-convergence";
import { MasterNodePool } from "../components/onprem/master-node-pool";
import { MEDIA_NODE_POOL_TYPE, MediaNodePool, mediaNodeSuffix } from "../components/onprem/media-node-pool";
import { nftRuleset } from "../components/onprem/nft-ruleset";
import { pinHostKey, PoolNode } from "../components/onprem/node-provisioning";
import { mediaConvergeStdin, nodeInstallerSettings, nodeOutput, NodeOutput, poolSettings } from "./onprem-wiring";

export interface OnpremOutputs {
    target: "onprem";
    urls: ClusterUrls;
    credentials: pulumi.Output<CredentialValues>;
    dnsRecords: DnsRecordPlan[];
    /** Only with dnsHealthChecks: what the checkers poll and the provider's ids. */
    dnsHealthChecks?: DnsHealthOutput;
    firewallRules: Record<NodeRole, FirewallRule[]>;
    masterNodes: NodeOutput[];
    mediaNodes: NodeOutput[];
}

export type DnsHealthOutput =
    | {
          provider: "cloudflare";
          probe: HealthProbe;
          monitorId: pulumi.Output<string>;
          poolId: pulumi.Output<string>;
          loadBalancerIds: Record<string, pulumi.Output<string>>;
      }
    | { provider: "route53"; probe: HealthProbe; healthCheckIds: Record<string, pulumi.Output<string>> };

/**
 * DNS for the masters: plain round-robin records, or with health checks a Cloudflare load balancer (which replaces
 * the plain records) or Route 53 multivalue records tied to per-master health checks.
 */
function publishDns(s: OnpremSettings): { records: DnsRecordPlan[]; health?: DnsHealthOutput } {
    const masters = s.masterNodes.map((h, i) => ({ label: `master-${i + 1}`, publicIp: h.publicIp }));
    const records = roundRobinRecords(
        s.domain,
        s.turnDomain,
        masters.map((m) => m.publicIp),
        s.dns.ttl,
    );
    const names = dnsNames(s.domain, s.turnDomain);
    const probe = s.dns.health && masterHealthProbe(s.domain, s.dns.health.path, s.certificate.type === "selfsigned");
    if (s.dns.provider === "cloudflare" && probe) {
        const lb = new CloudflareLoadBalancer("dns", {
            accountId: s.dns.health!.cloudflareAccountId!,
            zoneId: s.dns.cloudflareZoneId!,
            plan: cloudflareHealthPlan(names, masters, probe, s.dns.ttl, s.dns.health!.cloudflareCheckRegions!),
        });
        const loadBalancerIds = Object.fromEntries(names.map((n, i) => [n.key, lb.loadBalancers[i].id]));
        return { records, health: { provider: "cloudflare", probe, monitorId: lb.monitor.id, poolId: lb.pool.id, loadBalancerIds } };
    }
    if (s.dns.provider === "cloudflare") {
        new CloudflareDns("dns", { zoneId: s.dns.cloudflareZoneId!, records });
    }
    if (s.dns.provider === "route53") {
        const r53 = new Route53Dns("dns", { zoneId: s.dns.route53ZoneId!, plan: route53Plan(names, masters, s.dns.ttl, probe) });
        const healthCheckIds = Object.fromEntries(Object.entries(r53.healthChecks).map(([label, c]) => [label, c.id]));
        return { records, health: probe && { provider: "route53", probe, healthCheckIds } };
    }
    return { records };
}

/** Every secret an installer may need, unwrapped inside one apply and still secret as a whole. */
function installerSecrets(secrets: SecretInputs, credentials: pulumi.Output<CredentialValues>): pulumi.Output<InstallerSecrets> {
    return pulumi.secret(
        pulumi
            .all([secrets.license, credentials, secrets.ownCert, secrets.turnOwnCert, secrets.zerosslApiKey])
            .apply(([license, creds, ownCert, turnOwnCert, zerosslApiKey]) => ({ license, credentials: creds, ownCert, turnOwnCert, zerosslApiKey })),
    );
}

export function deployOnprem({ settings: s, secrets }: LoadedConfig<OnpremSettings>): OnpremOutputs {
    const credentials = new Credentials("credentials", { line: s.line, overrides: secrets.credentialOverrides });
    const unwrapped = installerSecrets(secrets, credentials.values);
    const addresses = { masters: s.masterNodes.map((h) => h.privateIp), media: s.mediaNodes.map((h) => h.privateIp) };
    const rules = firewallRules(
        s.line.ports,
        { topology: "dns", modules: s.modules, turnDomain: s.turnDomain !== undefined, rtcEngine: s.rtcEngine },
        addresses,
    );

    const node = (role: NodeRole, label: string, address: (typeof s.masterNodes)[number]): PoolNode => ({
        label,
        address,
        installStdin: pulumi.secret(unwrapped.apply((sec) => installerStdin(installerArgs(nodeInstallerSettings(s, role, address, addresses.masters), sec)))),
        firewallRuleset: s.hostFirewall ? nftRuleset(rules[role]) : undefined,
    });
    const masterNodes = s.masterNodes.map((h, i) => node("master", `master-${i + 1}`, h));
    // Media pins are made here, before the convergence chain, so its steps verify the key the pool's steps verify.
    // Named and aliased as when MediaNodePool made them: existing stacks keep their recorded keys.
    const mediaPool = "media";
    // A media node's install and convergence get its own lines and the masters' settings by hash (mediaConvergeStdin):
    // install.sh records those it joined with, so the first master-only change after it restarts it.
    const mediaNodes = s.mediaNodes.map((h): PoolNode => {
        const label = `media-${mediaNodeSuffix(h)}`;
        const pinnedHostKey = pinHostKey(`${mediaPool}-${mediaNodeSuffix(h)}-host-key`, label, h, s.ssh, {
            aliases: [{ parent: pulumi.createUrn(mediaPool, MEDIA_NODE_POOL_TYPE) }],
        });
        const own = node("media", label, h);
        const installStdin = pulumi.secret(pulumi.all([own.installStdin, masterNodes[0].installStdin]).apply(([o, master]) => mediaConvergeStdin(o, master)));
        return { ...own, installStdin, ...(pinnedHostKey !== undefined ? { pinnedHostKey } : {}) };
    });
    const masters = new MasterNodePool("masters", { nodes: masterNodes, settings: poolSettings(s, secrets.sshPrivateKey!, "master") });
    // Day 2: version and config changes of the running cluster (README "Day 2").
    const convergence = new ClusterConvergence("converge", {
        nodes: [
            ...masterNodes.map((n, i) => ({ ...n, role: "master" as const, hostKey: masters.nodes[i].hostKey, convergeStdin: n.installStdin })),
            ...mediaNodes.map((n) => ({
                ...n,
                role: "media" as const,
                hostKey: n.address.hostKey ?? n.pinnedHostKey,
                convergeStdin: n.installStdin,
            })),
        ],
        version: s.openviduVersion,
        line: s.line,
        ssh: s.ssh,
        sshPrivateKey: secrets.sshPrivateKey!,
        updater: s.updater,
        healthTimeoutSeconds: s.healthTimeoutSeconds,
        drainTimeoutSeconds: s.drainTimeoutMinutes * 60,
        after: masters.healthGates,
    });
    const media = new MediaNodePool(mediaPool, {
        nodes: mediaNodes,
        settings: poolSettings(s, secrets.sshPrivateKey!, "media"),
        // New media nodes join the converged cluster (after an upgrade's masters are up again).
        installAfter: [...masters.healthGates, ...convergence.mastersConverged],
        // Its own convergence steps (nothing to do on a node not installed yet) end first: one script per host at a time.
        installAfterNode: convergence.lastStepOf,
    });

    const dns = publishDns(s);
    return {
        target: "onprem",
        urls: clusterUrls(s.domain, s.line, s.modules),
        credentials: credentials.values,
        dnsRecords: dns.records,
        ...(dns.health ? { dnsHealthChecks: dns.health } : {}),
        firewallRules: rules,
        masterNodes: masters.nodes.map(nodeOutput),
        mediaNodes: media.nodes.map(nodeOutput),
    };
}
