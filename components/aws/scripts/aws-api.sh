#!/bin/sh
# openvidu-ha AWS API helpers, sourced by the boot scripts and the lifecycle watcher of AWS nodes.
# Requests are signed with curl's --aws-sigv4 (curl 7.75 or later; Ubuntu 24.04 ships 8.5) using the instance
# role's temporary credentials from IMDSv2. The credentials reach curl on stdin (-K -), never an argument list.
# Needs curl and python3 (JSON and XML parsing). Reads OPENVIDU_HA_REGION and OPENVIDU_HA_DNS_SUFFIX.

OPENVIDU_HA_IMDS=http://169.254.169.254/latest

# imds <path>: one instance metadata value (IMDSv2: a fresh session token per call). The token reaches curl on
# stdin (-K -), never its argument list (visible in ps).
imds() {
    imds_token=$(curl -fsS --retry 5 --retry-connrefused --max-time 10 -X PUT \
        -H "X-aws-ec2-metadata-token-ttl-seconds: 300" "$OPENVIDU_HA_IMDS/api/token") || return 1
    printf 'header = "X-aws-ec2-metadata-token: %s"\n' "$imds_token" |
        curl -fsS --retry 5 --retry-connrefused --max-time 10 -K - "$OPENVIDU_HA_IMDS/meta-data/$1"
}

# fill_node_addresses PRIVATE_PLACEHOLDER PRIVATE_IP PUBLIC_PLACEHOLDER: installer argument lines on stdin, this
# node's addresses filled in, on stdout. The public IPv4 is read from IMDS only when the arguments ask for it
# (forceMediaNodePublicIp); a node without one fails instead of announcing a wrong address.
fill_node_addresses() {
    fill_args=$(cat)
    fill_public=-
    case "$fill_args" in
        *"=$3"*)
            fill_public=$(imds public-ipv4) || {
                echo "this instance has no public IPv4 address; forceMediaNodePublicIp needs media subnets that assign one" >&2
                return 1
            }
            printf '%s\n' "$fill_public" | grep -Eqx '[0-9]{1,3}([.][0-9]{1,3}){3}' || {
                echo "the instance metadata public-ipv4 is not an IPv4 address" >&2
                return 1
            }
            ;;
    esac
    printf '%s\n' "$fill_args" | sed -e "s/=$1\$/=$2/" -e "s/=$3\$/=$fill_public/"
}

# aws_credentials_config: curl config lines with the instance role's credentials (read by curl -K -).
aws_credentials_config() {
    imds_role=$(imds iam/security-credentials/) || return 1
    imds "iam/security-credentials/$imds_role" | python3 -c '
import json, sys
c = json.load(sys.stdin)
print("user = \"%s:%s\"" % (c["AccessKeyId"], c["SecretAccessKey"]))
print("header = \"x-amz-security-token: %s\"" % c["Token"])'
}

# aws_request <service> <url> [curl options...]: a SigV4-signed HTTPS request as the instance role.
aws_request() {
    aws_service=$1 aws_url=$2
    shift 2
    aws_credentials_config | curl -fsS --retry 5 --retry-connrefused --max-time 60 -K - \
        --aws-sigv4 "aws:amz:$OPENVIDU_HA_REGION:$aws_service" "$@" "$aws_url"
}

# s3_get <bucket> <key> <file>: downloads one object.
s3_get() {
    aws_request s3 "https://$1.s3.$OPENVIDU_HA_REGION.$OPENVIDU_HA_DNS_SUFFIX/$2" \
        -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" -o "$3"
}

# s3_put <bucket> <key> <file>: uploads one object (small: the converge watcher's state objects).
s3_put() {
    aws_request s3 "https://$1.s3.$OPENVIDU_HA_REGION.$OPENVIDU_HA_DNS_SUFFIX/$2" -X PUT \
        -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" --data-binary "@$3" -o /dev/null
}

# secret_value <secret-id> [version-id]: the GetSecretValue response (JSON: VersionId, SecretString, ...) on stdout.
secret_value() {
    secret_body=$(python3 -c '
import json, sys
body = {"SecretId": sys.argv[1]}
if len(sys.argv) > 2 and sys.argv[2]:
    body["VersionId"] = sys.argv[2]
print(json.dumps(body))' "$@")
    aws_request secretsmanager "https://secretsmanager.$OPENVIDU_HA_REGION.$OPENVIDU_HA_DNS_SUFFIX/" -X POST \
        -H "Content-Type: application/x-amz-json-1.1" -H "X-Amz-Target: secretsmanager.GetSecretValue" \
        --data-binary "$secret_body"
}

# secret_string <secret-id> [version-id]: the secret's SecretString on stdout (AWSCURRENT without a version).
secret_string() {
    secret_value "$@" | python3 -c 'import json, sys; sys.stdout.write(json.load(sys.stdin)["SecretString"])'
}

# json_field <key>: one string field of the JSON object on stdin.
json_field() {
    python3 -c 'import json, sys; sys.stdout.write(json.load(sys.stdin)[sys.argv[1]])' "$1"
}

# autoscaling <Action> [Name=value...]: an Auto Scaling query API call; the XML response on stdout.
autoscaling() {
    as_body=$(python3 -c '
import sys, urllib.parse
params = [("Action", sys.argv[1]), ("Version", "2011-01-01")] + [tuple(a.split("=", 1)) for a in sys.argv[2:]]
print(urllib.parse.urlencode(params))' "$@")
    aws_request autoscaling "https://autoscaling.$OPENVIDU_HA_REGION.$OPENVIDU_HA_DNS_SUFFIX/" -X POST \
        -H "Content-Type: application/x-www-form-urlencoded; charset=utf-8" --data-binary "$as_body"
}

# own_autoscaling_group <instance-id>: the name of the Auto Scaling group the instance belongs to.
own_autoscaling_group() {
    autoscaling DescribeAutoScalingInstances "InstanceIds.member.1=$1" | python3 -c '
import sys, xml.etree.ElementTree as ET
for element in ET.parse(sys.stdin).iter():
    if element.tag.endswith("}AutoScalingGroupName") and element.text:
        print(element.text)
        break'
}
