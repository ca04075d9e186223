#!/bin/sh
# openvidu-ha converge watcher, on AWS masters: run by openvidu-ha-converge.timer (boot-master.sh installs it) once a
# minute after this master booted. When pulumi up writes a new version of the cluster secret, it brings this master
# to it with the shared converge.sh, the way the on-prem convergence chain does: check on all 4 masters first (a
# downgrade, a version without an updater path or a refused key stops every master before anything changed), then
# per round (the 3.5.0 checkpoint, then the final one) stop, update (the vendor's updater and/or the config files),
# start (health-gated; an in-place change restarts master-1 only). The 4 masters meet after each phase: each writes
# openvidu-ha/converge/<secret version>/<phase>/<label> to the cluster-data bucket and waits for the other three,
# listing that version's objects once per poll (one ListObjectsV2 request, not one GET per master).
# A failure is written to .../failed/<label> (its last lines, secrets masked); the other masters stop waiting, and
# the next run resumes (converge.sh records what it finished). Media nodes are not touched here: the pool rolls to
# the new media secret (new nodes wait for the masters' status objects, old ones drain).
set -eu
umask 077

# The locations can be overridden for tests only; masters use the defaults the user data writes.
# shellcheck source=/dev/null
. "${OPENVIDU_HA_BOOT_ENV:-/etc/openvidu-ha/boot.env}"
dir=${OPENVIDU_HA_BOOT_DIR:-/var/lib/openvidu-ha/boot}
# shellcheck source=aws-api.sh
. "$dir/aws-api.sh"

label=$OPENVIDU_HA_LABEL
state=/var/lib/openvidu-ha
bucket=$OPENVIDU_HA_CLUSTER_DATA_BUCKET
prefix=openvidu-ha/converge
masters="master-1 master-2 master-3 master-4"
barrier_timeout=${OPENVIDU_HA_BARRIER_TIMEOUT_SECONDS:-3600}
# Each poll is one small LIST request per master (4 a second at most); every poll a master waits adds to the outage.
barrier_poll=${OPENVIDU_HA_BARRIER_POLL_SECONDS:-1}

if [ ! -f "$state/boot-complete" ]; then
    echo "converge watch on $label: the boot has not completed; nothing to do yet"
    exit 0
fi
# Secrets stay in this root-only tmpfs directory, never in an argument list or the journal.
work=/run/openvidu-ha/watch.$$
mkdir -p /run/openvidu-ha "$work"
chmod 700 /run/openvidu-ha "$work"
trap 'rm -rf "$work"' EXIT
trap 'exit 1' HUP INT TERM

secret_value "$OPENVIDU_HA_SECRET_ID" > "$work/secret.json" || {
    echo "converge watch on $label: cannot read the cluster secret $OPENVIDU_HA_SECRET_ID" >&2
    exit 1
}
# Every value the watcher reads, one file each under $work/field (one python run instead of one per value).
mkdir "$work/field"
python3 -c '
import json, os, sys
response = json.load(open(sys.argv[1]))
values = dict(json.loads(response["SecretString"]), VersionId=response["VersionId"])
for key in sys.argv[3:]:
    with open(os.path.join(sys.argv[2], key), "w") as f:
        f.write(values[key])' "$work/secret.json" "$work/field" VersionId OPENVIDU_VERSION OPENVIDU_HA_INSTALLER_ARGS_MASTER \
    OPENVIDU_HA_CONVERGE_ROUNDS OPENVIDU_HA_UPDATER_STEPS OPENVIDU_HA_UPGRADE_CHECKPOINT OPENVIDU_HA_UPDATER_BASE_URL \
    OPENVIDU_HA_UPDATER_SHA256 OPENVIDU_HA_CONVERGE_RULES OPENVIDU_HA_MEDIA_GENERATION
rm -f "$work/secret.json"
field() { cat "$work/field/$1"; }
generation=$(field VersionId)
if [ "$(cat "$state/converged-generation" 2>/dev/null || true)" = "$generation" ]; then
    exit 0
