/**
 * The AWS network components, each alone under the offline runtime (component-run.ts: no program run): security
 * groups, load balancers, the masters' interfaces. Expected values are literals: vendor facts 1.3 ("Security
 * groups", "Load balancer"), the README's design (fixed master interfaces), AWS's resource fields.
 */
import * as assert from "assert";
import { LoadBalancers } from "../../../components/aws/load-balancers";
import { MasterInterfaces } from "../../../components/aws/master-interfaces";
import { loadBalancerPlan } from "../../../components/aws/plan/load-balancer";
import { SecurityGroups } from "../../../components/aws/security-groups";
import { built, one, registered, resolved } from "./component-run";
import { VENDOR_MASTER_HEALTH_CHECK } from "./vendor-health-checks";

const DEPLOYMENT = "openvidu-ha-unit";
const TAG = (name?: string) => ({ "openvidu-ha:deployment": DEPLOYMENT, ...(name === undefined ? {} : { Name: `${DEPLOYMENT} ${name}` }) });

describe("aws component: security groups", () => {
    it("makes the three groups in the VPC, and one rule resource per planned rule with the peer as AWS takes it", async () => {
        const resources = await registered(
            () =>
                new SecurityGroups("sg", {
                    vpcId: "vpc-1",
                    deployment: DEPLOYMENT,
                    rules: [
                        {
                            key: "k1",
                            group: "master",
                            direction: "ingress",
                            protocol: "tcp",
                            fromPort: 7000,
                            toPort: 7001,
                            peer: { kind: "group", group: "media" },
                            description: "Redis",
                        },
                        { key: "k2", group: "media", direction: "egress", protocol: "-1", peer: { kind: "cidr", cidr: "::/0" }, description: "out v6" },
                        {
                            key: "k3",
                            group: "loadBalancer",
                            direction: "ingress",
                            protocol: "tcp",
                            fromPort: 80,
                            toPort: 80,
                            peer: { kind: "cidr", cidr: "0.0.0.0/0" },
                            description: "http",
                        },
                    ],
                }),
        );
        const group = (name: string) => one(resources, "aws:ec2/securityGroup:SecurityGroup", name).inputs;
        assert.deepStrictEqual(group("sg-lb"), { vpcId: "vpc-1", description: "openvidu-ha load balancers: clients to 80, 443 and 1935", tags: TAG("lb") });
        assert.deepStrictEqual(group("sg-masters"), { vpcId: "vpc-1", description: "openvidu-ha master nodes", tags: TAG("masters") });
        assert.deepStrictEqual(group("sg-media"), { vpcId: "vpc-1", description: "openvidu-ha media nodes", tags: TAG("media") });
        assert.deepStrictEqual(one(resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "sg-k1").inputs, {
            securityGroupId: "sg-masters-id",
            ipProtocol: "tcp",
            fromPort: 7000,
            toPort: 7001,
            description: "Redis",
            referencedSecurityGroupId: "sg-media-id",
            tags: TAG(),
        });
        assert.deepStrictEqual(one(resources, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "sg-k2").inputs, {
            securityGroupId: "sg-media-id",
            ipProtocol: "-1",
            description: "out v6",
            cidrIpv6: "::/0",
            tags: TAG(),
        });
        assert.deepStrictEqual(one(resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "sg-k3").inputs, {
            securityGroupId: "sg-lb-id",
            ipProtocol: "tcp",
            fromPort: 80,
            toPort: 80,
            description: "http",
            cidrIpv4: "0.0.0.0/0",
            tags: TAG(),
        });
        assert.strictEqual(resources.filter((r) => r.type.startsWith("aws:vpc/")).length, 3, "no inline or extra rules");
        assert.ok(resources.filter((r) => r.type.startsWith("aws:")).every((r) => r.parent === "sg"));
    });
});

