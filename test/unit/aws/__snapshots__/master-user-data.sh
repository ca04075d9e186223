#!/bin/sh
# openvidu-ha master-2 (user data): fetch this role's boot scripts from S3 with the instance role and run them.
# Nothing secret here: the node reads its role's secret from Secrets Manager at boot.
set -eu
umask 077
dir=/var/lib/openvidu-ha/boot
mkdir -p "$dir" /etc/openvidu-ha
cat > /etc/openvidu-ha/boot.env <<'OPENVIDU_HA_ENV'
OPENVIDU_HA_LABEL='master-2'
OPENVIDU_HA_REGION='eu-west-1'
OPENVIDU_HA_DNS_SUFFIX='amazonaws.com'
OPENVIDU_HA_BOOT_BUCKET='buckets-cluster-data-4fd8962'
OPENVIDU_HA_BOOT_PREFIX='openvidu-ha/boot'
OPENVIDU_HA_BOOT_REVISION='0123456789abcdef'
OPENVIDU_HA_SECRET_ID='arn:aws:secretsmanager:eu-west-1:123456789012:secret:cluster-secret-store-dc8e685-AbCdEf'
OPENVIDU_HA_DATA_VOLUME='vol-0123456789abcdef0'
OPENVIDU_HA_APP_DATA_BUCKET='buckets-app-data-6994f0b'
OPENVIDU_HA_CLUSTER_DATA_BUCKET='buckets-cluster-data-4fd8962'
OPENVIDU_HA_HEALTH_TIMEOUT_SECONDS='1200'
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
    echo "openvidu-ha boot: $1; not booting" >&2
    exit 1
}
n=0
until role=$(imds iam/security-credentials/); do
    n=$((n + 1))
    [ "$n" -lt 60 ] || fail "no instance role credentials"
    sleep 5
done
for f in boot-master.sh aws-api.sh install.sh start.sh health.sh converge-watch.sh converge.sh; do
    creds | curl -fsS --retry 10 -K - --aws-sigv4 "aws:amz:$OPENVIDU_HA_REGION:s3" -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' -o "$dir/$f" \
        "https://$OPENVIDU_HA_BOOT_BUCKET.s3.$OPENVIDU_HA_REGION.$OPENVIDU_HA_DNS_SUFFIX/$OPENVIDU_HA_BOOT_PREFIX/$OPENVIDU_HA_BOOT_REVISION/$f" ||
        fail "cannot fetch the boot script $f"
done
# Run only the scripts this user data was made with: the SHA-256 of each, checked before anything runs.
if ! (cd "$dir" && sha256sum -c --strict --quiet) <<'OPENVIDU_HA_SUMS'; then
862481640f88f2482aff2ebb4ef6860106697ede153e4cd8da24b7ef966cffc9  boot-master.sh
4825faffae65a12fbb932182da4b9e0311e516d49f12a5640d58196565b5f7f8  aws-api.sh
043df5bdbf6639d7a77e1d44c5226fd7371e5259a1e4df3a0dd5d64c30dca44f  install.sh
65a5db1ae8f8e01ebdbbfafcf4e24618ad7cffe036bba92dce1390383e5c73e5  start.sh
3ee3a8ba9f775bb038694eec5fc2a7b698cd8920407f878b3acb5d2473fd7dcd  health.sh
e6c0e6b34ec9cc40b4db187fef2f444874870c88d48cf58eefa9b8f3520ef5f6  converge-watch.sh
03ad56ae432f84e25b9a00da24c5a5635181e0a8cc0a8a5b3e0edb7ee6e497ff  converge.sh
OPENVIDU_HA_SUMS
    (cd "$dir" && rm -f boot-master.sh aws-api.sh install.sh start.sh health.sh converge-watch.sh converge.sh)
    fail "the boot scripts in s3://$OPENVIDU_HA_BOOT_BUCKET/$OPENVIDU_HA_BOOT_PREFIX/$OPENVIDU_HA_BOOT_REVISION differ from this node's user data"
fi
# Boot runs as a oneshot service rather than in cloud-init: it resumes after a reboot (a recovered or rebooted
# node) until the boot script marks it complete; every step is idempotent.
cat > /etc/systemd/system/openvidu-ha-boot.service <<OPENVIDU_HA_UNIT
[Unit]
Description=openvidu-ha master boot (runs until it completes once)
Wants=network-online.target
After=network-online.target
ConditionPathExists=!/var/lib/openvidu-ha/boot-complete

[Service]
Type=oneshot
ExecStart=/bin/sh $dir/boot-master.sh
StandardOutput=journal+console
StandardError=journal+console

[Install]
WantedBy=multi-user.target
OPENVIDU_HA_UNIT
chmod 644 /etc/systemd/system/openvidu-ha-boot.service
systemctl daemon-reload
systemctl enable openvidu-ha-boot.service
systemctl start --no-block openvidu-ha-boot.service
