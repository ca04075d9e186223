#!/bin/sh
# openvidu-ha install: fetches the pinned OpenVidu installer over HTTPS, checks it and runs it once.
# Usage: install.sh <host-label> <master|media> <installer-url> <sha256|-> [defer]
# defer: a host installed with other inputs is left to the converge steps (on-prem day 2) instead of refused.
# stdin: the installer arguments, one per line, each prefixed "S " (value is secret) or "P " (plain); on media nodes
#        also "H --flag=<sha256>" per master argument (converge.sh's format): the masters' settings the node joins
#        with, recorded in its applied state (so the first master-only change restarts it) and never given to the installer.
# Secrets arrive only on stdin; they reach no log and no process argument list except the vendor installer's.
# Idempotent: a host installed with the same inputs is left alone; a run cut short is completed by the next one.
set -eu
umask 077

label=$1 role=$2 url=$3 expected_sha=$4 changes=${5:-refuse}
state=/var/lib/openvidu-ha
logdir=/var/log/openvidu-ha
# The arguments (secrets) live on tmpfs only: a run cut short by a crash or reboot leaves them on no disk, and a
# run that finds its work done writes nothing at all.
work=/run/openvidu-ha
mkdir -p "$state" "$logdir" "$work"
chmod 700 "$state" "$logdir" "$work"

die() {
    echo "install failed on $label: $1" >&2
    exit 1
}

# Filesystems this run writes to with less than 1 MiB free, as "dir (N KiB free)": a full disk otherwise shows
# only as a bare "I/O error" somewhere in the installer's output.
full_filesystems() {
    for dir in "$work" "$state" "$logdir" /opt/openvidu /opt; do
        [ -e "$dir" ] || continue
        free=$(df -Pk "$dir" 2>/dev/null | awk 'NR == 2 { print $4 }')
        if [ -n "$free" ] && [ "$free" -lt 1024 ]; then printf '%s (%s KiB free), ' "$dir" "$free"; fi
    done
}
full=$(full_filesystems)
[ -z "$full" ] || die "no space left on ${full%, }; free some space and run again"

args_file=$work/installer-args
output=$work/installer-output
trap 'rm -f "$args_file" "$output"' EXIT
trap 'exit 1' HUP INT TERM
cat > "$args_file" || die "could not write the installer arguments to $args_file (full filesystem?)"
if ! grep -q '^[SP] --' "$args_file" || grep -qv '^[SPH] --' "$args_file" || { [ "$role" != media ] && grep -q '^H' "$args_file"; }; then
    die "malformed installer arguments on stdin (expected lines 'S --flag=value' or 'P --flag', and on media nodes 'H --flag=<sha256>')"
fi

# What the installer runs with (the H lines are not its arguments): the same fingerprint as before they existed.
fingerprint=$({ printf '%s\n%s\n' "$url" "$expected_sha"; grep '^[SP] ' "$args_file"; } | sha256sum | cut -d' ' -f1)

# What converge.sh compares a later configuration with: "flag hash" per argument, "cluster:flag hash" per H line, a
# salted hash of the line (never the value), the formula of converge.sh's hashes().
applied_hashes() {
    [ -s "$state/salt" ] || head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$state/salt"
    salt=$(cat "$state/salt")
    while IFS= read -r line; do
        flag=${line#? } flag=${flag%%=*}
        case $line in H*) flag=cluster:$flag ;; esac
        printf '%s %s\n' "$flag" "$(printf '%s\n%s' "$salt" "$line" | sha256sum | cut -d' ' -f1)"
    done
}

if [ -f "$state/installed" ]; then
    if [ "$(cat "$state/installed")" = "$fingerprint" ] && [ -d /opt/openvidu ] && [ -f /etc/systemd/system/openvidu.service ]; then
        echo "install on $label: already installed with these inputs, nothing to do"
        if [ -s "$state/applied" ] && ! grep -q '^cluster:' "$state/applied" && grep -q '^H ' "$args_file"; then
            # Installed by an openvidu-ha that did not record the masters' settings: those the cluster runs now.
            grep '^H ' "$args_file" | applied_hashes >> "$state/applied"
            echo "install on $label: recorded the masters' current settings as the ones it runs with"
        fi
        exit 0
    fi
    if [ "$(cat "$state/installed")" != "$fingerprint" ] && [ "$changes" = defer ] && [ -d /opt/openvidu ]; then
        echo "install on $label: installed earlier with other inputs (version, flags or credentials); the converge steps apply the change"
        exit 0
    fi
    if [ "$(cat "$state/installed")" != "$fingerprint" ]; then
        die "the installer inputs (version, flags or credentials) differ from the ones this host was installed with; openvidu-ha does not reinstall a running node in place. Replace the node (pulumi up --replace) or revert the change."
    fi
    mode=reinstall
