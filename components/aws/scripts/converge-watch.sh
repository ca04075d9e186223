#!/bin/sh
# openvidu-ha converge watcher, on AWS masters: run by openvidu-ha-converge.timer (boot-master.sh installs it) once a
# minute after this master booted. When pulumi up writes a new version of the cluster secret, it brings this master
# to it with the shared converge.sh, the way the on-prem convergence chain does: check on all 4 masters first (a
# downgrade, a version without an updater path or a refused key stops every master before anything changed), then
# per round (the 3.5.0 checkpoint, then the final one) stop, update (the vendor's updater and/or the config files),
# start (health-gated; an in-place change restarts master-1 only). The 4 masters meet after each phase: each writes
# openvidu-ha/converge/<secret version>/<phase>/<label> to the cluster-data bucket and waits for the other three.
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
barrier_poll=${OPENVIDU_HA_BARRIER_POLL_SECONDS:-5}

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

# peer_object <key>: fetches an object of the converge prefix into $work/peer with $credentials; fails when absent.
peer_object() {
    printf '%s\n' "$credentials" | curl -fsS --retry 3 --max-time 30 -K - --aws-sigv4 "aws:amz:$OPENVIDU_HA_REGION:s3" \
        -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" -o "$work/peer" "https://$bucket.s3.$OPENVIDU_HA_REGION.$OPENVIDU_HA_DNS_SUFFIX/$1" 2> /dev/null
}

# barrier <step>: records that this master finished <step> and waits until all 4 have.
barrier() {
    printf '%s\n' "$label" > "$work/mark"
    s3_put "$bucket" "$at/$1/$label" "$work/mark" || {
        echo "converge watch on $label: cannot record $1 in s3://$bucket/$at" >&2
        exit 1
    }
    waited=0
    while :; do
        # One set of role credentials per round of polls (in a variable, reaching curl on stdin).
        credentials=$(aws_credentials_config) || credentials=""
        missing=""
        for m in $masters; do
            peer_object "$at/$1/$m" || missing="$missing $m"
        done
        [ -n "$missing" ] || return 0
        for m in $missing; do
            if peer_object "$at/failed/$m" && [ -s "$work/peer" ]; then
                echo "converge watch on $label: $m failed, stopping after $1 (the next run resumes):" >&2
                sed 's/^/    /' "$work/peer" >&2
                exit 1
            fi
        done
        if [ "$1" = check ] && [ "$(secret_value "$OPENVIDU_HA_SECRET_ID" | json_field VersionId)" != "$generation" ]; then
            echo "converge watch on $label: a newer version of the cluster secret; starting over with it"
            exit 0
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