fi
at=$prefix/$generation
echo "converge watch on $label: the cluster secret changed (version $generation); converging"

mv "$work/field/OPENVIDU_HA_INSTALLER_ARGS_MASTER" "$work/args"
target=$(field OPENVIDU_VERSION)
rounds=$(field OPENVIDU_HA_CONVERGE_ROUNDS)
leader=no
[ "$label" != master-1 ] || leader=yes

# mask: stdin to stdout with every secret argument value (S lines) replaced by [secret].
mask() {
    python3 -c '
import sys
secrets = sorted({l[2:].rstrip("\n").split("=", 1)[1] for l in open(sys.argv[1]) if l.startswith("S ") and "=" in l}, key=len, reverse=True)
for line in sys.stdin:
    for s in secrets:
        if len(s) >= 4:
            line = line.replace(s, "[secret]")
    sys.stdout.write(line)' "$work/args"
}

# A retry clears this master's earlier failure, so the others wait for it again.
: > "$work/empty"
s3_put "$bucket" "$at/failed/$label" "$work/empty" || {
    echo "converge watch on $label: cannot write to s3://$bucket/$at" >&2
    exit 1
}

objects=https://$bucket.s3.$OPENVIDU_HA_REGION.$OPENVIDU_HA_DNS_SUFFIX
# The version's prefix as a query value (a secret version id is a UUID: only its slashes need encoding).
at_query=$(printf '%s/' "$at" | sed 's|/|%2F|g')
nl='
'
# s3_signed <curl options...> <url>: one S3 request as the instance role. Its credentials are read from IMDS once
# and again after a failed request (IMDS rotates them before they expire); they reach curl on stdin.
credentials=""
s3_signed() {
    [ -n "$credentials" ] || credentials=$(aws_credentials_config) || credentials=""
    if printf '%s\n' "$credentials" | curl -fsS --retry 3 --max-time 30 -K - --aws-sigv4 "aws:amz:$OPENVIDU_HA_REGION:s3" \
        -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" "$@"; then
        return 0
    fi
    credentials=""
    return 1
}

# record <key> <file>: writes a state object (a second try with fresh credentials).
record() {
    s3_signed -X PUT --data-binary "@$2" -o /dev/null "$objects/$1" || s3_signed -X PUT --data-binary "@$2" -o /dev/null "$objects/$1"
}

# list_generation: sets $listed to the keys of this version's objects that have content (a cleared failure object is
# empty), each on its own line between newlines: S3 ListObjectsV2 under $at/, every page (1000 keys a page).
list_generation() {
    listed=$nl token=""
    while :; do
        # The parameters in sorted order: curl's SigV4 signs the query as written, AWS over the sorted one.
        s3_signed -o "$work/page" "$objects/?${token}list-type=2&prefix=$at_query" 2> /dev/null || return 1
        # First line: the next page's query parameter (empty on the last page); then the keys.
        page=$(python3 -c '
import sys, urllib.parse, xml.etree.ElementTree as ET
ns = {"s3": "http://s3.amazonaws.com/doc/2006-03-01/"}
root = ET.parse(sys.argv[1]).getroot()
token = root.findtext("s3:NextContinuationToken", "", ns)
if root.findtext("s3:IsTruncated", "", ns) == "true":
    if not token:
        sys.exit("a truncated listing without NextContinuationToken")
    print("continuation-token=" + urllib.parse.quote(token, safe="") + "&")
else:
    print()
for c in root.findall("s3:Contents", ns):
    if int(c.findtext("s3:Size", "0", ns)) > 0:
        print(c.findtext("s3:Key", "", ns))' "$work/page") || return 1
        token=${page%%"$nl"*}
        case "$page" in
            *"$nl"*) listed="$listed${page#*"$nl"}$nl" ;;
        esac
        [ -n "$token" ] || return 0
    done
}

