#!/bin/sh
# openvidu-ha converge: one phase of bringing an installed node to the configured version and config.
# Usage: converge.sh name=value... (label role phase round target steps checkpoint updater_base updater_sha
#        health_url health_timeout drain_timeout leader rules cluster_rules)
#   phase: check | stop | update | start;  round: checkpoint | final
# stdin: the target installer arguments, as install.sh reads them ("S --flag=value" secret, "P ..." plain); on media
#        nodes also "H --flag=<sha256>" per master argument (a master-only setting changed: restart media too).
# The program runs `check` on every node first (nothing is stopped if one refuses), then per round: stop media
# (drained), stop masters, update every node, start masters (health-gated), start media (health-gated).
# check decides the procedure from the node's own state and records it; the other phases follow that record
# and mark what they finished, so a run cut short is resumed by the next one.
set -eu
umask 077

label="" role="" phase="" round="" target="" steps="" checkpoint="" updater_base="" updater_sha="-"
health_url="" health_timeout=900 drain_timeout=3600 leader=no rules="" cluster_rules=""
for assignment in "$@"; do
    name=${assignment%%=*} value=${assignment#*=}
    case $name in
        label | role | phase | round | target | steps | checkpoint | updater_base | updater_sha | health_url | health_timeout | drain_timeout | leader | rules | cluster_rules)
            eval "$name=\$value" ;;
        *) echo "converge: unknown argument $name" >&2; exit 2 ;;
    esac
done

state=/var/lib/openvidu-ha
logdir=/var/log/openvidu-ha
work=/run/openvidu-ha
ov=/opt/openvidu
mkdir -p "$state" "$logdir" "$work"
chmod 700 "$state" "$logdir" "$work"

die() {
    echo "converge $phase failed on $label: $1" >&2
    exit 1
}
say() { echo "converge $phase ($round) on $label: $1"; }

args_file=$work/converge-args.$$
trap 'rm -f "$args_file" "$args_file".*' EXIT
trap 'exit 1' HUP INT TERM
cat > "$args_file"
if [ ! -s "$args_file" ] || grep -qv '^[SPH] --' "$args_file"; then
    die "malformed installer arguments on stdin"
fi

# A per-host salt: the node keeps hashes of what it applied, never the values (they are in /opt/openvidu only).
[ -s "$state/salt" ] || head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$state/salt"
salt=$(cat "$state/salt")
# "flag hash" per argument ("cluster:flag hash" for H lines): the value is hashed on stdin (printf is a shell
# builtin: no argument list).
hashes() {
    while IFS= read -r line; do
        flag=${line#? } flag=${flag%%=*}
        case $line in H*) flag=cluster:$flag ;; esac
        printf '%s %s\n' "$flag" "$(printf '%s\n%s' "$salt" "$line" | sha256sum | cut -d' ' -f1)"
    done < "$1"
}
hashes "$args_file" > "$args_file.hashes"
id=$({ printf '%s\n%s\n' "$salt" "$target"; cat "$args_file"; } | sha256sum | cut -c1-16)
dir=$state/converge/$id
plan=$dir/plan

installed_version() {
    sed -n 's/^version: *"\{0,1\}\([^"]*\)"\{0,1\} *$/\1/p' "$ov/deployment-info.yaml" 2>/dev/null | head -n 1
}
plan_get() { sed -n "s/^$1=//p" "$plan"; }

# The updater's path: every version after $1 up to $2 in $steps; fails when there is none.
path_after() {
    found=no out=""
    for v in $steps; do
        if [ "$found" = yes ]; then out="$out $v"; [ "$v" = "$2" ] && { echo "${out# }"; return 0; }; fi
        [ "$v" = "$1" ] && found=yes
    done
    return 1
}
index_of() {
    i=0
    for v in $steps; do [ "$v" = "$1" ] && { echo "$i"; return 0; }; i=$((i + 1)); done
    echo -1
}

# openvidu-ha:include mask-secrets.sh

