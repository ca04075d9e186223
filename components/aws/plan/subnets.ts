/** Subnet placement: the 4 masters over 1 to 4 subnets, and one load balancer subnet per Availability Zone. */

export const MASTER_COUNT = 4;

/** The subnet of each of the 4 masters: the list repeated, as the vendor's SubnetProcessor does ((s * 4)[:4]). */
export function masterSubnets(subnetIds: readonly string[]): string[] {
    if (subnetIds.length === 0) {
        throw new Error("masterSubnets: at least one subnet is required");
    }
    return Array.from({ length: MASTER_COUNT }, (_, i) => subnetIds[i % subnetIds.length]);
}

export interface SubnetPlacement {
    id: string;
    availabilityZone: string;
}

/** A network load balancer takes at most one subnet per Availability Zone: the first one listed wins. */
export function oneSubnetPerZone(subnets: readonly SubnetPlacement[]): string[] {
    const seen = new Set<string>();
    return subnets.filter((s) => !seen.has(s.availabilityZone) && seen.add(s.availabilityZone)).map((s) => s.id);
}

/** Warnings about where the masters and media nodes land; empty when the masters sit in 4 distinct zones. */
export function placementWarnings(masters: readonly SubnetPlacement[], media: readonly SubnetPlacement[]): string[] {
    const warnings: string[] = [];
    const masterZones = new Set(masters.map((s) => s.availabilityZone));
    if (masterZones.size < MASTER_COUNT) {
        warnings.push(
            `masterSubnetIds: the 4 masters share ${masterZones.size} Availability Zone(s) (${[...masterZones].sort().join(", ")}); ` +
                "give 4 subnets in 4 distinct zones so one zone outage cannot take 2 masters down",
        );
    }
    const outside = [...new Set(media.map((s) => s.availabilityZone))].filter((z) => !masterZones.has(z)).sort();
    if (outside.length > 0) {
        warnings.push(
            `mediaSubnetIds: media nodes in ${outside.join(", ")} cannot receive RTMP from the load balancer, which only ` +
                "spans the masters' zones; add master subnets in those zones or keep media subnets within them",
        );
    }
    return warnings;
}
