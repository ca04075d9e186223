#!/bin/sh
# openvidu-ha host firewall: an nftables table that lets only cluster members reach the internal OpenVidu ports.
# It drops nothing else, so other services on the host keep their own rules. A oneshot unit reloads the saved
# ruleset at boot, because nftables tables do not survive a reboot by themselves.
# Usage: firewall.sh <host-label> apply   (ruleset for table inet openvidu_ha on stdin)
#        firewall.sh <host-label> remove
set -eu
umask 077

label=$1 action=$2
if ! command -v nft >/dev/null 2>&1; then
    echo "firewall failed on $label: nft is missing; install nftables or set hostFirewall to false" >&2
    exit 1
fi

saved=/etc/openvidu-ha/firewall.nft
unit=/etc/systemd/system/openvidu-ha-firewall.service

# same <new> <existing>: true when <existing> is a file with the same contents (sha256sum, which preflight requires)
same() {
    [ -f "$2" ] && [ "$(sha256sum < "$1")" = "$(sha256sum < "$2")" ]
}

case "$action" in
apply)
    mkdir -p /etc/openvidu-ha
    rules=$(mktemp)
    unit_text=$(mktemp)
    trap 'rm -f "$rules" "$unit_text"' EXIT
    # Declaring then deleting the table makes the load atomic and repeatable.
    { echo "table inet openvidu_ha"; echo "delete table inet openvidu_ha"; cat; } > "$rules"
    if ! nft -c -f "$rules"; then
        echo "firewall failed on $label: the generated ruleset was rejected by nft" >&2
        exit 1
    fi
    nft -f "$rules"
    cat > "$unit_text" <<UNIT
[Unit]
Description=openvidu-ha host firewall (table inet openvidu_ha)
Before=network-pre.target openvidu.service
Wants=network-pre.target

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=$(command -v nft) -f $saved

[Install]
WantedBy=multi-user.target
UNIT
    # The saved ruleset and the unit are written only when they change: applying the same ruleset again
    # reloads the table and writes nothing.
    if ! same "$rules" "$saved"; then
        mv "$rules" "$saved"
        chmod 600 "$saved"
    fi
    if ! same "$unit_text" "$unit"; then
        mv "$unit_text" "$unit"
        systemctl daemon-reload
    fi
    systemctl enable openvidu-ha-firewall >/dev/null 2>&1 || systemctl enable openvidu-ha-firewall
    echo "firewall on $label: table inet openvidu_ha applied and saved for boot"
    ;;
remove)
    nft delete table inet openvidu_ha 2>/dev/null || true
    if [ -f "$unit" ]; then
        systemctl disable openvidu-ha-firewall >/dev/null 2>&1 || true
        rm -f "$unit" "$saved"
        systemctl daemon-reload
    fi
    echo "firewall on $label: table inet openvidu_ha removed"
    ;;
*)
    echo "firewall failed on $label: unknown action '$action'" >&2
    exit 1
    ;;
esac
