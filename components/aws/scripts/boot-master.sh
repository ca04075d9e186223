#!/bin/sh
# openvidu-ha master boot on AWS: mounts this master's data volume at /opt/openvidu (formatting it only when
# blank), installs with the shared install.sh (arguments from the cluster secret, on stdin), points OpenVidu at
# the S3 buckets (as the vendor's config_s3.sh does), starts and health-gates. Run by the openvidu-ha-boot
# service the user data starts, at every boot until it completes once (journalctl -u openvidu-ha-boot); every
# step is idempotent. Secrets never reach that log or an argument list.
set -eu
umask 077

# Wait for apt/dpkg locks (unattended-upgrades runs at first boot) instead of failing, as the vendor's template does.
echo 'DPkg::Lock::Timeout "-1";' > /etc/apt/apt.conf.d/99openvidu-ha-lock-timeout

# shellcheck source=/dev/null
. /etc/openvidu-ha/boot.env
dir=/var/lib/openvidu-ha/boot
# shellcheck source=aws-api.sh
. "$dir/aws-api.sh"
label=$OPENVIDU_HA_LABEL
state=/var/lib/openvidu-ha

die() {
    echo "boot failed on $label: $1" >&2
    exit 1
}

# The attached volume: NVMe instances name it by volume id, older ones expose the attachment's device name.
data_device() {
    vol=$(printf '%s' "$OPENVIDU_HA_DATA_VOLUME" | tr -d '-')
    for candidate in "/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_$vol" /dev/xvdf /dev/sdf; do
        if [ -b "$candidate" ]; then
            readlink -f "$candidate"
            return 0
        fi
    done
    return 1
}

waited=0
until device=$(data_device); do
    [ "$waited" -lt 600 ] || die "data volume $OPENVIDU_HA_DATA_VOLUME was not attached within 600s"
    sleep 5
    waited=$((waited + 5))
done

fresh=false
if [ -z "$(blkid -o value -s TYPE "$device" || true)" ]; then
    echo "boot on $label: formatting the new data volume $OPENVIDU_HA_DATA_VOLUME ($device)"
    mkfs.ext4 -q -L openvidu-data "$device"
    fresh=true
fi
uuid=$(blkid -o value -s UUID "$device")
mkdir -p /opt/openvidu
if ! grep -q "^UUID=$uuid " /etc/fstab; then
    echo "UUID=$uuid /opt/openvidu ext4 defaults,nofail 0 2" >> /etc/fstab
fi
mountpoint -q /opt/openvidu || mount /opt/openvidu
if [ "$fresh" = true ]; then
    rmdir /opt/openvidu/lost+found 2>/dev/null || true
fi
# openvidu waits for its data volume after every reboot.
mkdir -p /etc/systemd/system/openvidu.service.d
printf '[Unit]\nRequiresMountsFor=/opt/openvidu\n' > /etc/systemd/system/openvidu.service.d/openvidu-ha-data.conf

# /opt/openvidu is this master's own volume: empty when new, the previous instance's installation when the master
# was replaced. Either way install.sh must install over it rather than refuse a directory it did not create.
mkdir -p "$state"
if [ ! -f "$state/installed" ] && [ ! -f "$state/installing" ]; then
    touch "$state/retained"
fi

response=$(secret_value "$OPENVIDU_HA_SECRET_ID") || die "cannot read the cluster secret $OPENVIDU_HA_SECRET_ID"
secret=$(printf '%s' "$response" | json_field SecretString)
# The secret version this master installs from: the converge watcher acts on later ones only.
generation=$(printf '%s' "$response" | json_field VersionId)
unset response
url=$(printf '%s' "$secret" | json_field OPENVIDU_HA_INSTALLER_URL_MASTER)
sha=$(printf '%s' "$secret" | json_field OPENVIDU_HA_INSTALLER_SHA256_MASTER)
media_generation=$(printf '%s' "$secret" | json_field OPENVIDU_HA_MEDIA_GENERATION)
printf '%s' "$secret" | json_field OPENVIDU_HA_INSTALLER_ARGS_MASTER | sh "$dir/install.sh" "$label" master "$url" "$sha"
unset secret

# The buckets replace MinIO storage; access goes through the instance role, so no keys are written.
env_file=/opt/openvidu/config/cluster/openvidu.env
[ -f "$env_file" ] || die "$env_file is missing after installation"
set_env() {
    if grep -q "^$1=" "$env_file"; then
        sed -i "s|^$1=.*|$1=$2|" "$env_file"
    else
        printf '%s=%s\n' "$1" "$2" >> "$env_file"
    fi
}
set_env EXTERNAL_S3_ENDPOINT "https://s3.$OPENVIDU_HA_REGION.$OPENVIDU_HA_DNS_SUFFIX"
set_env EXTERNAL_S3_REGION "$OPENVIDU_HA_REGION"
set_env EXTERNAL_S3_PATH_STYLE_ACCESS false
set_env EXTERNAL_S3_BUCKET_APP_DATA "$OPENVIDU_HA_APP_DATA_BUCKET"
set_env EXTERNAL_S3_BUCKET_CLUSTER_DATA "$OPENVIDU_HA_CLUSTER_DATA_BUCKET"

# Day 2: a timer runs the converge watcher, which brings this master to each new version of the cluster secret.
printf '%s\n' "$generation" > "$state/converged-generation"
cat > /etc/systemd/system/openvidu-ha-converge.service <<UNIT
[Unit]
Description=openvidu-ha: converge this master to the current version of the cluster secret
Wants=network-online.target
After=network-online.target
ConditionPathExists=/var/lib/openvidu-ha/boot-complete

[Service]
Type=oneshot
ExecStart=/bin/sh $dir/converge-watch.sh
UNIT
cat > /etc/systemd/system/openvidu-ha-converge.timer <<UNIT
[Unit]
Description=openvidu-ha: look for a new version of the cluster secret every minute

[Timer]
OnBootSec=2min
OnUnitInactiveSec=1min

[Install]
WantedBy=timers.target
UNIT
chmod 644 /etc/systemd/system/openvidu-ha-converge.service /etc/systemd/system/openvidu-ha-converge.timer
systemctl daemon-reload
systemctl enable openvidu-ha-converge.timer

sh "$dir/start.sh" "$label"
sh "$dir/health.sh" "$label" http://127.0.0.1:7880/health/caddy "$OPENVIDU_HA_HEALTH_TIMEOUT_SECONDS"
# Tells new media nodes which configuration this master runs (they wait for a majority of masters on theirs).
printf 'generation=%s\nversion=%s\n' "$media_generation" \
    "$(sed -n 's/^version: *"\{0,1\}\([^"]*\)"\{0,1\} *$/\1/p' /opt/openvidu/deployment-info.yaml | head -n 1)" > /run/openvidu-ha-status
s3_put "$OPENVIDU_HA_CLUSTER_DATA_BUCKET" "openvidu-ha/converge/status/$label" /run/openvidu-ha-status ||
    echo "boot on $label: could not write its status object (the converge watcher writes it again)" >&2
systemctl start --no-block openvidu-ha-converge.timer
touch /var/lib/openvidu-ha/boot-complete
echo "boot on $label: master ready"
