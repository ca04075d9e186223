#!/bin/sh
# openvidu-ha drain: stops a media node gracefully. SIGQUIT puts the OpenVidu server, Ingress, Egress and agent
# containers into drain (no new sessions; running ones finish); once none runs, or the timeout passes, the
# service stops. Used when a media node is removed or the stack destroyed, and by the AWS scale-in hook.
# Usage: drain.sh <host-label> <timeout-seconds>
set -eu

label=$1 timeout=$2

draining_containers() {
    {
        docker ps -q --filter name='^openvidu$' --filter status=running
        docker ps -q --filter name='^ingress$' --filter status=running
        docker ps -q --filter name='^egress$' --filter status=running
        docker ps -q --filter label=openvidu-agent=true --filter status=running
    } 2>/dev/null | sort -u
}

if command -v docker >/dev/null 2>&1; then
    containers=$(draining_containers)
    if [ -n "$containers" ]; then
        echo "drain on $label: sending SIGQUIT to $(echo "$containers" | wc -l) container(s)"
        # shellcheck disable=SC2086 # one id per word
        docker kill --signal=SIGQUIT $containers >/dev/null
    fi
    started=$(date +%s)
    while [ -n "$(draining_containers)" ]; do
        if [ $(($(date +%s) - started)) -ge "$timeout" ]; then
            echo "drain on $label: still busy after ${timeout}s; stopping anyway" >&2
            break
        fi
        sleep 5
    done
fi

if [ -f /etc/systemd/system/openvidu.service ]; then
    systemctl stop openvidu
fi
echo "drain on $label: drained and stopped"
