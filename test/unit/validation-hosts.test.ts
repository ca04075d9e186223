/** Validation of masterNodes and mediaNodes: count, address formats, private ranges, duplicates. */
import * as assert from "assert";
import { onpremConfig } from "../support/fixtures";
import { problemsOf, validate } from "../support/validation";

const masters = () => onpremConfig().masterNodes as { publicIp: string; privateIp: string }[];

describe("validation: hosts", () => {
    it("accepts the fixture (4 masters, 2 media nodes)", () => {
        assert.deepStrictEqual(problemsOf(onpremConfig()), []);
    });

    it("requires exactly 4 masters", () => {
        assert.deepStrictEqual(problemsOf(onpremConfig({ masterNodes: masters().slice(0, 3) })), ["masterNodes: must list exactly 4 master nodes, got 3"]);
        const five = [...masters(), { publicIp: "203.0.113.15", privateIp: "10.5.0.5" }];
        assert.deepStrictEqual(problemsOf(onpremConfig({ masterNodes: five })), ["masterNodes: must list exactly 4 master nodes, got 5"]);
    });

    it("requires masterNodes and at least one media node", () => {
        assert.deepStrictEqual(problemsOf(onpremConfig({ masterNodes: undefined })), ["masterNodes: is required: a list of 4 {publicIp, privateIp}"]);
        assert.deepStrictEqual(problemsOf(onpremConfig({ mediaNodes: [] })), ["mediaNodes: must list at least 1 media node"]);
    });

    it("rejects malformed IPs, naming the host and field", () => {
        const media = [{ publicIp: "198.51.100.300", privateIp: "10.5.1" }];
        assert.deepStrictEqual(problemsOf(onpremConfig({ mediaNodes: media })).sort(), [
            "mediaNodes[0].privateIp: is not a valid IPv4 or IPv6 address",
            "mediaNodes[0].publicIp: is not a valid IPv4 or IPv6 address",
        ]);
        const m = masters();
        m[2] = { ...m[2], publicIp: "not-an-ip" };
        assert.deepStrictEqual(problemsOf(onpremConfig({ masterNodes: m })), ["masterNodes[2].publicIp: is not a valid IPv4 or IPv6 address"]);
    });

    it("rejects loopback and unspecified addresses", () => {
        const media = [{ publicIp: "127.0.0.1", privateIp: "10.5.1.1" }];
        assert.deepStrictEqual(problemsOf(onpremConfig({ mediaNodes: media })), [
            "mediaNodes[0].publicIp: is not a usable host address (loopback, link-local, multicast or unspecified)",
        ]);
    });

    it("rejects a privateIp outside the private ranges", () => {
        const m = masters();
        m[1] = { ...m[1], privateIp: "8.8.8.8" };
        assert.deepStrictEqual(problemsOf(onpremConfig({ masterNodes: m })), [
            "masterNodes[1].privateIp: is outside the private ranges (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10, fc00::/7)",
        ]);
    });

    it("accepts every private range, IPv6 unique local included", () => {
        const media = ["172.16.0.9", "192.168.1.9", "100.64.0.9", "fd00::9"].map((privateIp, i) => ({ publicIp: `198.51.100.${40 + i}`, privateIp }));
        assert.deepStrictEqual(problemsOf(onpremConfig({ mediaNodes: media })), []);
    });

    it("rejects a duplicate IP between a media node and a master (public and private)", () => {
        const media = [{ publicIp: "203.0.113.11", privateIp: "10.5.0.2" }];
        assert.deepStrictEqual(problemsOf(onpremConfig({ mediaNodes: media })), [
            "mediaNodes[0].publicIp: 203.0.113.11 is already used by masterNodes[0]",
            "mediaNodes[0].privateIp: 10.5.0.2 is already used by masterNodes[1]",
        ]);
    });

    it("rejects a duplicate IP across public and private fields and among masters", () => {
        const m = masters();
        m[3] = { publicIp: "10.5.0.1", privateIp: "10.5.0.4" };
        assert.deepStrictEqual(problemsOf(onpremConfig({ masterNodes: m })), ["masterNodes[3].publicIp: 10.5.0.1 is already used by masterNodes[0]"]);
    });

    it("rejects a duplicate IP among media nodes", () => {
        const media = [
            { publicIp: "198.51.100.21", privateIp: "10.5.1.1" },
            { publicIp: "198.51.100.22", privateIp: "10.5.1.1" },
        ];
        assert.deepStrictEqual(problemsOf(onpremConfig({ mediaNodes: media })), ["mediaNodes[1].privateIp: 10.5.1.1 is already used by mediaNodes[0]"]);
    });

    it("compares IPv6 addresses as addresses, not as text", () => {
        const media = [
            { publicIp: "2001:db8::21", privateIp: "fd00::1" },
            { publicIp: "2001:DB8:0::21", privateIp: "FD00:0:0::1" },
        ];
        assert.deepStrictEqual(problemsOf(onpremConfig({ mediaNodes: media })), [
            "mediaNodes[1].publicIp: 2001:DB8:0::21 is already used by mediaNodes[0]",
            "mediaNodes[1].privateIp: FD00:0:0::1 is already used by mediaNodes[0]",
        ]);
    });

    it("lets one host use the same address as public and private IP", () => {
        const media = [{ publicIp: "10.5.1.1", privateIp: "10.5.1.1" }];
        assert.deepStrictEqual(problemsOf(onpremConfig({ mediaNodes: media })), []);
    });

    it("rejects unknown fields in a host object", () => {
        const media = [{ publicIp: "198.51.100.21", privateIp: "10.5.1.1", privateIP: "10.5.1.2" }];
        assert.deepStrictEqual(problemsOf(onpremConfig({ mediaNodes: media })), [
            "mediaNodes[0]: unknown field 'privateIP' (allowed: publicIp, privateIp, hostKey)",
        ]);
    });
});

describe("validation: host addresses in the settings", () => {
    it("are canonical, so preflight finds them in `ip addr` and names do not depend on the spelling", () => {
        const media = [{ publicIp: "2001:DB8:0:0::21", privateIp: "FD00:0:0:0:0:0:0:1" }];
        const { settings } = validate(onpremConfig({ mediaNodes: media }));
        assert.ok(settings.target === "onprem");
        assert.deepStrictEqual(settings.mediaNodes, [{ publicIp: "2001:db8::21", privateIp: "fd00::1" }]);
        assert.deepStrictEqual(
            settings.masterNodes.map((h) => h.privateIp),
            ["10.5.0.1", "10.5.0.2", "10.5.0.3", "10.5.0.4"],
        );
    });
});