# The updater's output masked (mask_secrets): the arguments' secret values, and those the node's config files hold
# under secret-looking names (users included) (an upgrade across release lines may print settings the new
# arguments no longer carry).
mask_updater_output() {
    grep -h -E '^[A-Z0-9_]*(PASSWORD|SECRET|KEY|LICENSE|USER)[A-Z0-9_]*=.' "$ov"/config/*/*.env "$ov"/config/*/*/*.env 2>/dev/null \
        | sed 's/^[^=]*=//' > "$args_file.known" || true
    mask_secrets "$args_file" "$args_file.known"
}

check() {
    if [ -f "$plan" ]; then
        say "resuming: $(tr '\n' ' ' < "$plan")"
        return 0
    fi
    mkdir -p "$dir"
    version=$(installed_version)
    if [ ! -f "$state/installed" ] || [ -z "$version" ]; then
        printf 'procedure=none\nlegs=\nsteps=\napplied=\n' > "$plan"
        say "not installed yet; its install step installs $target"
        return 0
    fi
    if [ ! -s "$state/applied" ]; then
        # Installed before openvidu-ha recorded what it applied: adopt the configured values as the node's.
        cp "$args_file.hashes" "$state/applied"
        say "no record of the applied configuration; taking the configured one as applied"
    fi
    if ! grep -q '^cluster:' "$state/applied" && grep -q '^cluster:' "$args_file.hashes"; then
        # Only a media node installed by an older openvidu-ha, whose install.sh recorded its own arguments only (it
        # records the masters' settings it joined with now): take the configured ones as those it runs with.
        grep '^cluster:' "$args_file.hashes" >> "$state/applied"
        say "no record of the masters' settings it joined with (installed by an older openvidu-ha); taking the configured ones as applied"
    fi
    problems=""
    legs="" path=""
    if [ "$version" != "$target" ]; then
        from=$(index_of "$version") to=$(index_of "$target")
        if [ "$from" -ge 0 ] && [ "$to" -ge 0 ] && [ "$to" -lt "$from" ]; then
            problems="openviduVersion $target is older than the installed $version: downgrades are not supported (roll back from the updater's backup instead, see README \"Day 2\")"
        elif ! path=$(path_after "$version" "$target"); then
            missing=$target
            [ "$from" -ge 0 ] || missing=$version
            problems="no upgrade path from the installed $version to openviduVersion $target: the vendor's updater knows no path through $missing (it upgrades along $(echo "$steps" | sed 's/ / -> /g'))"
        else
            cp_index=$(index_of "$checkpoint")
            if [ "$from" -lt "$cp_index" ] && [ "$to" -gt "$cp_index" ]; then legs="$checkpoint $target"; else legs=$target; fi
        fi
    fi
    # Changed flags: a different hash, or a flag only one side has.
    changed=$(sort "$state/applied" "$args_file.hashes" | uniq -u | cut -d' ' -f1 | sort -u)
    applied_flags=$(cut -d' ' -f1 "$state/applied")
    applied="" classes="" migrated=""
    for flag in $changed; do
        case $flag in
            cluster:*)
                # A master setting: media nodes only follow its class; the masters refuse what is refused.
                class=$(printf '%s\n' "$cluster_rules" | awk -v f="${flag#cluster:}" '$1 == f { print $2 }' | head -n 1)
                if [ -z "$legs" ] && { [ "$class" = cluster ] || [ "$class" = in-place ]; }; then classes="$classes $class"; fi
                continue ;;
        esac
        rule=$(printf '%s\n' "$rules" | awk -v f="$flag" '$1 == f' | head -n 1)
        on_both=no
        if printf '%s\n' "$applied_flags" | grep -qxF -- "$flag" && cut -d' ' -f1 "$args_file.hashes" | grep -qxF -- "$flag"; then on_both=yes; fi
        if [ "$on_both" = no ] && [ -n "$legs" ]; then
            migrated="$migrated $flag"
            continue
        fi
        if [ -z "$rule" ]; then
            problems="$problems${problems:+
}$flag cannot change on a running cluster: openvidu-ha does not change it on installed nodes (additionalInstallerFlags are applied by the installer only)"
            continue
        fi
        class=$(echo "$rule" | cut -d' ' -f2) key=$(echo "$rule" | cut -d' ' -f3)
        if [ "$class" = refused ]; then
            problems="$problems${problems:+
}$key ($flag) cannot change on a running cluster: $(echo "$rule" | cut -d' ' -f4-)"
        else
            applied="$applied $flag" classes="$classes $class"
        fi
    done
    [ -z "$migrated" ] || say "only one release line has$migrated: the updater's migration owns them"
    if [ -n "$problems" ]; then
        rm -rf "$dir"
        echo "converge check failed on $label: nothing was changed on any node." >&2
        printf '%s\n' "$problems" >&2
        exit 1
    fi
    procedure=none
    case " $classes " in *" in-place "*) procedure=in-place ;; esac
    case " $classes " in *" cluster "*) procedure=cluster ;; esac
    [ -z "$legs" ] || procedure=upgrade
    if [ -n "$legs" ]; then
        # Fetch the updater of every leg and pull the images of every step while the cluster still serves.
        for leg in $legs; do
            mkdir -p "$state/updater/$leg"
            url=$updater_base/$leg/update.sh
            if ! curl --proto '=https' --tlsv1.2 -fsSL --retry 3 --retry-delay 2 --connect-timeout 20 --max-time 300 -o "$state/updater/$leg/update.sh" "$url"; then
                rm -rf "$dir"; die "could not download the updater from $url"
            fi
            expected=$(printf '%s\n' "$updater_sha" | tr ',' '\n' | sed -n "s/^$leg=//p")
            if [ -n "$expected" ]; then
                actual=$(sha256sum "$state/updater/$leg/update.sh" | cut -d' ' -f1)
                [ "$actual" = "$expected" ] || { rm -rf "$dir"; die "updater checksum mismatch for $url: expected $expected, got $actual"; }
            fi
        done
        for step in $path; do
            docker pull "docker.io/openvidu/openvidu-updater:$step" >/dev/null || { rm -rf "$dir"; die "could not pull the updater image for $step"; }
        done
    fi
    printf 'procedure=%s\nlegs=%s\nsteps=%s\napplied=%s\n' "$procedure" "$legs" "$path" "${applied# }" > "$plan"
    say "installed $version, configured $target: $procedure${legs:+ (updater to $legs)}${applied:+ (applies$applied)}"
}

[ "$phase" = check ] && { check; exit 0; }
[ -f "$plan" ] || die "no plan for this configuration: its check step has not run (run pulumi up again)"
procedure=$(plan_get procedure) legs=$(plan_get legs)
done_mark=$dir/done-$round-$phase
if [ -f "$done_mark" ]; then
    say "done before"
    exit 0
fi
# Which version this round brings the node to, if the round upgrades it.
leg=""
if [ "$procedure" = upgrade ]; then
    if [ "$round" = final ]; then leg=${legs##* }; elif [ "${legs#* }" != "$legs" ]; then leg=${legs%% *}; fi
fi
# Does this round stop and start the node? Upgrades and cluster changes do; in-place changes restart the leader.
restarts=no
if [ -n "$leg" ] || { [ "$procedure" = cluster ] && [ "$round" = final ]; }; then restarts=yes; fi

health_gate() {
    started=$(date +%s)
    while ! last_error=$(curl -fsS -o /dev/null --max-time 5 "$health_url" 2>&1); do
        if [ $(($(date +%s) - started)) -ge "$health_timeout" ]; then
            die "$health_url did not answer within ${health_timeout}s (openvidu service: $(systemctl is-active openvidu 2>/dev/null || true); last error: $last_error)"
        fi
        sleep 1
    done
    say "healthy after $(($(date +%s) - started))s"
}

stop_node() {
    if [ "$role" = media ] && command -v docker >/dev/null 2>&1; then
        busy() {
            { docker ps -q --filter name='^openvidu$' --filter status=running
              docker ps -q --filter name='^ingress$' --filter status=running
              docker ps -q --filter name='^egress$' --filter status=running
              docker ps -q --filter label=openvidu-agent=true --filter status=running; } 2>/dev/null | sort -u
        }
        containers=$(busy)
        # shellcheck disable=SC2086 # one id per word
        [ -z "$containers" ] || docker kill --signal=SIGQUIT $containers >/dev/null
        started=$(date +%s)
        while [ -n "$(busy)" ] && [ $(($(date +%s) - started)) -lt "$drain_timeout" ]; do sleep 1; done
    fi
    systemctl stop openvidu
    say "stopped"
}

# Writes VARIABLE=value of each applied flag into the node's config files (the vendor's "change configuration").
apply_config() {
    for flag in $(plan_get applied); do
        value=$(grep -m 1 "^[SP] $flag=" "$args_file" | cut -d' ' -f2-) value=${value#*=}
        for location in $(printf '%s\n' "$rules" | awk -v f="$flag" '$1 == f { for (i = 4; i <= NF; i++) print $i }'); do
            file=$ov/${location%%:*} variable=${location#*:}
            [ -f "$file" ] || die "$file is missing"
            printf '%s' "$value" > "$args_file.value"
            awk -v var="$variable" -v value_file="$args_file.value" '
                BEGIN { getline value < value_file }
                index($0, var "=") == 1 { print var "=" value; done = 1; next }
                { print }
                END { if (!done) print var "=" value }' "$file" > "$file.openvidu-ha-new"
            chmod --reference="$file" "$file.openvidu-ha-new" 2>/dev/null || true
            mv "$file.openvidu-ha-new" "$file"
            say "$variable written in ${location%%:*}"
        done
    done
}

run_updater() {
    current=$(installed_version)
    if [ "$current" = "$leg" ]; then
        say "already on $leg"
        return 0
    fi
    log=$logdir/update-$leg-$(date +%Y%m%dT%H%M%S).log
    say "running the updater $current -> $leg (output, secrets masked, in $log)"
    rm -f "$work/updater-output"
    mkfifo -m 600 "$work/updater-output"
    # Its stderr is not the step's (as in install.sh): a process the updater leaves running holds the FIFO, and the
    # masker would keep the SSH session open until that process exits.
    mask_updater_output < "$work/updater-output" > "$log" 2>/dev/null &
    mask_pid=$!
    rc=0
    UPDATE_BASE_URL=$updater_base OPENVIDU_SKIP_DOCKER_VERSION_CHECK=true OPENVIDU_SKIP_DOCKER_COMPOSE_VERSION_CHECK=true \
        sh "$state/updater/$leg/update.sh" --no-tty > "$work/updater-output" 2>&1 < /dev/null || rc=$?
    # The masker ends when the updater's output closes; a process the updater left running may hold it open.
    waited=0
    while kill -0 "$mask_pid" 2>/dev/null && [ "$waited" -lt 10 ]; do
        sleep 1
        waited=$((waited + 1))
    done
    kill "$mask_pid" 2>/dev/null || true
    wait "$mask_pid" 2>/dev/null || true
    rm -f "$work/updater-output"
    if [ "$rc" -ne 0 ]; then
        echo "converge update failed on $label: the updater $current -> $leg exited with $rc (node now on $(installed_version)); last lines of $log (secrets masked):" >&2
        tail -n 20 "$log" >&2
        echo "Fix the cause and run pulumi up again: it resumes. To roll back instead, see README \"Day 2\"." >&2
        exit 1
    fi
    say "updated to $(installed_version); the updater's backup is in $ov/backups/"
}

case $phase in
    stop)
        if [ "$restarts" = yes ]; then stop_node; else say "nothing to stop ($procedure)"; fi ;;
    update)
        [ -z "$leg" ] || run_updater
        if [ "$round" = final ]; then
            apply_config
            cp "$args_file.hashes" "$state/applied"
        fi
        [ -n "$leg" ] || [ "$round" = final ] || say "nothing to update in this round" ;;
    start)
        if [ "$restarts" = yes ]; then
            systemctl start openvidu
            say "started"
            health_gate
        elif [ "$procedure" = in-place ] && [ "$round" = final ] && [ "$leader" = yes ]; then
            systemctl restart openvidu
            say "restarted (applies the change to every master)"
            health_gate
        else
            say "nothing to start ($procedure)"
        fi ;;
    *) die "unknown phase $phase" ;;
esac
touch "$done_mark"