describe("aws component: load balancers", () => {
    const build = (turn: boolean) =>
        built(
            () =>
                new LoadBalancers("nlb", {
                    plan: loadBalancerPlan(turn),
                    vpcId: "vpc-1",
                    mainSubnetIds: ["subnet-m1", "subnet-m2"],
                    turnSubnetIds: ["subnet-x1"],
                    securityGroupId: "sg-lb",
                    certificateArn: "arn:aws:acm:eu-west-1:1:certificate/main",
                    turnCertificateArn: turn ? "arn:aws:acm:eu-west-1:1:certificate/turn" : undefined,
                    deployment: DEPLOYMENT,
                }),
        );

    it("an internet-facing, cross-zone network load balancer in the masters' subnets behind its security group (vendor facts 1.3)", async () => {
        const { resources, result } = await build(false);
        assert.deepStrictEqual(one(resources, "aws:lb/loadBalancer:LoadBalancer", "nlb-main").inputs, {
            loadBalancerType: "network",
            internal: false,
            ipAddressType: "ipv4",
            subnets: ["subnet-m1", "subnet-m2"],
            securityGroups: ["sg-lb"],
            enableCrossZoneLoadBalancing: true,
            tags: TAG("load balancer"),
        });
        assert.strictEqual(resources.filter((r) => r.type === "aws:lb/loadBalancer:LoadBalancer").length, 1, "no TURN balancer without a TURN domain");
        assert.strictEqual(result.turnDnsName, undefined);
        assert.ok(
            resources.filter((r) => r.type.startsWith("aws:")).every((r) => r.parent === "nlb"),
            "every resource is the balancers' child",
        );
        assert.match(await resolved(result.dnsName), /nlb-main/);
    });

    it("target groups as the vendor's: TCP, instance targets, its health checks and 60 s deregistration", async () => {
        const { resources } = await build(false);
        assert.deepStrictEqual(one(resources, "aws:lb/targetGroup:TargetGroup", "nlb-masters-https").inputs, {
            vpcId: "vpc-1",
            targetType: "instance",
            protocol: "TCP",
            port: 443,
            deregistrationDelay: 60,
            healthCheck: { enabled: true, ...VENDOR_MASTER_HEALTH_CHECK },
            tags: TAG("masters-https"),
        });
        assert.deepStrictEqual(
            resources
                .filter((r) => r.type === "aws:lb/targetGroup:TargetGroup")
                .map((r) => `${r.name} ${r.inputs.port}`)
                .sort(),
            ["nlb-masters-http 80", "nlb-masters-https 443", "nlb-media-rtmp 1945"],
        );
    });

    it("listeners: TCP 80 plain, TLS 443 and 1935 with the domain's certificate and a TLS 1.2+ policy, each forwarding to its group", async () => {
        const { resources, result } = await build(true);
        const listener = (name: string) => one(resources, "aws:lb/listener:Listener", name).inputs;
        const http = listener("nlb-http");
        assert.deepStrictEqual(Object.keys(http).sort(), ["defaultActions", "loadBalancerArn", "port", "protocol", "tags"]);
        assert.deepStrictEqual([http.port, http.protocol], [80, "TCP"]);
        for (const [name, port, certificate, balancer, group] of [
            ["nlb-https", 443, "arn:aws:acm:eu-west-1:1:certificate/main", "nlb-main", "nlb-masters-https"],
            ["nlb-rtmps", 1935, "arn:aws:acm:eu-west-1:1:certificate/main", "nlb-main", "nlb-media-rtmp"],
            ["nlb-turn-tls", 443, "arn:aws:acm:eu-west-1:1:certificate/turn", "nlb-turn", "nlb-media-turn"],
        ] as const) {
            const l = listener(name);
            assert.deepStrictEqual(
                [l.port, l.protocol, l.certificateArn, l.sslPolicy],
                [port, "TLS", certificate, "ELBSecurityPolicy-TLS13-1-2-2021-06"],
                name,
            );
            assert.match(l.loadBalancerArn, new RegExp(`/${balancer}-`), name);
            assert.strictEqual(l.defaultActions.length, 1, name);
            assert.strictEqual(l.defaultActions[0].type, "forward", name);
            assert.match(l.defaultActions[0].targetGroupArn, new RegExp(`targetgroup/${group}-`), name);
            assert.deepStrictEqual(l.tags, TAG(name.slice("nlb-".length)), name);
        }
        assert.match(http.defaultActions[0].targetGroupArn, /targetgroup\/nlb-masters-http-/);
        assert.deepStrictEqual(one(resources, "aws:lb/loadBalancer:LoadBalancer", "nlb-turn").inputs.subnets, ["subnet-x1"]);
        assert.ok(
            resources.filter((r) => r.type.startsWith("aws:")).every((r) => r.parent === "nlb"),
            "listeners and target groups are the balancers' children",
        );
        assert.deepStrictEqual(one(resources, "aws:lb/loadBalancer:LoadBalancer", "nlb-turn").inputs.tags, TAG("TURN load balancer"));
        assert.match(await resolved(result.turnDnsName), /nlb-turn/);
        assert.deepStrictEqual(
            result.targetGroups.map((t) => `${t.key} ${t.role} ${t.port}`),
            ["masters-http master 80", "masters-https master 443", "media-rtmp media 1945", "media-turn media 5349"],
        );
        assert.match(await resolved(result.targetGroups[3].arn), /targetgroup\/nlb-media-turn-/);
    });
});

