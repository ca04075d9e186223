/**
 * Health-checked DNS at Cloudflare: a monitor and a pool of the masters (both account-level objects, hence
 * `accountId`) and one DNS-only load balancer per name in the zone. The load balancer answers for its hostname in
 * place of plain A records, with the masters the monitor finds healthy.
 */
import { LoadBalancer } from "@pulumi/cloudflare/loadBalancer";
import { LoadBalancerMonitor } from "@pulumi/cloudflare/loadBalancerMonitor";
import { LoadBalancerPool } from "@pulumi/cloudflare/loadBalancerPool";
import * as pulumi from "@pulumi/pulumi";
import { CloudflareHealthPlan } from "../core/dns-health";

export interface CloudflareLoadBalancerArgs {
    /** Cloudflare account id (32 hex characters): pools and monitors belong to the account, not the zone. */
    accountId: string;
    /** Zone id (32 hex characters) of the zone holding the hostnames. */
    zoneId: string;
    /** Monitor, pool and load balancers to create (see cloudflareHealthPlan). */
    plan: CloudflareHealthPlan;
}

export class CloudflareLoadBalancer extends pulumi.ComponentResource {
    public readonly monitor: LoadBalancerMonitor;
    public readonly pool: LoadBalancerPool;
    public readonly loadBalancers: LoadBalancer[];

    constructor(name: string, args: CloudflareLoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openvidu-ha:index:CloudflareLoadBalancer", name, {}, opts);
        const { plan } = args;
        this.monitor = new LoadBalancerMonitor(`${name}-monitor`, { accountId: args.accountId, ...plan.monitor }, { parent: this });
        this.pool = new LoadBalancerPool(`${name}-pool`, { accountId: args.accountId, ...plan.pool, monitor: this.monitor.id }, { parent: this });
        this.loadBalancers = plan.loadBalancers.map(
            ({ key, ...lb }) =>
                new LoadBalancer(
                    `${name}-${key}`,
                    { zoneId: args.zoneId, ...lb, defaultPools: [this.pool.id], fallbackPool: this.pool.id },
                    // A replacement would otherwise collide with itself on the hostname.
                    { parent: this, deleteBeforeReplace: true },
                ),
        );
        this.registerOutputs({ monitorId: this.monitor.id, poolId: this.pool.id, loadBalancerIds: this.loadBalancers.map((l) => l.id) });
    }
}
