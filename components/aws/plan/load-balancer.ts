/**
 * Listeners, target groups and health checks of the network load balancers, as the vendor's template sets them
 * (vendor facts 1.3 "Load balancer"), plus the TURN-over-TLS balancer the seed describes.
 */
import { NodeRole } from "../../core/types";

/** Current TLS policy: TLS 1.3 and 1.2 only (the vendor leaves the NLB default). */
export const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

export interface HealthCheckPlan {
    protocol: "HTTP" | "TCP";
    /** "traffic-port" or a port number. */
    port: string;
    path?: string;
    matcher?: string;
    interval: number;
    timeout: number;
    healthyThreshold: number;
    unhealthyThreshold: number;
}

export interface TargetGroupPlan {
    key: string;
    role: NodeRole;
    /** Port the targets receive on (TCP: TLS ends at the load balancer). */
    port: number;
    healthCheck: HealthCheckPlan;
    deregistrationDelay: number;
}

export interface ListenerPlan {
    key: string;
    /** Which load balancer: the main one (domain) or the TURN one (turnDomain). */
    loadBalancer: "main" | "turn";
    port: number;
    protocol: "TCP" | "TLS";
    /** For TLS listeners: which configured certificate. */
    certificate?: "domain" | "turnDomain";
    /** For TLS listeners: the security policy (TLS_POLICY). */
    sslPolicy?: string;
    targetGroup: string;
}

export interface LoadBalancerPlan {
    targetGroups: TargetGroupPlan[];
    listeners: ListenerPlan[];
}

/** Vendor values: interval 10 s, timeout 5 s, healthy 3, unhealthy 4, HTTP 200; deregistration delay 60 s. */
const vendorCheck = (port: string, path: string): HealthCheckPlan => ({
    protocol: "HTTP",
    port,
    path,
    matcher: "200",
    interval: 10,
    timeout: 5,
    healthyThreshold: 3,
    unhealthyThreshold: 4,
});

export const DEREGISTRATION_DELAY_SECONDS = 60;

/** The balancers' plan; `turn` adds the TURN-over-TLS balancer (443 TLS → media 5349). */
export function loadBalancerPlan(turn: boolean): LoadBalancerPlan {
    const masterCheck = vendorCheck("7880", "/health/caddy");
    const targetGroups: TargetGroupPlan[] = [
        { key: "masters-http", role: "master", port: 80, healthCheck: masterCheck, deregistrationDelay: DEREGISTRATION_DELAY_SECONDS },
        { key: "masters-https", role: "master", port: 443, healthCheck: masterCheck, deregistrationDelay: DEREGISTRATION_DELAY_SECONDS },
        { key: "media-rtmp", role: "media", port: 1945, healthCheck: vendorCheck("9092", "/"), deregistrationDelay: DEREGISTRATION_DELAY_SECONDS },
    ];
    const listeners: ListenerPlan[] = [
        { key: "http", loadBalancer: "main", port: 80, protocol: "TCP", targetGroup: "masters-http" },
        { key: "https", loadBalancer: "main", port: 443, protocol: "TLS", certificate: "domain", sslPolicy: TLS_POLICY, targetGroup: "masters-https" },
        { key: "rtmps", loadBalancer: "main", port: 1935, protocol: "TLS", certificate: "domain", sslPolicy: TLS_POLICY, targetGroup: "media-rtmp" },
    ];
    if (turn) {
        targetGroups.push({
            key: "media-turn",
            role: "media",
            port: 5349,
            healthCheck: { protocol: "TCP", port: "traffic-port", interval: 10, timeout: 5, healthyThreshold: 3, unhealthyThreshold: 4 },
            deregistrationDelay: DEREGISTRATION_DELAY_SECONDS,
        });
        listeners.push({
            key: "turn-tls",
            loadBalancer: "turn",
            port: 443,
            protocol: "TLS",
            certificate: "turnDomain",
            sslPolicy: TLS_POLICY,
            targetGroup: "media-turn",
        });
    }
    return { targetGroups, listeners };
}

/** Ports clients reach on the balancers (the load balancer security group opens these to everyone). */
export function listenerPorts(plan: LoadBalancerPlan): number[] {
    return [...new Set(plan.listeners.map((l) => l.port))].sort((a, b) => a - b);
}

/** The configured certificate ARNs a TLS listener can take. */
export interface ListenerCertificates {
    domain: string;
    turnDomain?: string;
}

/**
 * The certificate ARN of a listener: none for TCP listeners; for TLS ones the configured certificate it names,
 * which must be given.
 */
export function listenerCertificateArn(listener: ListenerPlan, certificates: ListenerCertificates): string | undefined {
    if (listener.certificate === undefined) {
        return undefined;
    }
    const arn = certificates[listener.certificate];
    if (arn === undefined) {
        throw new Error(`load balancer listener ${listener.key} needs the ${listener.certificate} certificate`);
    }
    return arn;
}