describe("aws component: master interfaces", () => {
    it("one interface per master in its subnet behind the masters' group, its subnet fixed at creation, with an Elastic IP", async () => {
        const { resources, result } = await built(
            () => new MasterInterfaces("mi", { subnetIds: ["subnet-1", "subnet-2", "subnet-1", "subnet-2"], securityGroupId: "sg-m", deployment: DEPLOYMENT }),
        );
        for (const [i, subnet] of ["subnet-1", "subnet-2", "subnet-1", "subnet-2"].entries()) {
            const eni = one(resources, "aws:ec2/networkInterface:NetworkInterface", `mi-${i + 1}`);
            assert.deepStrictEqual(eni.inputs, {
                subnetId: subnet,
                securityGroups: ["sg-m"],
                description: `openvidu-ha master-${i + 1}`,
                tags: TAG(`master-${i + 1}`),
            });
            assert.deepStrictEqual(eni.options.ignoreChanges, ["subnetId"]);
            assert.deepStrictEqual(one(resources, "aws:ec2/eip:Eip", `mi-${i + 1}-public`).inputs, {
                domain: "vpc",
                networkInterface: `mi-${i + 1}-id`,
                tags: TAG(`master-${i + 1}`),
            });
        }
        assert.deepStrictEqual(
            result.masters.map((m) => m.label),
            ["master-1", "master-2", "master-3", "master-4"],
        );
        assert.ok(
            resources.filter((r) => r.type.startsWith("aws:")).every((r) => r.parent === "mi"),
            "interfaces and addresses are the component's children",
        );
        const ips = await resolved(result.masters.map((m) => [m.subnetId, m.privateIp, m.publicIp]));
        assert.strictEqual(ips[1][0], "subnet-2");
        assert.strictEqual(new Set(ips.map((x: string[]) => x[1])).size, 4, "distinct private IPs");
        assert.strictEqual(new Set(ips.map((x: string[]) => x[2])).size, 4, "distinct public IPs");
    });

    it("refuses anything but 4 subnets, naming the count", async () => {
        await assert.rejects(
            built(() => new MasterInterfaces("mi", { subnetIds: ["subnet-1", "subnet-2", "subnet-3"], securityGroupId: "sg-m", deployment: DEPLOYMENT })),
            (e: Error) => e.message === "MasterInterfaces mi: exactly 4 master subnets are required, got 3",
        );
    });
});