# barrier <step>: records that this master finished <step> and waits until all 4 have.
barrier() {
    printf '%s\n' "$label" > "$work/mark"
    record "$at/$1/$label" "$work/mark" || {
        echo "converge watch on $label: cannot record $1 in s3://$bucket/$at" >&2
        exit 1
    }
    secret_checked=0
    waited=0
    while :; do
        if list_generation; then
            missing=""
            for m in $masters; do
                case "$listed" in
                    *"$nl$at/$1/$m$nl"*) ;;
                    *) missing="$missing $m" ;;
                esac
            done
            [ -n "$missing" ] || return 0
            for m in $missing; do
                case "$listed" in
                    *"$nl$at/failed/$m$nl"*)
                        echo "converge watch on $label: $m failed, stopping after $1 (the next run resumes):" >&2
                        if s3_signed -o "$work/peer" "$objects/$at/failed/$m" 2> /dev/null; then
                            sed 's/^/    /' "$work/peer" >&2
                        fi
                        exit 1
                        ;;
                esac
            done
        else
            missing=" (s3://$bucket could not be listed)"
        fi
        # While waiting for the others' checks, look for a newer secret version every 30 s.
        if [ "$1" = check ] && [ "$waited" -ge $((secret_checked + 30)) ]; then
            secret_checked=$waited
            if [ "$(secret_value "$OPENVIDU_HA_SECRET_ID" | json_field VersionId)" != "$generation" ]; then
                echo "converge watch on $label: a newer version of the cluster secret; starting over with it"
                exit 0
            fi
        fi
        if [ "$waited" -ge "$barrier_timeout" ]; then
            echo "converge watch on $label: waited ${barrier_timeout}s after $1 for$missing; trying again later" >&2
            exit 1
        fi
        sleep "$barrier_poll"
        waited=$((waited + barrier_poll))
    done
}

# phase <phase> <round>: one converge.sh phase on this master (its output, masked, to the journal), then the barrier.
phase() {
    rc=0
    sh "$dir/converge.sh" label="$label" role=master phase="$1" round="$2" target="$target" \
        steps="$(field OPENVIDU_HA_UPDATER_STEPS)" checkpoint="$(field OPENVIDU_HA_UPGRADE_CHECKPOINT)" \
        updater_base="$(field OPENVIDU_HA_UPDATER_BASE_URL)" updater_sha="$(field OPENVIDU_HA_UPDATER_SHA256)" \
        health_url=http://127.0.0.1:7880/health/caddy health_timeout="$OPENVIDU_HA_HEALTH_TIMEOUT_SECONDS" \
        leader="$leader" rules="$(field OPENVIDU_HA_CONVERGE_RULES)" < "$work/args" > "$work/out" 2>&1 || rc=$?
    mask < "$work/out"
    if [ "$rc" -ne 0 ]; then
        { echo "$label: converge $1 ($2) exited with $rc"; tail -n 25 "$work/out"; } | mask > "$work/failed"
        s3_put "$bucket" "$at/failed/$label" "$work/failed" || true
        echo "converge watch on $label: failed in $1 ($2); recorded in s3://$bucket/$at/failed/$label; the next run resumes" >&2
        exit 1
    fi
    if [ "$1" = check ]; then barrier check; else barrier "$2-$1"; fi
}

phase check final
for round in $rounds; do
    for p in stop update start; do
        phase "$p" "$round"
    done
done

# Done: remember the version, and tell new media nodes which configuration the masters run.
printf '%s\n' "$generation" > "$state/converged-generation"
version=$(sed -n 's/^version: *"\{0,1\}\([^"]*\)"\{0,1\} *$/\1/p' /opt/openvidu/deployment-info.yaml 2> /dev/null | head -n 1)
printf 'generation=%s\nversion=%s\n' "$(field OPENVIDU_HA_MEDIA_GENERATION)" "$version" > "$work/status"
s3_put "$bucket" "$prefix/status/$label" "$work/status" || echo "converge watch on $label: could not write its status object" >&2
echo "converge watch on $label: converged to the cluster secret version $generation (OpenVidu $version)"
