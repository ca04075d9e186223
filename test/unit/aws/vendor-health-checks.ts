/**
 * The vendor's target group health checks, as literals (vendor facts 1.3 "Load balancer": masters HTTP
 * `:7880/health/caddy`, media RTMP HTTP `:9092/`, every check 10 s apart, 5 s timeout, 3 healthy, 4 unhealthy).
 * Expected values for the plan test and the component test alike; never read from components/aws.
 */

/** The timings every vendor check shares. */
export const VENDOR_CHECK_TIMINGS = { interval: 10, timeout: 5, healthyThreshold: 3, unhealthyThreshold: 4 } as const;

/** The masters' HTTP and HTTPS target groups: Caddy's health endpoint. */
export const VENDOR_MASTER_HEALTH_CHECK = { protocol: "HTTP", port: "7880", path: "/health/caddy", matcher: "200", ...VENDOR_CHECK_TIMINGS } as const;

/** The media RTMP target group. */
export const VENDOR_MEDIA_RTMP_HEALTH_CHECK = { protocol: "HTTP", port: "9092", path: "/", matcher: "200", ...VENDOR_CHECK_TIMINGS } as const;
