#!/bin/sh
# Boots one test host. Runs as PID 1 of a fresh PID namespace, inside the host's
# network namespace and its own private mount and UTS namespaces (see test-host.ts).
# $1 = the host's directory on the real machine. Everything the host writes lands there.
set -eu

D=$1
# shellcheck source=/dev/null
. "$D/host.env"   # HOST_NAME HOST_ADDR SYSTEMD SSHD EXTRA_USER EXTRA_UID EXTRA_USER_SUDO
IN=/run/ovha-test-host   # where $D/state is visible inside the host

# Like a reboot, start without nftables rules (the netns outlives host restarts).
# An unreachable host (no sshd) drops every packet from outside, so dials time out.
nft flush ruleset
if [ "$SSHD" != 1 ]; then
  nft -f - <<'EOF'
table inet ovha_unreachable {
  chain input { type filter hook input priority -100; policy drop; iif "lo" accept; }
}
EOF
fi

# Writable copies of the machine's directories: reads fall through to the real
# directory, writes go to this host's upperdir only.
dirs="/etc /var /usr/local /opt /home /root"
# No systemd package on this machine: /usr/bin/systemctl is created in an overlay.
[ -e /usr/bin/systemctl ] || dirs="/usr/bin $dirs"
for dir in $dirs; do
  name=$(printf '%s' "$dir" | tr / _)
  mkdir -p "$D/fs/upper/$name" "$D/fs/work/$name"
  mount -t overlay "ovha$name" \
    -o "lowerdir=$dir,upperdir=$D/fs/upper/$name,workdir=$D/fs/work/$name" "$dir"
done

# Units to start at boot: those enabled on this host, not the ones the real
# machine's /etc has enabled. Listed now: $D may be under /tmp, hidden below.
boot_units=""
if [ -f "$D/boot-units" ]; then
  # A saved disk put back (test/hosts/host-snapshot.ts): the units that were active when it was saved, once.
  boot_units=$(cat "$D/boot-units")
  rm -f "$D/boot-units"
elif [ "$SYSTEMD" = 1 ]; then
  for unit in "$D"/fs/upper/_etc/systemd/system/multi-user.target.wants/*.service; do
    if [ -L "$unit" ]; then boot_units="$boot_units $(basename "$unit")"; fi
  done
fi

# Fresh /run (like a reboot); the host directory stays reachable at $IN. Drop the
# copies of mounts under /run first: /run/netns/* would pin other hosts' netns.
awk '$5 ~ "^/run/" { print $5 }' /proc/self/mountinfo | sort -r | while read -r m; do
  umount -l "$m" 2>/dev/null || true
done
mount -t tmpfs -o mode=755 ovha-run /run
mkdir -p /run/sshd "$IN" /run/lock
chmod 755 /run/sshd
mount --bind "$D/state" "$IN"
if [ "$SYSTEMD" = 1 ]; then mkdir -p /run/systemd/system; fi

# Fresh /tmp, after the last use of $D (which may live under /tmp).
mount -t tmpfs -o mode=1777 ovha-tmp /tmp

# What the host's scripts see as CPU count and memory.
mount --bind "$IN/cpuinfo" /proc/cpuinfo
mount --bind "$IN/meminfo" /proc/meminfo

# Test doubles and the test CA. Targets are created in the overlays when missing.
[ -e /usr/bin/systemctl ] || : > /usr/bin/systemctl
mount --bind "$IN/doubles/systemctl-double/systemctl" /usr/bin/systemctl
mkdir -p /usr/local/bin /etc/ssl/certs
[ -e /usr/local/bin/docker ] || : > /usr/local/bin/docker
mount --bind "$IN/doubles/docker-double/docker" /usr/local/bin/docker
[ -e /etc/ssl/certs/ca-certificates.crt ] || : > /etc/ssl/certs/ca-certificates.crt
mount --bind "$IN/ca.crt" /etc/ssl/certs/ca-certificates.crt

hostname "$HOST_NAME"
if [ ! -e "$IN/first-boot-done" ]; then
  printf '%s\n' "$HOST_NAME" > /etc/hostname
  printf '%s %s\n' "$HOST_ADDR" "$HOST_NAME" >> /etc/hosts
  # Hosts have no default route; make name lookups fail fast and locally too.
  rm -f /etc/resolv.conf
  printf 'nameserver 127.0.0.1\n' > /etc/resolv.conf
  if [ -n "$EXTRA_USER" ]; then
    useradd --create-home --shell /bin/bash --uid "$EXTRA_UID" "$EXTRA_USER"
    # '*' = no password but not locked, so key login works with UsePAM no.
    usermod -p '*' "$EXTRA_USER"
    if [ "$EXTRA_USER_SUDO" = 1 ]; then
      printf '%s ALL=(ALL) NOPASSWD:ALL\n' "$EXTRA_USER" > "/etc/sudoers.d/ovha-$EXTRA_USER"
      chmod 440 "/etc/sudoers.d/ovha-$EXTRA_USER"
    fi
  fi
  : > "$IN/first-boot-done"
fi

# A test's own per-boot setup (devices, routes to fakes), before any unit starts, as
# udev and the network would be ready on a real machine. Optional: $IN/boot-hook.sh.
if [ -f "$IN/boot-hook.sh" ]; then
  sh "$IN/boot-hook.sh"
fi

if [ "$SSHD" = 1 ]; then
  /usr/sbin/sshd -f "$IN/sshd_config" -E "$IN/sshd.log"
fi
# Emulate systemd starting enabled units at boot.
for unit in $boot_units; do
  OVHA_BOOT=1 /usr/bin/systemctl start "$unit" || true
done

date +%s > "$IN/booted"
# Stay PID 1 and reap orphans (the doubles check liveness via /proc).
exec /usr/bin/python3 -c '
import os, time
while True:
    try:
        os.waitpid(-1, 0)
    except ChildProcessError:
        time.sleep(1)
'
