/**
 * The installer commands of the vendor's current on-prem page for HA with DNS load balancing (3.8 line; vendor
 * facts appendix, OpenVidu/openvidu.io @ 01d1d103 docs/docs/self-hosting/ha/on-premises/install-dlb.md), copied
 * verbatim: the 3.8 release line must send these flags with these values (see test/unit/release-line-3-8-flags).
 *
 * As in the seed (test/support/seed-commands.ts), the page's guided installation shows each generated command
 * starting `--no-tty --install --deployment-type='ha' --node-role=...`; the non-interactive examples continue from
 * `--no-tty --install --node-role`. VENDOR_3_8_PREAMBLE_* is the first, the other blocks the second.
 */

export const VENDOR_3_8_PREAMBLE_MASTER = String.raw`
    sh <(curl -fsSL http://get.openvidu.io/pro/ha/latest/install_ov_master_node.sh) \
        --no-tty --install \
        --deployment-type='ha' \
        --node-role='master-node' \
`;

export const VENDOR_3_8_PREAMBLE_MEDIA = String.raw`
    sh <(curl -fsSL http://get.openvidu.io/pro/ha/latest/install_ov_media_node.sh) \
        --no-tty --install \
        --deployment-type='ha' \
        --node-role='media-node' \
`;

export const VENDOR_3_8_MASTER_LETSENCRYPT = String.raw`
        sh <(curl -fsSL http://get.openvidu.io/pro/ha/latest/install_ov_master_node.sh) \
            --no-tty --install \
            --node-role='master-node' \
            --master-node-private-ip-list='10.5.0.1,10.5.0.2,10.5.0.3,10.5.0.4' \
            --openvidu-pro-license='xxxxx' \
            --domain-name='openvidu.example.io' \
            --enabled-modules='observability,v2compatibility,openviduMeet' \
            --rtc-engine='pion' \
            --livekit-api-key='xxxxx' \
            --livekit-api-secret='xxxxx' \
            --dashboard-admin-user='xxxxx' \
            --dashboard-admin-password='xxxxx' \
            --redis-password='xxxxx' \
            --minio-access-key='xxxxx' \
            --minio-secret-key='xxxxx' \
            --mongo-admin-user='xxxxx' \
            --mongo-admin-password='xxxxx' \
            --mongo-replica-set-key='xxxxx' \
            --grafana-admin-user='xxxxx' \
            --grafana-admin-password='xxxxx' \
            --meet-initial-admin-password='xxxxx' \
            --meet-initial-api-key='xxxxx' \
            --certificate-type='letsencrypt'
`;

export const VENDOR_3_8_MASTER_SELFSIGNED = String.raw`
        sh <(curl -fsSL http://get.openvidu.io/pro/ha/latest/install_ov_master_node.sh) \
            --no-tty --install \
            --node-role='master-node' \
            --master-node-private-ip-list='10.5.0.1,10.5.0.2,10.5.0.3,10.5.0.4' \
            --openvidu-pro-license='xxxxx' \
            --domain-name='openvidu.example.io' \
            --enabled-modules='observability,v2compatibility,openviduMeet' \
            --rtc-engine='pion' \
            --livekit-api-key='xxxxx' \
            --livekit-api-secret='xxxxx' \
            --dashboard-admin-user='xxxxx' \
            --dashboard-admin-password='xxxxx' \
            --redis-password='xxxxx' \
            --minio-access-key='xxxxx' \
            --minio-secret-key='xxxxx' \
            --mongo-admin-user='xxxxx' \
            --mongo-admin-password='xxxxx' \
            --mongo-replica-set-key='xxxxx' \
            --grafana-admin-user='xxxxx' \
            --grafana-admin-password='xxxxx' \
            --meet-initial-admin-password='xxxxx' \
            --meet-initial-api-key='xxxxx' \
            --certificate-type='selfsigned'
`;

export const VENDOR_3_8_MASTER_OWNCERT = String.raw`
        CERT_PRIVATE_KEY=$(cat privkey.pem | base64 -w 0)
        CERT_PUBLIC_KEY=$(cat fullchain.pem | base64 -w 0)

        sh <(curl -fsSL http://get.openvidu.io/pro/ha/latest/install_ov_master_node.sh) \
            --no-tty --install \
            --node-role='master-node' \
            --master-node-private-ip-list='10.5.0.1,10.5.0.2,10.5.0.3,10.5.0.4' \
            --openvidu-pro-license='xxxxx' \
            --domain-name='openvidu.example.io' \
            --enabled-modules='observability,v2compatibility,openviduMeet' \
            --rtc-engine='pion' \
            --livekit-api-key='xxxxx' \
            --livekit-api-secret='xxxxx' \
            --dashboard-admin-user='xxxxx' \
            --dashboard-admin-password='xxxxx' \
            --redis-password='xxxxx' \
            --minio-access-key='xxxxx' \
            --minio-secret-key='xxxxx' \
            --mongo-admin-user='xxxxx' \
            --mongo-admin-password='xxxxx' \
            --mongo-replica-set-key='xxxxx' \
            --grafana-admin-user='xxxxx' \
            --grafana-admin-password='xxxxx' \
            --meet-initial-admin-password='xxxxx' \
            --meet-initial-api-key='xxxxx' \
            --certificate-type='owncert' \
            --owncert-private-key="$CERT_PRIVATE_KEY" \
            --owncert-public-key="$CERT_PUBLIC_KEY"
`;

