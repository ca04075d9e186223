#!/bin/sh
# openvidu-ha lifecycle watcher, a systemd service on media nodes. When the Auto Scaling group starts terminating
# this node (scale-in, instance refresh, unhealthy), IMDS autoscaling/target-lifecycle-state turns Terminated and
# the terminate hook holds the instance. The watcher then drains it with the shared drain.sh (SIGQUIT to
# openvidu, ingress, egress and agents; waits until they exit, bounded by drainTimeoutMinutes; stops the
# service), sends lifecycle heartbeats while it waits, and completes the hook with CONTINUE.
set -eu

# The locations can be overridden for tests only; nodes use the defaults the user data writes.
# shellcheck source=/dev/null
. "${OPENVIDU_HA_BOOT_ENV:-/etc/openvidu-ha/boot.env}"
dir=${OPENVIDU_HA_BOOT_DIR:-/var/lib/openvidu-ha/boot}
# shellcheck source=aws-api.sh
. "$dir/aws-api.sh"

until [ "$(imds autoscaling/target-lifecycle-state 2>/dev/null || true)" = Terminated ]; do
    sleep 5
done

instance_id=$(imds instance-id)
label="media-$instance_id"
group=$(own_autoscaling_group "$instance_id")
if [ -z "$group" ]; then
    echo "lifecycle on $label: cannot find this instance's Auto Scaling group; retrying" >&2
    exit 1
fi
hook() {
    hook_action=$1
    shift
    autoscaling "$hook_action" "AutoScalingGroupName=$group" "LifecycleHookName=$OPENVIDU_HA_LIFECYCLE_HOOK" "InstanceId=$instance_id" "$@" >/dev/null
}

echo "lifecycle on $label: terminating; draining for at most ${OPENVIDU_HA_DRAIN_TIMEOUT_SECONDS}s"
sh "$dir/drain.sh" "$label" "$OPENVIDU_HA_DRAIN_TIMEOUT_SECONDS" &
drain_pid=$!
last_heartbeat=$(date +%s)
while kill -0 "$drain_pid" 2>/dev/null; do
    if [ $(($(date +%s) - last_heartbeat)) -ge "$OPENVIDU_HA_HEARTBEAT_SECONDS" ]; then
        hook RecordLifecycleActionHeartbeat || echo "lifecycle on $label: heartbeat failed" >&2
        last_heartbeat=$(date +%s)
    fi
    sleep 5
done
if ! wait "$drain_pid"; then
    echo "lifecycle on $label: drain failed; completing the hook anyway" >&2
fi
hook CompleteLifecycleAction LifecycleActionResult=CONTINUE
echo "lifecycle on $label: drained; termination continues"
