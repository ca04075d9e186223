#!/bin/sh
# openvidu-ha uninstall: runs when a node is removed or the stack destroyed, after stop/drain.
# Usage: uninstall.sh <host-label> <retain|purge>
# retain (default): disables the service and keeps /opt/openvidu (recordings, databases, config).
# purge: also removes /opt/openvidu and the unit, as the vendor's uninstall instructions do.
set -eu

label=$1 mode=$2
state=/var/lib/openvidu-ha

if [ -f /etc/systemd/system/openvidu.service ]; then
    systemctl stop openvidu >/dev/null 2>&1 || true
    systemctl disable openvidu >/dev/null 2>&1 || true
fi

if [ "$mode" = purge ]; then
    rm -rf /opt/openvidu /etc/systemd/system/openvidu.service /etc/sysctl.d/50-openvidu.conf "$state"
    systemctl daemon-reload >/dev/null 2>&1 || true
    echo "uninstall on $label: openvidu removed, data purged"
else
    mkdir -p "$state"
    touch "$state/retained"
    rm -f "$state/installed" "$state/installing"
    echo "uninstall on $label: openvidu disabled; data kept in /opt/openvidu"
fi
