#!/bin/sh
# openvidu-ha health gate: waits, bounded, until the node's local health endpoint answers.
# Usage: health.sh <host-label> <url> <timeout-seconds>
set -eu

label=$1 url=$2 timeout=$3
started=$(date +%s)
last_error=""
while :; do
    if last_error=$(curl -fsS -o /dev/null --max-time 5 "$url" 2>&1); then
        echo "health on $label: $url answers after $(($(date +%s) - started))s"
        exit 0
    fi
    if [ $(($(date +%s) - started)) -ge "$timeout" ]; then
        service_state=$(systemctl is-active openvidu 2>/dev/null || true)
        echo "health gate failed on $label: $url did not answer within ${timeout}s (openvidu service: ${service_state:-unknown}; last error: $last_error)" >&2
        exit 1
    fi
    sleep 5
done
