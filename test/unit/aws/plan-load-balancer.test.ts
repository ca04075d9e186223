/** Listeners, target groups and health checks as the vendor's template; the TURN balancer; lifecycle timing; console link. */
import * as assert from "assert";
import { listenerPorts, loadBalancerPlan, TLS_POLICY } from "../../../components/aws/plan/load-balancer";
import { secretConsoleUrl } from "../../../components/aws/plan/console";
import { lifecycleTiming, MAX_AWS_DRAIN_MINUTES } from "../../../components/aws/plan/timing";

describe("aws plan: load balancers", () => {
    it("forwards TCP 80 and TLS 443 to the masters and TLS 1935 to the media RTMP port", () => {
        const plan = loadBalancerPlan(false);
        const rows = plan.listeners.map((l) => {
            const tg = plan.targetGroups.find((t) => t.key === l.targetGroup)!;
            return `${l.loadBalancer} ${l.protocol} ${l.port} ${l.certificate ?? "-"} -> ${tg.role}:${tg.port}`;
        });
        assert.deepStrictEqual(rows, ["main TCP 80 - -> master:80", "main TLS 443 domain -> master:443", "main TLS 1935 domain -> media:1945"]);
        assert.deepStrictEqual(listenerPorts(plan), [80, 443, 1935]);
    });

    it("checks health as the vendor does: /health/caddy on 7880 for masters, :9092/ for media; 10 s, 5 s, 3, 4; deregistration 60 s", () => {
        const plan = loadBalancerPlan(false);
        const check = (key: string) => plan.targetGroups.find((t) => t.key === key)!;
        for (const key of ["masters-http", "masters-https"]) {
            assert.deepStrictEqual(check(key).healthCheck, {
                protocol: "HTTP",
                port: "7880",
                path: "/health/caddy",
                matcher: "200",
                interval: 10,
                timeout: 5,
                healthyThreshold: 3,
                unhealthyThreshold: 4,
            });
        }
        assert.deepStrictEqual(check("media-rtmp").healthCheck, {
            protocol: "HTTP",
            port: "9092",
            path: "/",
            matcher: "200",
            interval: 10,
            timeout: 5,
            healthyThreshold: 3,
            unhealthyThreshold: 4,
        });
        assert.ok(plan.targetGroups.every((t) => t.deregistrationDelay === 60));
    });

    it("adds a TURN balancer with TLS 443 (turn certificate) to media 5349 when a TURN domain is set", () => {
        const plan = loadBalancerPlan(true);
        const turn = plan.listeners.filter((l) => l.loadBalancer === "turn");
        assert.deepStrictEqual(turn, [
            { key: "turn-tls", loadBalancer: "turn", port: 443, protocol: "TLS", certificate: "turnDomain", targetGroup: "media-turn" },
        ]);
        assert.deepStrictEqual(plan.targetGroups.find((t) => t.key === "media-turn")!.port, 5349);
        assert.deepStrictEqual(listenerPorts(plan), [80, 443, 1935]);
    });

    it("uses a current TLS policy", () => {
        assert.strictEqual(TLS_POLICY, "ELBSecurityPolicy-TLS13-1-2-2021-06");
    });
});

describe("aws plan: lifecycle timing", () => {
    it("bounds a drain of drainTimeoutMinutes: heartbeat timeout at least 5 minutes, three heartbeats per timeout", () => {
        assert.deepStrictEqual(lifecycleTiming(60), { drainTimeoutSeconds: 3600, heartbeatTimeoutSeconds: 300, heartbeatIntervalSeconds: 100 });
    });

    it("grows the heartbeat timeout for long drains so 100 of them cover the drain and its margin, within 48 hours", () => {
        const t = lifecycleTiming(MAX_AWS_DRAIN_MINUTES);
        assert.strictEqual(MAX_AWS_DRAIN_MINUTES, 2870);
        assert.strictEqual(t.heartbeatTimeoutSeconds, 1728);
        assert.ok(100 * t.heartbeatTimeoutSeconds >= t.drainTimeoutSeconds + 600);
        assert.ok(100 * t.heartbeatTimeoutSeconds <= 48 * 3600);
        assert.ok(t.heartbeatTimeoutSeconds <= 7200);
    });

    it("refuses drains the 48-hour lifecycle ceiling cannot hold", () => {
        assert.throws(() => lifecycleTiming(2871), /between 1 and 2870/);
        assert.throws(() => lifecycleTiming(0), /between 1 and 2870/);
    });
});

describe("aws plan: console link", () => {
    it("points at the secret in its region and partition", () => {
        assert.strictEqual(
            secretConsoleUrl("aws", "eu-west-1", "cluster-secret-store-abc"),
            "https://eu-west-1.console.aws.amazon.com/secretsmanager/secret?name=cluster-secret-store-abc&region=eu-west-1",
        );
        assert.strictEqual(
            secretConsoleUrl("aws-cn", "cn-north-1", "s"),
            "https://cn-north-1.console.amazonaws.cn/secretsmanager/secret?name=s&region=cn-north-1",
        );
    });
});
