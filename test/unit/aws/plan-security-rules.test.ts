/** Security group rules from the port tables: the vendor's exact set on 3.8, SSH closed by default, no internal port open to the world. */
import * as assert from "assert";
import { releaseLineOf } from "../../../components/core/release-lines";
import { listenerPorts, loadBalancerPlan } from "../../../components/aws/plan/load-balancer";
import { ruleDescription, SecurityPlanInput, SecurityRulePlan, securityRulePlan } from "../../../components/aws/plan/security-rules";
import { EXPECTED_3_0, expand, normalized, VENDOR_3_8, vendor38For } from "./vendor-rules";

const line38 = releaseLineOf("3.8.0")!;
const line30 = releaseLineOf("3.0.0")!;

function input(overrides: Partial<SecurityPlanInput> = {}, line = line38): SecurityPlanInput {
    const turn = overrides.turnDomain ?? false;
    return {
        ports: line.ports,
        modules: line.defaultModules,
        turnDomain: turn,
        rtcEngine: "pion",
        listenerPorts: listenerPorts(loadBalancerPlan(turn)),
        sshAllowedCidrs: [],
        ...overrides,
    };
}

const peerName = (r: SecurityRulePlan) => (r.peer.kind === "group" ? r.peer.group : r.peer.cidr);
const ingress = (rules: SecurityRulePlan[]) =>
    normalized(
        rules
            .filter((r) => r.direction === "ingress")
            .map((r) => ({ group: r.group, protocol: r.protocol, from: r.fromPort!, to: r.toPort!, peer: peerName(r) })),
    );

