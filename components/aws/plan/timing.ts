/**
 * Boot and drain timing: the masters' health gate; how long a booting media node waits for the masters, how long
 * its health gate waits, the Auto Scaling grace period that covers both, and the terminate hook that bounds a
 * drain.
 */

export const MASTER_BOOT = {
    /** A master's own health gate (Caddy's /health/caddy on 127.0.0.1:7880) after the installation. */
    healthTimeoutSeconds: 1200,
} as const;

/** Name of the terminate hook; hook names are scoped to their group, so a fixed name cannot collide. */
export const LIFECYCLE_HOOK_NAME = "openvidu-ha-drain";

/** Minutes a drained node gets to stop its service and complete the hook after drain.sh's own timeout. */
export const DRAIN_MARGIN_MINUTES = 10;

/** AWS ends any lifecycle action after 48 hours, whatever the heartbeats. */
export const LIFECYCLE_ACTION_CEILING_MINUTES = 48 * 60;

/** The longest drainTimeoutMinutes the AWS target accepts: the drain plus its margin fits in the 48-hour ceiling. */
export const MAX_AWS_DRAIN_MINUTES = LIFECYCLE_ACTION_CEILING_MINUTES - DRAIN_MARGIN_MINUTES;

export const MEDIA_BOOT = {
    /** A new node waits this long for a majority of masters to accept Redis connections before it installs. */
    masterWaitSeconds: 900,
    /** The node's own health gate (LiveKit on 127.0.0.1:7880). */
    healthTimeoutSeconds: 600,
    /**
     * ELB health checks count only after this grace period: master wait + installation + health gate, so nodes
     * launched together with the masters are not replaced while they wait.
     */
    healthCheckGracePeriodSeconds: 1800,
    /** Target tracking: seconds before a new node's CPU counts (vendor: EstimatedInstanceWarmup 120). */
    estimatedWarmupSeconds: 120,
} as const;

export interface LifecycleTiming {
    /** drain.sh's bound: the configured drainTimeoutMinutes. */
    drainTimeoutSeconds: number;
    /**
     * The hook's heartbeat timeout: if the node stops sending heartbeats (crashed, handler gone) the hook ends
     * this long after the last one and termination continues (default result CONTINUE). AWS also caps the whole
     * action at 100 heartbeat timeouts, so it grows with long drains.
     */
    heartbeatTimeoutSeconds: number;
    /** How often the node sends a heartbeat while it drains: three per heartbeat timeout. */
    heartbeatIntervalSeconds: number;
}

export function lifecycleTiming(drainTimeoutMinutes: number): LifecycleTiming {
    if (!Number.isInteger(drainTimeoutMinutes) || drainTimeoutMinutes < 1 || drainTimeoutMinutes > MAX_AWS_DRAIN_MINUTES) {
        throw new Error(`lifecycleTiming: drainTimeoutMinutes must be an integer between 1 and ${MAX_AWS_DRAIN_MINUTES}, got ${drainTimeoutMinutes}`);
    }
    const totalSeconds = (drainTimeoutMinutes + DRAIN_MARGIN_MINUTES) * 60;
    const heartbeatTimeoutSeconds = Math.max(300, Math.ceil(totalSeconds / 100));
    return {
        drainTimeoutSeconds: drainTimeoutMinutes * 60,
        heartbeatTimeoutSeconds,
        heartbeatIntervalSeconds: Math.floor(heartbeatTimeoutSeconds / 3),
    };
}
