#!/bin/sh
# openvidu-ha preflight: checks a host before anything is installed on it.
# Usage: preflight.sh <host-label> <private-ip> <min-cpus> <min-memory-mb>
# Reports every failed check, each naming the host, and exits 1 if any failed.
set -eu

label=$1 private_ip=$2 min_cpus=$3 min_mem_mb=$4
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

if [ "$failures" -gt 0 ]; then
    echo "preflight failed on $label: $failures check(s) failed" >&2
    exit 1
fi
echo "preflight passed on $label: Linux with systemd, root, $private_ip bound, $cpus cores, ${mem_mb} MB"
