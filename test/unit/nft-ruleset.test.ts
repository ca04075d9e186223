/** The optional host firewall: cluster sources accepted on internal ports, everyone else dropped there, nothing else touched. */
import * as assert from "assert";
import { firewallRules, FirewallRule } from "../../components/core/firewall-rules";
import { RELEASE_LINES } from "../../components/core/release-lines";
import { nftRuleset } from "../../components/onprem/nft-ruleset";

const ADDRESSES = { masters: ["10.5.0.1", "10.5.0.2", "fd00::3", "10.5.0.4"], media: ["10.5.1.1", "fd00::11"] };
/** The 3.8 line's rules for ADDRESSES; computed inside each test, never while mocha loads the file (MUTATION.md). */
function rules38() {
    const line = RELEASE_LINES.find((l) => l.id === "3.8")!;
    return firewallRules(line.ports, { topology: "dns", modules: line.modules, turnDomain: true, rtcEngine: "pion" }, ADDRESSES);
}
const rule = (protocol: "tcp" | "udp", ports: string, sources: string[], role: "public" | "masters" | "media" = "masters"): FirewallRule => ({
    protocol,
    ports,
    sources,
    sourceRoles: [role],
    description: "",
});
const PUBLIC = ["0.0.0.0/0", "::/0"];

const lines = (ruleset: string) => ruleset.split("\n").map((l) => l.trim());
const dropped = (ruleset: string) => lines(ruleset).flatMap((l) => /^(tcp|udp) dport (\S+) drop$/.exec(l)?.slice(1, 3).join("/") ?? []);

describe("nftRuleset", () => {
    it("is one inet table hooked on input, accepting by default and on loopback", () => {
        const rules = rules38();
        const ruleset = nftRuleset(rules.master);
        assert.deepStrictEqual(lines(ruleset).slice(0, 4), [
            "table inet openvidu_ha {",
            "chain input {",
            "type filter hook input priority filter; policy accept;",
            'iifname "lo" accept',
        ]);
        assert.ok(ruleset.endsWith("    }\n}\n"));
    });

    it("drops only internal ports: those whose sources are cluster roles", () => {
        const rules = rules38();
        for (const role of ["master", "media"] as const) {
            const internal = rules[role].filter((r) => !r.sourceRoles.includes("public")).map((r) => `${r.protocol}/${r.ports}`);
            assert.deepStrictEqual(dropped(nftRuleset(rules[role])), [...new Set(internal)], role);
        }
        assert.deepStrictEqual(dropped(nftRuleset(rules.media)), ["tcp/1935", "tcp/5349", "tcp/7880", "tcp/8080"]);
    });

    it("accepts each internal port from its cluster sources, IPv4 and IPv6, before dropping it", () => {
        const rules = rules38();
        const l = lines(nftRuleset(rules.master));
        const at = (line: string) => {
            const i = l.indexOf(line);
            assert.ok(i >= 0, `missing: ${line}`);
            return i;
        };
        const redis4 = at("tcp dport 7000-7001 ip saddr { 10.5.0.1/32, 10.5.0.2/32, 10.5.0.4/32, 10.5.1.1/32 } accept");
        const redis6 = at("tcp dport 7000-7001 ip6 saddr { fd00::3/128, fd00::11/128 } accept");
        assert.ok(redis4 < at("tcp dport 7000-7001 drop") && redis6 < at("tcp dport 7000-7001 drop"));
        // Loki only from media nodes, the dashboard only from masters.
        at("tcp dport 3100 ip saddr { 10.5.1.1/32 } accept");
        at("tcp dport 3100 ip6 saddr { fd00::11/128 } accept");
        at("tcp dport 5000 ip saddr { 10.5.0.1/32, 10.5.0.2/32, 10.5.0.4/32 } accept");
        at("tcp dport 5000 ip6 saddr { fd00::3/128 } accept");
    });

    it("never mentions a public port", () => {
        const rules = rules38();
        const text = nftRuleset(rules.master) + nftRuleset(rules.media);
        for (const port of ["80", "443", "9000", "7881", "7885", "50000-60000"]) {
            assert.ok(!new RegExp(`dport ${port} `).test(text), port);
        }
    });

    it("never drops a port that is also public for the role", () => {
        const ruleset = nftRuleset([
            rule("tcp", "8080", PUBLIC, "public"),
            rule("tcp", "8080", ["10.5.0.1/32"]),
            rule("udp", "50000-60000", PUBLIC, "public"),
            rule("udp", "50100", ["10.5.0.1/32"]),
            rule("tcp", "9100", ["10.5.0.1/32"]),
        ]);
        assert.deepStrictEqual(dropped(ruleset), ["tcp/9100"]);
    });

    it("a port range overlaps a public one at either end, inclusive; other protocols and neighbours are still dropped", () => {
        const ruleset = nftRuleset([
            rule("tcp", "8000-8010", PUBLIC, "public"),
            rule("tcp", "7990-8000", ["10.5.0.1/32"]),
            rule("tcp", "8010-8020", ["10.5.0.1/32"]),
            rule("tcp", "8005", ["10.5.0.1/32"]),
            rule("tcp", "7999", ["10.5.0.1/32"]),
            rule("tcp", "8011", ["10.5.0.1/32"]),
            rule("udp", "8005", ["10.5.0.1/32"]),
            rule("tcp", "7000-8020", ["10.5.0.1/32"]),
        ]);
        assert.deepStrictEqual(dropped(ruleset), ["tcp/7999", "tcp/8011", "udp/8005"]);
    });

    it("the whole ruleset: one group per protocol and ports, sources merged once in order, IPv4 before IPv6, then the drop", () => {
        const ruleset = nftRuleset([
            rule("tcp", "7000-7001", ["10.5.0.1/32", "fd00::3/128"]),
            rule("tcp", "7000-7001", ["10.5.1.1/32", "10.5.0.1/32"], "media"),
            rule("udp", "7000-7001", ["fd00::11/128"], "media"),
            rule("tcp", "3100", ["10.5.1.1/32"], "media"),
            rule("tcp", "443", PUBLIC, "public"),
        ]);
        assert.strictEqual(
            ruleset,
            [
                "table inet openvidu_ha {",
                "    chain input {",
                "        type filter hook input priority filter; policy accept;",
                '        iifname "lo" accept',
                "        tcp dport 7000-7001 ip saddr { 10.5.0.1/32, 10.5.1.1/32 } accept",
                "        tcp dport 7000-7001 ip6 saddr { fd00::3/128 } accept",
                "        tcp dport 7000-7001 drop",
                "        udp dport 7000-7001 ip6 saddr { fd00::11/128 } accept",
                "        udp dport 7000-7001 drop",
                "        tcp dport 3100 ip saddr { 10.5.1.1/32 } accept",
                "        tcp dport 3100 drop",
                "    }",
                "}",
                "",
            ].join("\n"),
        );
    });

    it("with no internal port, only the table, its chain and loopback", () => {
        assert.strictEqual(
            nftRuleset([rule("tcp", "443", PUBLIC, "public")]),
            'table inet openvidu_ha {\n    chain input {\n        type filter hook input priority filter; policy accept;\n        iifname "lo" accept\n    }\n}\n',
        );
    });
});
