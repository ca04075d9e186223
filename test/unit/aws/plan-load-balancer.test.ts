/** Listeners, target groups and health checks as the vendor's template; the TURN balancer; lifecycle timing; console link. */
import * as assert from "assert";
import { listenerCertificateArn, listenerPorts, loadBalancerPlan } from "../../../components/aws/plan/load-balancer";
import { secretConsoleUrl } from "../../../components/aws/plan/console";
import { lifecycleTiming } from "../../../components/aws/plan/timing";
import { VENDOR_CHECK_TIMINGS, VENDOR_MASTER_HEALTH_CHECK, VENDOR_MEDIA_RTMP_HEALTH_CHECK } from "./vendor-health-checks";

/**
 * AWS's NLB security policies that negotiate TLS 1.2 and 1.3 only (Elastic Load Balancing, "Security policies for
 * your Network Load Balancer", TLS 1.3 policies). The vendor's template sets none (vendor facts 1.3 "Load balancer"),
 * which gives CloudFormation's and the API's default, ELBSecurityPolicy-2016-08, with TLS 1.0 and 1.1.
 */
const TLS12_AND_13_ONLY_POLICIES = [
    "ELBSecurityPolicy-TLS13-1-2-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06",
];

describe("aws plan: load balancers", () => {
    it("forwards TCP 80 and TLS 443 to the masters and TLS 1935 to the media RTMP port", () => {
        const plan = loadBalancerPlan(false);
        const rows = plan.listeners.map((l) => {
            const tg = plan.targetGroups.find((t) => t.key === l.targetGroup)!;
            return `${l.loadBalancer} ${l.protocol} ${l.port} ${l.certificate ?? "-"} -> ${tg.role}:${tg.port}`;
        });
        assert.deepStrictEqual(rows, ["main TCP 80 - -> master:80", "main TLS 443 domain -> master:443", "main TLS 1935 domain -> media:1945"]);
        assert.deepStrictEqual(listenerPorts(plan), [80, 443, 1935]);
        // The keys name the listener and target group resources: a new key would replace them.
        assert.deepStrictEqual(
            loadBalancerPlan(true).listeners.map((l) => `${l.key}>${l.targetGroup}`),
            ["http>masters-http", "https>masters-https", "rtmps>media-rtmp", "turn-tls>media-turn"],
        );
    });

    it("lists the ports clients reach once each, in numeric order", () => {
        const listener = (port: number) => ({ key: `l${port}`, loadBalancer: "main" as const, port, protocol: "TCP" as const, targetGroup: "g" });
        assert.deepStrictEqual(listenerPorts({ targetGroups: [], listeners: [listener(1935), listener(80), listener(443), listener(443)] }), [80, 443, 1935]);
    });

    it("checks health as the vendor does: /health/caddy on 7880 for masters, :9092/ for media; 10 s, 5 s, 3, 4; deregistration 60 s", () => {
        const plan = loadBalancerPlan(false);
        const check = (key: string) => plan.targetGroups.find((t) => t.key === key)!;
        for (const key of ["masters-http", "masters-https"]) {
            assert.deepStrictEqual(check(key).healthCheck, VENDOR_MASTER_HEALTH_CHECK);
        }
        assert.deepStrictEqual(check("media-rtmp").healthCheck, VENDOR_MEDIA_RTMP_HEALTH_CHECK);
        assert.ok(plan.targetGroups.every((t) => t.deregistrationDelay === 60));
    });

    it("adds a TURN balancer with TLS 443 (turn certificate) to media 5349 when a TURN domain is set", () => {
        const plan = loadBalancerPlan(true);
        const turn = plan.listeners.filter((l) => l.loadBalancer === "turn");
        assert.deepStrictEqual(turn, [
            {
                key: "turn-tls",
                loadBalancer: "turn",
                port: 443,
                protocol: "TLS",
                certificate: "turnDomain",
                sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
                targetGroup: "media-turn",
            },
        ]);
        // TURN has no HTTP endpoint: a TCP check on the traffic port, with the vendor's timings.
        assert.deepStrictEqual(
            plan.targetGroups.find((t) => t.key === "media-turn"),
            {
                key: "media-turn",
                role: "media",
                port: 5349,
                healthCheck: { protocol: "TCP", port: "traffic-port", ...VENDOR_CHECK_TIMINGS },
                deregistrationDelay: 60,
            },
        );
        assert.deepStrictEqual(
            loadBalancerPlan(false).targetGroups.map((t) => t.key),
            ["masters-http", "masters-https", "media-rtmp"],
        );
        assert.deepStrictEqual(listenerPorts(plan), [80, 443, 1935]);
    });

    it("every TLS listener takes a policy without TLS 1.0/1.1 and a configured certificate; TCP listeners neither", () => {
        const plan = loadBalancerPlan(true);
        const certificates = { domain: "arn:aws:acm:eu-west-1:1:certificate/main", turnDomain: "arn:aws:acm:eu-west-1:1:certificate/turn" };
        assert.deepStrictEqual(
            plan.listeners.map((l) => [
                l.key,
                l.protocol,
                l.sslPolicy !== undefined && TLS12_AND_13_ONLY_POLICIES.includes(l.sslPolicy),
                listenerCertificateArn(l, certificates),
            ]),
            [
                ["http", "TCP", false, undefined],
                ["https", "TLS", true, "arn:aws:acm:eu-west-1:1:certificate/main"],
                ["rtmps", "TLS", true, "arn:aws:acm:eu-west-1:1:certificate/main"],
                ["turn-tls", "TLS", true, "arn:aws:acm:eu-west-1:1:certificate/turn"],
            ],
        );
        assert.strictEqual(plan.listeners[0].sslPolicy, undefined);
    });

    it("refuses a TLS listener whose certificate is not configured, naming the listener and the certificate", () => {
        const turn = loadBalancerPlan(true).listeners.find((l) => l.key === "turn-tls")!;
        assert.throws(
            () => listenerCertificateArn(turn, { domain: "arn:aws:acm:eu-west-1:1:certificate/main" }),
            (e: Error) => e.message === "load balancer listener turn-tls needs the turnDomain certificate",
        );
    });
});

