#!/bin/sh
# openvidu-ha media node (user data): fetch this role's boot scripts from S3 with the instance role and run them.
# Nothing secret here: the node reads its role's secret from Secrets Manager at boot.
set -eu
umask 077
dir=/var/lib/openvidu-ha/boot
mkdir -p "$dir" /etc/openvidu-ha
cat > /etc/openvidu-ha/boot.env <<'OPENVIDU_HA_ENV'
OPENVIDU_HA_REGION='eu-west-1'
OPENVIDU_HA_DNS_SUFFIX='amazonaws.com'
OPENVIDU_HA_BOOT_BUCKET='buckets-cluster-data-4fd8962'
OPENVIDU_HA_BOOT_PREFIX='openvidu-ha/boot'
OPENVIDU_HA_BOOT_REVISION='0123456789abcdef'
OPENVIDU_HA_SECRET_ID='arn:aws:secretsmanager:eu-west-1:123456789012:secret:cluster-secret-store-dc8e685-AbCdEf'
OPENVIDU_HA_SECRET_VERSION='3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b'
OPENVIDU_HA_MASTER_IPS='10.0.1.10,10.0.2.10,10.0.3.10,10.0.4.10'
OPENVIDU_HA_MASTER_WAIT_SECONDS='900'
OPENVIDU_HA_HEALTH_TIMEOUT_SECONDS='600'
OPENVIDU_HA_LIFECYCLE_HOOK='openvidu-ha-drain'
OPENVIDU_HA_DRAIN_TIMEOUT_SECONDS='3600'
OPENVIDU_HA_HEARTBEAT_SECONDS='100'
OPENVIDU_HA_PRIVATE_IP_PLACEHOLDER='OPENVIDU_HA_NODE_PRIVATE_IP'
OPENVIDU_HA_PUBLIC_IP_PLACEHOLDER='OPENVIDU_HA_NODE_PUBLIC_IP'
OPENVIDU_HA_ENV
# shellcheck source=/dev/null
. /etc/openvidu-ha/boot.env
# IMDSv2; the session token reaches curl on stdin (-K -), never its argument list (visible in ps).
imds() {
    t=$(curl -fsS --retry 10 --retry-connrefused -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 300' http://169.254.169.254/latest/api/token) || return 1
    printf 'header = "X-aws-ec2-metadata-token: %s"\n' "$t" | curl -fsS --retry 10 --retry-connrefused -K - "http://169.254.169.254/latest/meta-data/$1"
}
# The role's credentials as curl config lines (read by curl -K -).
creds() {
    imds "iam/security-credentials/$role" |
        python3 -c 'import json,sys; c=json.load(sys.stdin); print("user = \"%s:%s\"\nheader = \"x-amz-security-token: %s\"" % (c["AccessKeyId"], c["SecretAccessKey"], c["Token"]))'
}
fail() {
    echo "openvidu-ha boot: $1; not booting, marking the instance unhealthy so it is replaced" >&2
    id=$(imds instance-id) && creds | curl -fsS --retry 5 -K - --aws-sigv4 "aws:amz:$OPENVIDU_HA_REGION:autoscaling" -o /dev/null \
        --data-binary "Action=SetInstanceHealth&Version=2011-01-01&InstanceId=$id&HealthStatus=Unhealthy&ShouldRespectGracePeriod=false" \
        "https://autoscaling.$OPENVIDU_HA_REGION.$OPENVIDU_HA_DNS_SUFFIX/" || echo "openvidu-ha boot: could not mark the instance unhealthy" >&2
    exit 1
}
n=0
until role=$(imds iam/security-credentials/); do
    n=$((n + 1))
    [ "$n" -lt 60 ] || fail "no instance role credentials"
    sleep 5
done
for f in boot-media.sh aws-api.sh lifecycle-watch.sh install.sh start.sh health.sh drain.sh; do
    creds | curl -fsS --retry 10 -K - --aws-sigv4 "aws:amz:$OPENVIDU_HA_REGION:s3" -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' -o "$dir/$f" \
        "https://$OPENVIDU_HA_BOOT_BUCKET.s3.$OPENVIDU_HA_REGION.$OPENVIDU_HA_DNS_SUFFIX/$OPENVIDU_HA_BOOT_PREFIX/$OPENVIDU_HA_BOOT_REVISION/$f" ||
        fail "cannot fetch the boot script $f"
done
# Run only the scripts this user data was made with: the SHA-256 of each, checked before anything runs.
if ! (cd "$dir" && sha256sum -c --strict --quiet) <<'OPENVIDU_HA_SUMS'; then
7f61565b2b152e7f32167b2364ae408108a558f6ff07e29a917e68d2354ea8b1  boot-media.sh
4825faffae65a12fbb932182da4b9e0311e516d49f12a5640d58196565b5f7f8  aws-api.sh
eeb93f3e754e9b9306aed82471983983ed86a05f0163db9dc2058f433b0f35cf  lifecycle-watch.sh
043df5bdbf6639d7a77e1d44c5226fd7371e5259a1e4df3a0dd5d64c30dca44f  install.sh
65a5db1ae8f8e01ebdbbfafcf4e24618ad7cffe036bba92dce1390383e5c73e5  start.sh
3ee3a8ba9f775bb038694eec5fc2a7b698cd8920407f878b3acb5d2473fd7dcd  health.sh
1724443ca28380c3cacc0513af9369d590fa17b0b7b6e2367f97d6f013c7ef92  drain.sh
OPENVIDU_HA_SUMS
    (cd "$dir" && rm -f boot-media.sh aws-api.sh lifecycle-watch.sh install.sh start.sh health.sh drain.sh)
    fail "the boot scripts in s3://$OPENVIDU_HA_BOOT_BUCKET/$OPENVIDU_HA_BOOT_PREFIX/$OPENVIDU_HA_BOOT_REVISION differ from this node's user data"
fi
# Boot runs as a oneshot service rather than in cloud-init: it resumes after a reboot (a recovered or rebooted
# node) until the boot script marks it complete; every step is idempotent.
cat > /etc/systemd/system/openvidu-ha-boot.service <<OPENVIDU_HA_UNIT
[Unit]
Description=openvidu-ha media boot (runs until it completes once)
Wants=network-online.target
After=network-online.target
ConditionPathExists=!/var/lib/openvidu-ha/boot-complete

[Service]
Type=oneshot
ExecStart=/bin/sh $dir/boot-media.sh
StandardOutput=journal+console
StandardError=journal+console

[Install]
WantedBy=multi-user.target
OPENVIDU_HA_UNIT
chmod 644 /etc/systemd/system/openvidu-ha-boot.service
systemctl daemon-reload
systemctl enable openvidu-ha-boot.service
systemctl start --no-block openvidu-ha-boot.service
