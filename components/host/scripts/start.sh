#!/bin/sh
# openvidu-ha start: enables and starts the openvidu service installed by install.sh.
# Usage: start.sh <host-label>
set -eu

label=$1
if [ ! -f /etc/systemd/system/openvidu.service ]; then
    echo "start failed on $label: the openvidu service is not installed (/etc/systemd/system/openvidu.service missing)" >&2
    exit 1
fi
systemctl daemon-reload
systemctl enable openvidu >/dev/null 2>&1 || systemctl enable openvidu
if systemctl is-active --quiet openvidu; then
    echo "start on $label: openvidu already running"
else
    systemctl start openvidu
    echo "start on $label: openvidu started"
fi