export const VENDOR_3_8_MEDIA = String.raw`
    sh <(curl -fsSL http://get.openvidu.io/pro/ha/latest/install_ov_media_node.sh) \
        --no-tty --install \
        --node-role='media-node' \
        --master-node-private-ip-list='10.5.0.1,10.5.0.2,10.5.0.3,10.5.0.4' \
        --redis-password='xxxxx'
`;

/** The page's note under the media command, verbatim: the source of forceMediaNodePublicIp. */
export const VENDOR_3_8_PUBLIC_IP_NOTE =
    "If no media appears in your conference, reinstall specifying the `--public-ip` parameter with your machine's public IP. " +
    "OpenVidu usually auto-detects the public IP, but it can fail. This IP is used by clients to send and receive media. " +
    "If you decide to install the Media Node with `--public-ip`, you must reinstall the Master Node with `--force-media-node-public-ip`{.nowrap}.";

/**
 * The vendor's 3.8 CloudFormation template, installer arguments (OpenVidu/openvidu @ tag v3.8.0,
 * openvidu-deployment/pro/ha/aws/cf-openvidu-ha.yaml, the masters' and media nodes' install.sh, "COMMON_ARGS"),
 * copied verbatim. The masters then append each entry of AdditionalInstallFlags; media nodes get none.
 */
export const VENDOR_3_8_AWS_MASTER_ARGS = String.raw`
                  "--no-tty"
                  "--install"
                  "--environment=aws"
                  "--deployment-type='ha'"
                  "--node-role='master-node'"
                  "--external-load-balancer"
                  "--master-node-private-ip-list='$MASTER_NODE_PRIVATE_IP_LIST'"
                  "--openvidu-pro-license='$OPENVIDU_PRO_LICENSE'"
                  "--domain-name='$DOMAIN'"
                  "--enabled-modules='$ENABLED_MODULES'"
                  "--rtc-engine=$OPENVIDU_RTC_ENGINE"
                  "--redis-password=$REDIS_PASSWORD"
                  "--mongo-admin-user=$MONGO_ADMIN_USERNAME"
                  "--mongo-admin-password=$MONGO_ADMIN_PASSWORD"
                  "--mongo-replica-set-key=$MONGO_REPLICA_SET_KEY"
                  "--minio-access-key=$MINIO_ACCESS_KEY"
                  "--minio-secret-key=$MINIO_SECRET_KEY"
                  "--dashboard-admin-user=$DASHBOARD_ADMIN_USERNAME"
                  "--dashboard-admin-password=$DASHBOARD_ADMIN_PASSWORD"
                  "--grafana-admin-user=$GRAFANA_ADMIN_USERNAME"
                  "--grafana-admin-password=$GRAFANA_ADMIN_PASSWORD"
                  "--meet-initial-admin-password=$MEET_INITIAL_ADMIN_PASSWORD"
                  "--meet-initial-api-key=$MEET_INITIAL_API_KEY"
                  "--livekit-api-key=$LIVEKIT_API_KEY"
                  "--livekit-api-secret=$LIVEKIT_API_SECRET"
`;

export const VENDOR_3_8_AWS_MEDIA_ARGS = String.raw`
                  "--no-tty"
                  "--install"
                  "--environment=aws"
                  "--deployment-type='ha'"
                  "--node-role='media-node'"
                  "--master-node-private-ip-list=$MASTER_NODE_PRIVATE_IP_LIST"
                  "--private-ip=$PRIVATE_IP"
                  "--redis-password=$REDIS_PASSWORD"
`;

/** The template's arguments in order: the flag, and its value without quotes ("$VAR" names a variable). */
export function templateArgs(block: string): { flag: string; value?: string }[] {
    return block
        .trim()
        .split("\n")
        .map((line) => {
            const m = /^"(--[a-z0-9-]+)(?:='?([^']*)'?)?"$/.exec(line.trim());
            if (!m) {
                throw new Error(`unexpected line in the template's arguments: ${line}`);
            }
            return { flag: m[1], value: m[2] };
        });
}