describe("aws plan: lifecycle timing", () => {
    it("bounds a drain of drainTimeoutMinutes: heartbeat timeout at least 5 minutes, three heartbeats per timeout", () => {
        assert.deepStrictEqual(lifecycleTiming(60), { drainTimeoutSeconds: 3600, heartbeatTimeoutSeconds: 300, heartbeatIntervalSeconds: 100 });
        assert.deepStrictEqual(lifecycleTiming(1), { drainTimeoutSeconds: 60, heartbeatTimeoutSeconds: 300, heartbeatIntervalSeconds: 100 });
    });

    it("grows the heartbeat timeout once 100 of the 5-minute minimum no longer cover the drain and its 10-minute margin", () => {
        // (490 + 10) min = 30000 s = 100 x 300 s: the minimum still holds; one minute more needs 301 s (rounded up).
        assert.deepStrictEqual(lifecycleTiming(490), { drainTimeoutSeconds: 29400, heartbeatTimeoutSeconds: 300, heartbeatIntervalSeconds: 100 });
        assert.deepStrictEqual(lifecycleTiming(491), { drainTimeoutSeconds: 29460, heartbeatTimeoutSeconds: 301, heartbeatIntervalSeconds: 100 });
        assert.deepStrictEqual(lifecycleTiming(500), { drainTimeoutSeconds: 30000, heartbeatTimeoutSeconds: 306, heartbeatIntervalSeconds: 102 });
    });

    it("takes the longest drain AWS's 48-hour lifecycle ceiling holds with the margin: 2870 minutes", () => {
        const t = lifecycleTiming(2870);
        assert.deepStrictEqual(t, { drainTimeoutSeconds: 172200, heartbeatTimeoutSeconds: 1728, heartbeatIntervalSeconds: 576 });
        // 100 heartbeat timeouts (AWS's cap on one lifecycle action) reach 48 hours exactly.
        assert.strictEqual(100 * t.heartbeatTimeoutSeconds, 48 * 3600);
    });

    it("refuses drains the 48-hour ceiling cannot hold, and drains that are not a whole number of minutes, with the exact message", () => {
        for (const bad of [2871, 0, -5, 1.5, Number.NaN]) {
            assert.throws(
                () => lifecycleTiming(bad),
                (e: Error) => e.message === `lifecycleTiming: drainTimeoutMinutes must be an integer between 1 and 2870, got ${bad}`,
                String(bad),
            );
        }
    });
});

describe("aws plan: console link", () => {
    it("points at the secret in its region and partition's console", () => {
        assert.strictEqual(
            secretConsoleUrl("aws", "eu-west-1", "cluster-secret-store-abc"),
            "https://eu-west-1.console.aws.amazon.com/secretsmanager/secret?name=cluster-secret-store-abc&region=eu-west-1",
        );
        assert.strictEqual(
            secretConsoleUrl("aws-cn", "cn-north-1", "s"),
            "https://cn-north-1.console.amazonaws.cn/secretsmanager/secret?name=s&region=cn-north-1",
        );
        assert.strictEqual(
            secretConsoleUrl("aws-us-gov", "us-gov-west-1", "s"),
            "https://us-gov-west-1.console.amazonaws-us-gov.com/secretsmanager/secret?name=s&region=us-gov-west-1",
        );
    });

    it("falls back to the commercial console for another partition, and escapes the secret name", () => {
        assert.strictEqual(
            secretConsoleUrl("aws-iso", "us-iso-east-1", "a b/c&d"),
            "https://us-iso-east-1.console.aws.amazon.com/secretsmanager/secret?name=a%20b%2Fc%26d&region=us-iso-east-1",
        );
    });
});
