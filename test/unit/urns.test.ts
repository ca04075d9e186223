/** The engine rejects duplicate URNs, the mock monitor does not: check them over a large deployment. */
import * as assert from "assert";
import { ONPREM_SECRET_KEYS, onpremConfig } from "../support/fixtures";
import { runProgram } from "../support/program";

const duplicates = (values: string[]) => values.filter((v, i) => values.indexOf(v) !== i);

describe("URN uniqueness", () => {
    it("holds with 20 media nodes (IPv4 and IPv6), a TURN domain and the host firewall", async () => {
        const ipv4 = Array.from({ length: 14 }, (_, i) => ({ publicIp: `198.51.100.${100 + i}`, privateIp: `10.5.${1 + Math.floor(i / 10)}.${i % 10}` }));
        const ipv6 = Array.from({ length: 6 }, (_, i) => ({ publicIp: `2001:db8::${(i + 1).toString(16)}`, privateIp: `fd00::1:${i}` }));
        const run = await runProgram(
            onpremConfig({ mediaNodes: [...ipv4, ...ipv6], turnDomain: "turn.example.com", hostFirewall: "true" }),
            ONPREM_SECRET_KEYS,
        );
        const commands = run.ofType("command:remote:Command");
        // 5 provisioning steps per node, and 7 convergence steps (check, then stop/update/start in 2 rounds).
        assert.strictEqual(commands.length, 4 * 5 + 20 * 5 + 24 * 7);
        assert.strictEqual(run.ofType("cloudflare:index/dnsRecord:DnsRecord").length, 8);
        assert.deepStrictEqual(duplicates(run.resources.map((r) => r.urn)), []);
        assert.deepStrictEqual(duplicates(run.resources.map((r) => `${r.type} ${r.parent} ${r.name}`)), []);
        // Child names carry their component's name, so two components never produce the same child URN.
        for (const r of run.resources.filter((x) => x.parent !== null)) {
            const parentName = r.parent!.split("::").pop()!;
            assert.ok(r.name.startsWith(`${parentName}-`), `${r.name} under ${parentName}`);
        }
    });
});
