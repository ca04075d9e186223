#!/bin/sh
# openvidu-ha media node boot on AWS: starts the lifecycle watcher (so even a node terminated while booting is
# handled), waits, bounded, for a majority of masters, installs with the shared install.sh (arguments from the
# pinned version of the media secret, with this node's private IP filled in), starts and health-gates. A node
# that fails any step marks itself unhealthy and its Auto Scaling group replaces it. Run by the openvidu-ha-boot
# service (journalctl -u openvidu-ha-boot). Secrets never reach that log or an argument list.
set -eu
umask 077

# Wait for apt/dpkg locks (unattended-upgrades runs at first boot) instead of failing, as the vendor's template does.
echo 'DPkg::Lock::Timeout "-1";' > /etc/apt/apt.conf.d/99openvidu-ha-lock-timeout

# shellcheck source=/dev/null
. /etc/openvidu-ha/boot.env
dir=/var/lib/openvidu-ha/boot
# shellcheck source=aws-api.sh
. "$dir/aws-api.sh"

instance_id=$(imds instance-id)
label="media-$instance_id"

fail() {
    echo "boot failed on $label: $1; marking the instance unhealthy so it is replaced" >&2
    autoscaling SetInstanceHealth "InstanceId=$instance_id" HealthStatus=Unhealthy ShouldRespectGracePeriod=false >/dev/null ||
        echo "boot on $label: could not mark the instance unhealthy" >&2
    exit 1
}

cat > /etc/systemd/system/openvidu-ha-lifecycle.service <<UNIT
[Unit]
Description=openvidu-ha: drain this media node when its Auto Scaling group terminates it
Wants=network-online.target
After=network-online.target

[Service]
ExecStart=/bin/sh $dir/lifecycle-watch.sh
Restart=on-failure
RestartSec=10

[Install]
WantedBy=multi-user.target
UNIT
chmod 644 /etc/systemd/system/openvidu-ha-lifecycle.service
systemctl daemon-reload
systemctl enable --now openvidu-ha-lifecycle.service || fail "cannot start the lifecycle watcher"

echo "boot on $label: waiting up to ${OPENVIDU_HA_MASTER_WAIT_SECONDS}s for a majority of masters ($OPENVIDU_HA_MASTER_IPS)"
python3 - "$OPENVIDU_HA_MASTER_IPS" "$OPENVIDU_HA_MASTER_WAIT_SECONDS" <<'PY' || fail "the masters did not answer in time"
import socket, sys, time
ips, timeout = sys.argv[1].split(","), int(sys.argv[2])
deadline = time.time() + timeout
while True:
    up = []
    for ip in ips:
        try:
            socket.create_connection((ip, 7000), 3).close()
            up.append(ip)
        except OSError:
            pass
    if len(up) > len(ips) // 2:
        print("masters answering on Redis: " + ", ".join(up))
        sys.exit(0)
    if time.time() >= deadline:
        sys.exit(1)
    time.sleep(10)
PY

private_ip=$(imds local-ipv4) || fail "cannot read the private IP from the instance metadata"
secret=$(secret_string "$OPENVIDU_HA_SECRET_ID" "$OPENVIDU_HA_SECRET_VERSION") || fail "cannot read the media secret"

# During a change the pool rolls while the masters converge (their converge watcher): a new node joins only once a
# majority of masters report its configuration in openvidu-ha/converge/status/<master>. Masters that never wrote one
# (made before the watcher) are not waited for.
generation=$(printf '%s' "$secret" | json_field OPENVIDU_HA_MEDIA_GENERATION)
masters_on_generation() {
    on=0 seen=0
    for m in master-1 master-2 master-3 master-4; do
        if s3_get "$OPENVIDU_HA_BOOT_BUCKET" "openvidu-ha/converge/status/$m" /run/openvidu-ha-master-status 2> /dev/null; then
            seen=$((seen + 1))
            if grep -qx "generation=$generation" /run/openvidu-ha-master-status; then on=$((on + 1)); fi
        fi
    done
    [ "$seen" -eq 0 ] || [ "$on" -ge 3 ]
}
echo "boot on $label: waiting up to ${OPENVIDU_HA_MASTER_WAIT_SECONDS}s for a majority of masters to run configuration $generation"
waited=0
until masters_on_generation; do
    [ "$waited" -lt "$OPENVIDU_HA_MASTER_WAIT_SECONDS" ] || fail "the masters did not converge to this node's configuration ($generation) in time"
    sleep 5
    waited=$((waited + 5))
done
url=$(printf '%s' "$secret" | json_field OPENVIDU_HA_INSTALLER_URL_MEDIA)
sha=$(printf '%s' "$secret" | json_field OPENVIDU_HA_INSTALLER_SHA256_MEDIA)
args=$(printf '%s' "$secret" | json_field OPENVIDU_HA_INSTALLER_ARGS_MEDIA |
    fill_node_addresses "$OPENVIDU_HA_PRIVATE_IP_PLACEHOLDER" "$private_ip" "$OPENVIDU_HA_PUBLIC_IP_PLACEHOLDER") ||
    fail "cannot fill in this node's addresses"
unset secret
printf '%s\n' "$args" | sh "$dir/install.sh" "$label" media "$url" "$sha" || fail "installation"
unset args

sh "$dir/start.sh" "$label" || fail "start"
sh "$dir/health.sh" "$label" http://127.0.0.1:7880/ "$OPENVIDU_HA_HEALTH_TIMEOUT_SECONDS" || fail "health gate"
touch /var/lib/openvidu-ha/boot-complete
echo "boot on $label: media node ready"