describe("aws plan: security group rules", () => {
    it("3.8 with default modules and pion: the vendor's template, SSH aside, less TCP 50000-60000 (mediasoup's)", () => {
        assert.deepStrictEqual(ingress(securityRulePlan(input())), expand(vendor38For("pion")));
        assert.strictEqual(expand(VENDOR_3_8).length - expand(vendor38For("pion")).length, 2);
    });

    it("3.8 with mediasoup: the vendor's template, SSH aside, less TCP 7881 (pion's)", () => {
        assert.deepStrictEqual(ingress(securityRulePlan(input({ rtcEngine: "mediasoup" }))), expand(vendor38For("mediasoup")));
        assert.strictEqual(expand(VENDOR_3_8).length - expand(vendor38For("mediasoup")).length, 2);
    });

    it("3.0 with default modules: the seed's tables behind the load balancer", () => {
        assert.deepStrictEqual(ingress(securityRulePlan(input({}, line30))), expand(EXPECTED_3_0));
    });

    it("internal ports take security-group sources: only the listeners and media's public ports admit any address", () => {
        for (const line of [line30, line38]) {
            const open = securityRulePlan(input({}, line)).filter((r) => r.direction === "ingress" && r.peer.kind === "cidr");
            for (const r of open) {
                assert.ok(["0.0.0.0/0", "::/0"].includes(peerName(r)));
                assert.ok(
                    r.group === "loadBalancer" || (r.group === "media" && [443, 7881, 7885, 50000].includes(r.fromPort!)),
                    `${r.key} is open to the world`,
                );
            }
        }
    });

    it("keeps SSH closed unless sshAllowedCidrs opens it, then only from those CIDRs, on masters and media", () => {
        assert.deepStrictEqual(
            securityRulePlan(input()).filter((r) => r.fromPort === 22),
            [],
        );
        const ssh = securityRulePlan(input({ sshAllowedCidrs: ["198.51.100.0/24", "2001:db8::/32"] })).filter((r) => r.fromPort === 22);
        assert.deepStrictEqual(
            ssh.map((r) => `${r.group} ${r.protocol} ${r.toPort} ${peerName(r)} ${r.key}`),
            [
                "master tcp 22 198.51.100.0/24 masters-in-tcp-22-from-198-51-100-0-24",
                "master tcp 22 2001:db8::/32 masters-in-tcp-22-from-2001-db8-32",
                "media tcp 22 198.51.100.0/24 media-in-tcp-22-from-198-51-100-0-24",
                "media tcp 22 2001:db8::/32 media-in-tcp-22-from-2001-db8-32",
            ],
        );
    });

    it("with a TURN domain, the media nodes admit 5349 from the load balancer too; the listener ports stay 80, 443, 1935", () => {
        const base = ingress(securityRulePlan(input()));
        const turn = ingress(securityRulePlan(input({ turnDomain: true })));
        assert.deepStrictEqual(
            turn.filter((r) => !base.includes(r)),
            ["media tcp 5349 loadBalancer"],
        );
    });

    it("drops the rules of disabled modules", () => {
        const rules = ingress(securityRulePlan(input({ modules: ["v2compatibility"] })));
        for (const gone of ["3000", "7946-7947", "9095-9096", "3100", "9009", "9080"]) {
            assert.ok(!rules.some((r) => r.split(" ")[2] === gone), `port ${gone} without its module`);
        }
        assert.ok(rules.includes("master tcp 4443 master"));
    });

    it("egress: nodes reach everything, the load balancer only the ports the nodes open to it", () => {
        const egress = securityRulePlan(input({ turnDomain: true })).filter((r) => r.direction === "egress");
        assert.deepStrictEqual(egress.map((r) => `${r.group} ${r.protocol} ${r.fromPort ?? ""}-${r.toPort ?? ""} ${peerName(r)}`).sort(), [
            "loadBalancer tcp 1945-1945 media",
            "loadBalancer tcp 443-443 master",
            "loadBalancer tcp 5349-5349 media",
            "loadBalancer tcp 7880-7880 master",
            "loadBalancer tcp 80-80 master",
            "loadBalancer tcp 9092-9092 media",
            "master -1 - 0.0.0.0/0",
            "master -1 - ::/0",
            "media -1 - 0.0.0.0/0",
            "media -1 - ::/0",
        ]);
    });

    it("gives every rule a unique key and a description AWS accepts", () => {
        for (const line of [line30, line38]) {
            const rules = securityRulePlan(input({ sshAllowedCidrs: ["203.0.113.7/32"], turnDomain: true }, line));
            assert.strictEqual(new Set(rules.map((r) => r.key)).size, rules.length);
            for (const r of rules) {
                assert.match(r.description, /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]{1,255}$/, r.key);
            }
        }
        assert.strictEqual(ruleDescription("Let's Encrypt <x>"), "Lets Encrypt x");
    });

    it("names each rule after its group, direction, protocol, ports and peer: stable keys, so a re-plan never replaces a rule", () => {
        const keys = securityRulePlan(input({ turnDomain: true, sshAllowedCidrs: ["2001:DB8::/32"] })).map((r) => r.key);
        for (const key of [
            "lb-in-tcp-80-from-any-ipv4",
            "lb-in-tcp-443-from-any-ipv6",
            "masters-in-tcp-7000-7001-from-media",
            "masters-in-tcp-7880-from-lb",
            "media-in-udp-50000-60000-from-any-ipv4",
            "media-in-tcp-5349-from-lb",
            "masters-in-tcp-22-from-2001-db8-32",
            "lb-out-tcp-7880-to-masters",
            "lb-out-tcp-1945-to-media",
            "masters-out-all-to-any-ipv4",
            "media-out-all-to-any-ipv6",
        ]) {
            assert.ok(keys.includes(key), key);
        }
    });

    it("describes SSH and outbound rules, and the balancer's egress by its target", () => {
        const rules = securityRulePlan(input({ sshAllowedCidrs: ["198.51.100.0/24"] }));
        const byKey = (key: string) => rules.find((r) => r.key === key)!;
        assert.strictEqual(byKey("media-in-tcp-22-from-198-51-100-0-24").description, "SSH from an allowed network (sshAllowedCidrs).");
        assert.deepStrictEqual(byKey("media-out-all-to-any-ipv4"), {
            key: "media-out-all-to-any-ipv4",
            group: "media",
            direction: "egress",
            protocol: "-1",
            peer: { kind: "cidr", cidr: "0.0.0.0/0" },
            description: "Outbound: packages, images, AWS APIs, media to clients and the cluster.",
        });
        assert.match(byKey("lb-out-tcp-9092-to-media").description, /^To media: /);
        assert.strictEqual(byKey("lb-in-tcp-1935-from-any-ipv6").description, "Clients to the load balancer listener 1935.");
    });

    it("makes one rule of a listener port given twice (the main and TURN balancers both listen on 443)", () => {
        const rules = securityRulePlan(input({ listenerPorts: [80, 443, 443, 1935] }));
        assert.deepStrictEqual(
            rules.filter((r) => r.group === "loadBalancer" && r.direction === "ingress").map((r) => r.key),
            [
                "lb-in-tcp-80-from-any-ipv4",
                "lb-in-tcp-80-from-any-ipv6",
                "lb-in-tcp-443-from-any-ipv4",
                "lb-in-tcp-443-from-any-ipv6",
                "lb-in-tcp-1935-from-any-ipv4",
                "lb-in-tcp-1935-from-any-ipv6",
            ],
        );
    });

    it("cuts a description to AWS's 255 characters", () => {
        assert.strictEqual(ruleDescription("a".repeat(300)), "a".repeat(255));
    });
});
