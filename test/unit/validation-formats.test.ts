/**
 * The field formats and the first, string-typed pass of validation, called directly with literal inputs and the
 * exact messages users read.
 */
import * as assert from "assert";
import {
    cidrNetwork,
    credentialValue,
    hostIp,
    isCidr,
    isFqdn,
    isIpAddress,
    looksLikeSshPrivateKey,
    privateHostIp,
    sha256Hex,
} from "../../components/config/formats";
import { parseRawConfig } from "../../components/config/parse-raw";
import { CHANGE_TABLE_BEGIN, CHANGE_TABLE_END, readmeWithChangeTable, renderChangeTable } from "../../components/config/change-classes";

/** The first message zod gives for a value, or undefined when it passes. */
function messageOf(schema: { safeParse(v: unknown): { success: boolean; error?: { issues: { message: string }[] } } }, value: unknown): string | undefined {
    const result = schema.safeParse(value);
    return result.success ? undefined : result.error!.issues.map((i) => i.message).join("; ");
}

describe("field formats", () => {
    it("IP addresses: dotted quads and IPv6 only", () => {
        for (const ok of ["10.0.0.1", "203.0.113.7", "::1", "fd00::1", "2001:db8::1"]) {
            assert.strictEqual(isIpAddress(ok), true, ok);
        }
        for (const bad of ["1.2.3", "10.0.0.256", "example.com", "", "10.0.0.1/32"]) {
            assert.strictEqual(isIpAddress(bad), false, bad);
        }
    });

    it("host IPs: each refusal with its message", () => {
        assert.strictEqual(messageOf(hostIp, "203.0.113.7"), undefined);
        assert.strictEqual(messageOf(hostIp, "1.2.3"), "is not a valid IPv4 or IPv6 address");
        assert.strictEqual(messageOf(hostIp, "fd00::1%eth0"), "must not carry a zone id ('%eth0'): give the bare address");
        assert.strictEqual(messageOf(hostIp, "::ffff:203.0.113.11"), "is an IPv4-mapped IPv6 address: write it as 203.0.113.11");
        for (const unusable of ["127.0.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "169.254.1.1", "fe80::1", "::1", "::"]) {
            assert.strictEqual(messageOf(hostIp, unusable), "is not a usable host address (loopback, link-local, multicast or unspecified)", unusable);
        }
    });

    it("private host IPs: RFC 1918, carrier-grade NAT and unique local only", () => {
        for (const ok of ["10.1.2.3", "172.16.0.1", "192.168.1.1", "100.64.0.1", "fd00::7"]) {
            assert.strictEqual(messageOf(privateHostIp, ok), undefined, ok);
        }
        for (const outside of ["203.0.113.7", "8.8.8.8", "2001:db8::1", "172.32.0.1"]) {
            assert.strictEqual(
                messageOf(privateHostIp, outside),
                "is outside the private ranges (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10, fc00::/7)",
                outside,
            );
        }
    });

    it("CIDRs and their networks", () => {
        assert.strictEqual(cidrNetwork("198.51.100.7/24"), "198.51.100.0/24");
        assert.strictEqual(cidrNetwork("2001:db8::7/64"), "2001:db8::/64");
        for (const ok of ["10.0.0.0/8", "0.0.0.0/0", "::/0", "2001:db8::/32"]) {
            assert.strictEqual(isCidr(ok), true, ok);
        }
        for (const bad of ["10.0.0.0", "10.0.0/8", "10.0.0.0/33", "x/8", ""]) {
            assert.strictEqual(isCidr(bad), false, bad);
        }
    });

    it("FQDNs: lowercase labels, at least two, an alphabetic TLD, 253 characters at most", () => {
        for (const ok of ["openvidu.example.com", "a.io", "x-1.example.org", `${"a".repeat(63)}.example.com`]) {
            assert.strictEqual(isFqdn(ok), true, ok);
        }
        const long = `${"a".repeat(60)}.${"b".repeat(60)}.${"c".repeat(60)}.${"d".repeat(60)}.com`;
        assert.strictEqual(long.length, 247);
        assert.strictEqual(isFqdn(long), true);
        assert.strictEqual(isFqdn(`${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(59)}.com`), false, "254 characters");
        for (const bad of [
            "localhost",
            "example.com.",
            "Example.com",
            "-a.example.com",
            "a-.example.com",
            "a..com",
            "example.c",
            "example.123",
            `${"a".repeat(64)}.com`,
            "a_b.com",
        ]) {
            assert.strictEqual(isFqdn(bad), false, bad);
        }
    });

    it("credential values: the length bounds and characters in the message", () => {
        const schema = credentialValue(8, 10);
        assert.strictEqual(messageOf(schema, "abcdefgh"), undefined);
        assert.strictEqual(messageOf(schema, "abcdefghij"), undefined);
        assert.strictEqual(messageOf(schema, "A_b-0123"), undefined);
        for (const bad of ["abcdefg", "abcdefghijk", "abcdefg!", "abcd efgh", "abcdéfgh"]) {
            assert.strictEqual(messageOf(schema, bad), "must be 8 to 10 characters of A-Z, a-z, 0-9, '_' or '-'", bad);
        }
    });

    it("SSH private keys and SHA-256 digests", () => {
        assert.strictEqual(looksLikeSshPrivateKey("-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----\n"), true);
        assert.strictEqual(looksLikeSshPrivateKey("-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----"), true);
        assert.strictEqual(looksLikeSshPrivateKey("-----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY-----"), true);
        assert.strictEqual(looksLikeSshPrivateKey("-----BEGIN OPENSSH PRIVATE KEY----------END OPENSSH PRIVATE KEY-----"), false);
        assert.strictEqual(looksLikeSshPrivateKey("ssh-ed25519 AAAA"), false);
        assert.strictEqual(messageOf(sha256Hex, "AB".repeat(32)), undefined);
        assert.strictEqual(messageOf(sha256Hex, "ab".repeat(31)), "must be a SHA-256 digest: 64 hexadecimal characters");
        assert.strictEqual(messageOf(sha256Hex, `${"ab".repeat(32)}0`), "must be a SHA-256 digest: 64 hexadecimal characters");
    });
});

describe("parseRawConfig (values as the CLI passes them: strings, lists as JSON)", () => {
    it("types each value by its key", () => {
        const { typed, problems } = parseRawConfig({
            target: "onprem",
            sshPort: " 2222 ",
            hostFirewall: "false",
            retainDataOnDestroy: "true",
            modules: '["observability"]',
            masterNodes: '[{"publicIp":"203.0.113.1"}]',
            dnsTtl: "-1",
        });
        assert.deepStrictEqual(problems, []);
        assert.deepStrictEqual(typed, {
            target: "onprem",
            sshPort: 2222,
            hostFirewall: false,
            retainDataOnDestroy: true,
            modules: ["observability"],
            masterNodes: [{ publicIp: "203.0.113.1" }],
            dnsTtl: -1,
        });
    });

    it("collects every problem, naming the key", () => {
        const { typed, problems } = parseRawConfig({
            target: "onprem",
            sshPort: "22.5",
            hostFirewall: "True",
            modules: '["a", 1]',
            masterNodes: '{"publicIp":"x"}',
            mediaNodes: "not json",
            cloudflareCheckRegions: "WEU",
            masterSubnetIds: "[]",
            nosuchKey: "1",
        });
        assert.deepStrictEqual(problems, [
            "sshPort: must be an integer",
            "hostFirewall: must be true or false",
            "modules: must be a list of strings",
            "masterNodes: must be a list of objects",
            "mediaNodes: must be a list of objects",
            "cloudflareCheckRegions: must be a list of strings",
            "masterSubnetIds: only used when target is aws",
            "nosuchKey: unknown config key",
        ]);
        assert.deepStrictEqual(typed, { target: "onprem" });
    });

    it("a JSON value that is not a list, by the key's list type", () => {
        assert.deepStrictEqual(parseRawConfig({ modules: '{"a":1}', masterNodes: '"x"' }).problems, [
            "modules: must be a list of strings",
            "masterNodes: must be a list of objects",
        ]);
    });

    it("names both targets for keys of either, and checks no target when it is unknown", () => {
        assert.deepStrictEqual(parseRawConfig({ target: "aws", sshUser: "x" }).problems, ["sshUser: only used when target is onprem"]);
        assert.deepStrictEqual(parseRawConfig({ target: "gcp", sshUser: "x", vpcId: "v" }).problems, []);
    });
});

describe("the README's change-class table", () => {
    it("starts with the header, upgrade first, escapes pipes", () => {
        const lines = renderChangeTable().split("\n");
        assert.deepStrictEqual(lines.slice(0, 3), [
            "| key | class | what happens |",
            "|---|---|---|",
            "| `openviduVersion` | cluster-wide upgrade | every node upgraded with the vendor's updater: media drained and stopped, masters stopped, updater on all nodes in parallel, masters started and health-gated, then media; through 3.5.0 first when coming from 3.4.x or older |",
        ]);
        assert.ok(lines.includes("| `license` | applied in place | OPENVIDU_PRO_LICENSE in config/cluster/openvidu.env on every master; master-1 restarts |"));
        assert.ok(lines.includes("| `vpcId` | cloud resources (AWS) | every resource in the VPC is replaced (a new cluster) |"));
        assert.strictEqual(
            lines[lines.length - 1],
            "| `clusterDataBucketName` | cloud resources (AWS) | a different bucket for boot scripts and cluster data |",
        );
    });

    it("replaces only what lies between the markers, and names them when one is missing", () => {
        const readme = `intro\n${CHANGE_TABLE_BEGIN}\nold\n${CHANGE_TABLE_END}\noutro`;
        assert.strictEqual(readmeWithChangeTable(readme), `intro\n${CHANGE_TABLE_BEGIN}\n${renderChangeTable()}\n${CHANGE_TABLE_END}\noutro`);
        const message = "README.md must contain the markers <!-- change-classes:begin (generated by npm run sync:config) --> and <!-- change-classes:end -->";
        assert.throws(
            () => readmeWithChangeTable("no markers"),
            (err: Error) => err.message === message,
        );
        assert.throws(
            () => readmeWithChangeTable(`${CHANGE_TABLE_END}\n${CHANGE_TABLE_BEGIN}`),
            (err: Error) => err.message === message,
        );
        assert.throws(
            () => readmeWithChangeTable(`${CHANGE_TABLE_BEGIN}\nonly the beginning`),
            (err: Error) => err.message === message,
        );
    });
});
