#!/bin/sh
# openvidu-ha stop: stops a master node's service (runs when the node is removed or the stack destroyed).
# Usage: stop.sh <host-label>
set -eu

label=$1
if [ -f /etc/systemd/system/openvidu.service ]; then
    systemctl stop openvidu
    echo "stop on $label: openvidu stopped"
else
    echo "stop on $label: openvidu is not installed, nothing to stop"
fi
