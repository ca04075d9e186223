/** Round-robin DNS: 4 A records per name to the masters' public IPs, never proxied, at Cloudflare or as an output. */
import * as assert from "assert";
import { ONPREM_SECRET_KEYS, onpremConfig } from "../support/fixtures";
import { runProgram, sharedRun } from "../support/program";

const DNS_RECORD = "cloudflare:index/dnsRecord:DnsRecord";
const MASTER_PUBLIC_IPS = ["203.0.113.11", "203.0.113.12", "203.0.113.13", "203.0.113.14"];
const ZONE = "023e105f4ecef8ad9ca31a8372d0c353";

const recordsOf = (run: Awaited<ReturnType<typeof runProgram>>) =>
    run.ofType(DNS_RECORD).map((r) => ({ ...r.inputs, deleteBeforeReplace: r.options.deleteBeforeReplace }));

const expected = (name: string, ttl: number) =>
    MASTER_PUBLIC_IPS.map((content) => ({
        zoneId: ZONE,
        name,
        type: "A",
        content,
        ttl,
        proxied: false,
        comment: "managed by openvidu-ha",
        deleteBeforeReplace: true,
    }));

describe("DNS records", () => {
    it("cloudflare: 4 A records named domain, one per master public IP, not proxied, with dnsTtl", async () => {
        const run = await runProgram(onpremConfig({ dnsTtl: "300" }), ONPREM_SECRET_KEYS);
        assert.deepStrictEqual(recordsOf(run), expected("openvidu.example.com", 300));
        assert.deepStrictEqual(
            run.outputs.dnsRecords,
            expected("openvidu.example.com", 300).map((r, i) => ({
                key: `domain-master-${i + 1}`,
                name: r.name,
                type: "A",
                content: r.content,
                ttl: 300,
                proxied: false,
            })),
        );
    });

    it("cloudflare: the same 4 records for turnDomain", async () => {
        const run = await sharedRun(onpremConfig({ turnDomain: "turn.example.com" }), ONPREM_SECRET_KEYS);
        assert.deepStrictEqual(recordsOf(run), [...expected("openvidu.example.com", 60), ...expected("turn.example.com", 60)]);
        assert.strictEqual(new Set(run.ofType(DNS_RECORD).map((r) => r.name)).size, 8);
    });

    it("none: no Cloudflare resource, and the records to create are in the dnsRecords output", async () => {
        const run = await runProgram(
            onpremConfig({ dnsProvider: "none", cloudflareZoneId: undefined, "cloudflare:apiToken": undefined, turnDomain: "turn.example.com" }),
            ["license", "sshPrivateKey"],
        );
        assert.deepStrictEqual(
            run.resources.filter((r) => /cloudflare/i.test(r.type)),
            [],
        );
        assert.deepStrictEqual(
            run.resources.filter((r) => r.type === "openvidu-ha:index:CloudflareDns"),
            [],
        );
        const records = run.outputs.dnsRecords as { name: string; type: string; content: string; ttl: number; proxied: boolean }[];
        assert.deepStrictEqual(
            records.map((r) => [r.name, r.type, r.content, r.ttl, r.proxied]),
            [
                ...MASTER_PUBLIC_IPS.map((ip) => ["openvidu.example.com", "A", ip, 60, false]),
                ...MASTER_PUBLIC_IPS.map((ip) => ["turn.example.com", "A", ip, 60, false]),
            ],
        );
    });
});