elif [ -f "$state/installing" ]; then
    mode=$(cat "$state/installing")
    echo "install on $label: completing an installation that was interrupted ($mode)"
elif [ -f "$state/retained" ]; then
    mode=reinstall
    echo "install on $label: reinstalling over data kept from a previous removal"
elif [ -e /opt/openvidu ]; then
    die "/opt/openvidu exists but was not installed by openvidu-ha; move it away or remove it, then run again"
else
    mode=fresh
fi

installer=$state/install_ov_${role}_node.sh
if ! curl --proto '=https' --tlsv1.2 -fsSL --retry 3 --retry-delay 2 --connect-timeout 20 --max-time 300 -o "$installer" "$url"; then
    die "could not download the installer from $url"
fi
if [ "$expected_sha" != "-" ]; then
    actual_sha=$(sha256sum "$installer" | cut -d' ' -f1)
    [ "$actual_sha" = "$expected_sha" ] || die "installer checksum mismatch for $url: expected $expected_sha, got $actual_sha"
fi

echo "$mode" > "$state/installing"
if [ "$mode" = fresh ] && [ -e /opt/openvidu ]; then
    # Left by a first installation that never finished: generated files only, no user data yet.
    rm -rf /opt/openvidu
fi

set --
while IFS= read -r line; do
    case $line in H*) continue ;; esac
    set -- "$@" "${line#? }"
done < "$args_file"

# The installer's output is masked with the values of the root-only args file.
# openvidu-ha:include mask-secrets.sh

log=$logdir/install-$(date +%Y%m%dT%H%M%S).log
echo "install on $label: running the $role installer from $url (output, secrets masked, in $log)"
# The installer's output reaches the log through mask_secrets only (a FIFO keeps the installer's exit status).
rm -f "$output"
mkfifo -m 600 "$output"
# Its stderr is not the step's: an installer killed half-way can leave children holding the FIFO, and the masker
# (a subshell's child, which the kill below does not reach) would keep the SSH session open until they exit.
mask_secrets "$args_file" < "$output" > "$log" 2>/dev/null &
mask_pid=$!
# Bounded without wrapping the installer in timeout(1), whose argument list would carry the secrets.
sh "$installer" "$@" > "$output" 2>&1 < /dev/null &
installer_pid=$!
waited=0
while kill -0 "$installer_pid" 2>/dev/null; do
    if [ "$waited" -ge 3600 ]; then
        echo "install on $label: the installer ran for an hour; stopping it" >&2
        kill "$installer_pid" 2>/dev/null || true
    fi
    sleep 1
    waited=$((waited + 1))
done
rc=0
wait "$installer_pid" || rc=$?
# The masker ends when the installer's output closes; a process the installer left running may hold it open.
waited=0
while kill -0 "$mask_pid" 2>/dev/null && [ "$waited" -lt 10 ]; do
    sleep 1
    waited=$((waited + 1))
done
kill "$mask_pid" 2>/dev/null || true
wait "$mask_pid" 2>/dev/null || true

if [ "$rc" -ne 0 ]; then
    echo "install failed on $label: the installer exited with $rc; last lines of $log (secrets masked):" >&2
    tail -n 30 "$log" >&2
    full=$(full_filesystems)
    [ -z "$full" ] || echo "install failed on $label: no space left on ${full%, } (the likely cause); free some space and run again" >&2
    exit 1
fi

# Exit 0 is not proof: the files every installed node has (vendor facts 2.4), or the run stays unfinished and the next
# one redoes it.
missing=""
for f in /opt/openvidu/deployment-info.yaml /opt/openvidu/docker-compose.yml "/opt/openvidu/config/node/${role}_node.env" \
    /etc/systemd/system/openvidu.service; do
    [ -s "$f" ] || missing="$missing, $f"
done
[ "$role" != master ] || [ -s /opt/openvidu/config/cluster/openvidu.env ] || missing="$missing, /opt/openvidu/config/cluster/openvidu.env"
if [ -s /opt/openvidu/deployment-info.yaml ] && ! grep -q '^version:' /opt/openvidu/deployment-info.yaml; then
    missing="$missing, the version in /opt/openvidu/deployment-info.yaml"
fi
if [ -n "$missing" ]; then
    echo "install failed on $label: the installer exited 0 but left no ${missing#, }; last lines of $log (secrets masked):" >&2
    tail -n 30 "$log" >&2
    exit 1
fi

applied_hashes < "$args_file" > "$state/applied"
echo "$fingerprint" > "$state/installed"
rm -f "$state/installing" "$state/retained"
echo "install on $label: $role installed"
