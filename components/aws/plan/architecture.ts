/**
 * CPU architecture of an EC2 instance type and the Ubuntu image that fits it. Graviton (arm64) types need arm64
 * images; everything else here is x86_64.
 */

export type Architecture = "arm64" | "x86_64";

/** Graviton families whose names do not follow the `<letters><generation>g<suffix>` pattern. */
const GRAVITON_SPECIAL_FAMILIES = new Set(["a1", "p6e-gb200"]);

/** Graviton families: c6g, c7gn, m6gd, t4g, g5g, im4gn, x2gd, r8g ... (a generation digit followed by `g`). */
const GRAVITON_FAMILY = /^[a-z]+\d+g[a-z]*$/;

/** The family of an instance type: `c6a` for `c6a.xlarge`. */
export function instanceFamily(instanceType: string): string {
    return instanceType.split(".")[0];
}

export function isGraviton(instanceType: string): boolean {
    const family = instanceFamily(instanceType);
    return GRAVITON_SPECIAL_FAMILIES.has(family) || GRAVITON_FAMILY.test(family);
}

export function architectureOf(instanceType: string): Architecture {
    return isGraviton(instanceType) ? "arm64" : "x86_64";
}

/**
 * Canonical's public SSM parameter with the current Ubuntu 24.04 (noble) AMI for an architecture, gp3 root
 * (vendor facts 1.2).
 */
export function ubuntuAmiParameter(arch: Architecture): string {
    const ubuntuArch = arch === "arm64" ? "arm64" : "amd64";
    return `/aws/service/canonical/ubuntu/server/noble/stable/current/${ubuntuArch}/hvm/ebs-gp3/ami-id`;
}

/**
 * Nvidia GPU families, as the vendor's template lists them (IsMasterNodeNvidia / IsMediaNodeNvidia, vendor facts
 * 1.2). Other accelerators (g4ad: AMD, inf, trn) boot plain Ubuntu.
 */
const NVIDIA_FAMILIES = new Set([
    "g4dn",
    "g5",
    "g5g",
    "g6",
    "g6e",
    "g6f",
    "gr6",
    "gr6f",
    "g7e",
    "p4d",
    "p4de",
    "p5",
    "p5e",
    "p5en",
    "p6-b200",
    "p6-b300",
    "p6e-gb200",
]);

export function isNvidiaGpu(instanceType: string): boolean {
    return NVIDIA_FAMILIES.has(instanceFamily(instanceType));
}

/** AWS's public SSM parameter with NVIDIA's deep-learning base image (Ubuntu 24.04 with the GPU driver), as the vendor uses. */
export function nvidiaAmiParameter(arch: Architecture): string {
    return `/aws/service/deeplearning/ami/${arch}/base-oss-nvidia-driver-gpu-ubuntu-24.04/latest/ami-id`;
}

/** The image parameter for a node of this type: NVIDIA's deep-learning image for Nvidia GPUs, else Ubuntu 24.04. */
export function nodeImageParameter(instanceType: string): string {
    const arch = architectureOf(instanceType);
    return isNvidiaGpu(instanceType) ? nvidiaAmiParameter(arch) : ubuntuAmiParameter(arch);
}

/** Root volume of a media node, GB: the vendor's 50, or 100 on Nvidia types (the driver image is larger). */
export function mediaRootVolumeGb(instanceType: string): number {
    return isNvidiaGpu(instanceType) ? 100 : 50;
}
