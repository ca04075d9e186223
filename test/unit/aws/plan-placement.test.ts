/** Instance architectures and images, master subnet cycling, load balancer subnets and placement warnings. */
import * as assert from "assert";
import { architectureOf, isGraviton, mediaRootVolumeGb, nodeImageParameter, ubuntuAmiParameter } from "../../../components/aws/plan/architecture";
import { masterSubnets, oneSubnetPerZone, placementWarnings } from "../../../components/aws/plan/subnets";

/** Vendor facts 1.2, IsMasterGraviton / IsMediaGraviton. */
const VENDOR_GRAVITON = [
    "t4g",
    "c6g",
    "c6gd",
    "c6gn",
    "c7g",
    "c7gd",
    "c7gn",
    "c8g",
    "c8gd",
    "m6g",
    "m6gd",
    "m7g",
    "m7gd",
    "m8g",
    "m8gd",
    "r6g",
    "r6gd",
    "r7g",
    "r7gd",
    "r8g",
    "g5g",
    "p6e-gb200",
];
const X86 = [
    "t3",
    "t3a",
    "c5",
    "c5a",
    "c5ad",
    "c5d",
    "c5n",
    "c6a",
    "c6i",
    "c6id",
    "c6in",
    "c7a",
    "c7i",
    "c7i-flex",
    "g4dn",
    "g5",
    "g6",
    "g6e",
    "m6a",
    "m7i-flex",
    "p5en",
    "p6-b200",
    "r7iz",
    "i4i",
];

describe("aws plan: architecture", () => {
    it("treats every Graviton family of the vendor's list (and a1, x2gd, im4gn) as arm64", () => {
        for (const family of [...VENDOR_GRAVITON, "a1", "x2gd", "im4gn"]) {
            assert.ok(isGraviton(`${family}.xlarge`), family);
            assert.strictEqual(architectureOf(`${family}.2xlarge`), "arm64", family);
        }
    });

    it("treats Intel, AMD and Nvidia x86 families as x86_64", () => {
        for (const family of X86) {
            assert.strictEqual(architectureOf(`${family}.xlarge`), "x86_64", family);
        }
    });

    it("boots Nvidia GPU families (vendor facts 1.2, IsMediaNodeNvidia) from NVIDIA's deep-learning image, on a 100 GB root", () => {
        const NVIDIA = ["g4dn", "g5", "g5g", "g6", "g6e", "g6f", "gr6", "gr6f", "g7e", "p4d", "p4de", "p5", "p5e", "p5en", "p6-b200", "p6-b300", "p6e-gb200"];
        for (const family of NVIDIA) {
            const arch = ["g5g", "p6e-gb200"].includes(family) ? "arm64" : "x86_64";
            assert.strictEqual(
                nodeImageParameter(`${family}.xlarge`),
                `/aws/service/deeplearning/ami/${arch}/base-oss-nvidia-driver-gpu-ubuntu-24.04/latest/ami-id`,
                family,
            );
            assert.strictEqual(mediaRootVolumeGb(`${family}.xlarge`), 100, family);
        }
        for (const family of ["c6a", "c7g", "g4ad", "inf2", "trn1", "m7i-flex"]) {
            assert.strictEqual(mediaRootVolumeGb(`${family}.xlarge`), 50, family);
            assert.match(nodeImageParameter(`${family}.xlarge`), /^\/aws\/service\/canonical\/ubuntu\/server\/noble\//, family);
        }
        assert.strictEqual(nodeImageParameter("c7g.large"), "/aws/service/canonical/ubuntu/server/noble/stable/current/arm64/hvm/ebs-gp3/ami-id");
    });

    it("takes Ubuntu 24.04 from Canonical's public SSM parameter for the architecture", () => {
        assert.strictEqual(ubuntuAmiParameter("x86_64"), "/aws/service/canonical/ubuntu/server/noble/stable/current/amd64/hvm/ebs-gp3/ami-id");
        assert.strictEqual(ubuntuAmiParameter("arm64"), "/aws/service/canonical/ubuntu/server/noble/stable/current/arm64/hvm/ebs-gp3/ami-id");
    });
});

describe("aws plan: subnets", () => {
    it("cycles 1 to 4 master subnets over the 4 masters, as the vendor's SubnetProcessor", () => {
        assert.deepStrictEqual(masterSubnets(["a"]), ["a", "a", "a", "a"]);
        assert.deepStrictEqual(masterSubnets(["a", "b"]), ["a", "b", "a", "b"]);
        assert.deepStrictEqual(masterSubnets(["a", "b", "c"]), ["a", "b", "c", "a"]);
        assert.deepStrictEqual(masterSubnets(["a", "b", "c", "d"]), ["a", "b", "c", "d"]);
        assert.throws(
            () => masterSubnets([]),
            (e: Error) => e.message === "masterSubnets: at least one subnet is required",
        );
    });

    it("gives a load balancer one subnet per zone, the first listed", () => {
        const subnets = [
            { id: "s1", availabilityZone: "eu-west-1a" },
            { id: "s2", availabilityZone: "eu-west-1b" },
            { id: "s3", availabilityZone: "eu-west-1a" },
        ];
        assert.deepStrictEqual(oneSubnetPerZone(subnets), ["s1", "s2"]);
    });

    it("warns about nothing with 4 masters in 4 zones and media within them", () => {
        const masters = ["a", "b", "c", "d"].map((z, i) => ({ id: `m${i}`, availabilityZone: `eu-west-1${z}` }));
        assert.deepStrictEqual(placementWarnings(masters, [masters[0], masters[3]]), []);
    });

    it("warns when masters share zones, naming the key and the zones", () => {
        const masters = [
            { id: "m1", availabilityZone: "eu-west-1a" },
            { id: "m2", availabilityZone: "eu-west-1b" },
        ];
        // Zones named in order, whatever the order of the subnets.
        const [warning] = placementWarnings([masters[1], masters[0]], masters);
        assert.strictEqual(
            warning,
            "masterSubnetIds: the 4 masters share 2 Availability Zone(s) (eu-west-1a, eu-west-1b); " +
                "give 4 subnets in 4 distinct zones so one zone outage cannot take 2 masters down",
        );
    });

    it("warns when media nodes sit in zones the load balancer does not span", () => {
        const masters = ["a", "b", "c", "d"].map((z, i) => ({ id: `m${i}`, availabilityZone: `eu-west-1${z}` }));
        const warnings = placementWarnings(masters, [
            { id: "x", availabilityZone: "eu-west-1f" },
            { id: "y", availabilityZone: "eu-west-1a" },
            { id: "z", availabilityZone: "eu-west-1e" },
            { id: "w", availabilityZone: "eu-west-1f" },
        ]);
        assert.deepStrictEqual(warnings, [
            "mediaSubnetIds: media nodes in eu-west-1e, eu-west-1f cannot receive RTMP from the load balancer, which only " +
                "spans the masters' zones; add master subnets in those zones or keep media subnets within them",
        ]);
    });
});
