#!/bin/sh
# openvidu-ha preflight: checks a host before anything is installed on it, and before its firewall or install step
# changes it on a later up.
# Usage: preflight.sh <host-label> <private-ip> <min-cpus> <min-memory-mb> <master-private-ips>
#   master-private-ips: the configured masters' private IPs, comma-separated, as the installers get them.
# Reports every failed check, each naming the host, and exits 1 if any failed. Changes nothing on the host.
set -eu

label=$1 private_ip=$2 min_cpus=$3 min_mem_mb=$4 master_ips=$5
failures=0

fail() {
    echo "preflight failed on $label: $1" >&2
    failures=$((failures + 1))
}

if [ "$(uname -s)" != "Linux" ]; then
    fail "operating system is $(uname -s), Linux is required"
fi

# sd_booted(3): systemd is the init system when this directory exists.
if [ ! -d /run/systemd/system ]; then
    fail "systemd is not running (no /run/systemd/system); the openvidu service needs systemd"
fi

if [ "$(id -u)" -ne 0 ]; then
    fail "not running as root"
fi

bound_ips=$(ip -o addr show 2>/dev/null | awk '{ split($4, a, "/"); print a[1] }' || true)
if ! printf '%s\n' "$bound_ips" | grep -qxF "$private_ip"; then
    fail "privateIp $private_ip is not bound on this host (bound: $(printf '%s' "$bound_ips" | tr '\n' ' '))"
fi

cpus=$(grep -c '^processor' /proc/cpuinfo || true)
if [ "${cpus:-0}" -lt "$min_cpus" ]; then
    fail "$cpus CPU cores, at least $min_cpus are required"
fi

mem_kb=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
mem_mb=$((${mem_kb:-0} / 1024))
if [ "$mem_mb" -lt "$min_mem_mb" ]; then
    fail "${mem_mb} MB of memory, at least $min_mem_mb MB are required"
fi

for tool in ip curl sha256sum base64 awk systemctl; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        fail "required command '$tool' is missing"
    fi
done

# A master's private IP cannot change on an installed cluster: every node was installed with the 4 masters' IPs
# (--master-node-private-ip-list, kept in its config and in MongoDB's replica set). install.sh recorded that argument
# line as a salted hash in applied (as converge.sh compares them); a node installed with another list refuses here,
# before its firewall step could admit the new addresses and drop the old ones. A node not installed yet (a first
# deploy that failed, then corrected) has no record and passes.
state=/var/lib/openvidu-ha
if [ -f "$state/installed" ] && [ -s "$state/salt" ] && [ -s "$state/applied" ]; then
    recorded=$(awk '$1 == "--master-node-private-ip-list" { print $2; exit }' "$state/applied")
    configured=$(printf '%s\n%s' "$(cat "$state/salt")" "P --master-node-private-ip-list=$master_ips" | sha256sum | cut -d' ' -f1)
    if [ -n "$recorded" ] && [ "$recorded" != "$configured" ]; then
        fail "masterNodes[].privateIp: this node was installed with other master private IPs than the configured $master_ips; a master's privateIp cannot change on an installed cluster (every node's configuration and MongoDB's replica set hold the master IP list): restore the addresses the cluster was installed with, or deploy a new cluster"
    fi
fi

if [ "$failures" -gt 0 ]; then
    echo "preflight failed on $label: $failures check(s) failed" >&2
    exit 1
fi
echo "preflight passed on $label: Linux with systemd, root, $private_ip bound, $cpus cores, ${mem_mb} MB"
