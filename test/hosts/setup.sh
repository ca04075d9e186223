#!/bin/sh
# Installs what the test-host harness (test/hosts) needs on a fresh Debian 12
# machine. Idempotent; run as root. Called from .ci/run.
set -eu

if [ "$(id -u)" -ne 0 ]; then
  echo "setup.sh: run as root" >&2
  exit 1
fi

# util-linux (unshare, nsenter, runuser), passwd (useradd) and coreutils are
# essential packages on Debian; listed anyway so a minimal image gets them.
PACKAGES="openssh-server openssh-client iproute2 nftables sudo curl python3 shellcheck
ca-certificates openssl util-linux passwd coreutils procps"

missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "setup.sh: installing$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  # shellcheck disable=SC2086 # word splitting of the package list is intended
  apt-get install -y -q --no-install-recommends $missing
fi

# The package does not start sshd under policy-rc.d, so its runtime dir may be missing.
mkdir -p /run/sshd
chmod 755 /run/sshd

# The harness needs overlayfs and network namespaces.
if ! grep -qw overlay /proc/filesystems; then modprobe overlay 2>/dev/null || true; fi
grep -qw overlay /proc/filesystems || { echo "setup.sh: overlayfs is not available" >&2; exit 1; }
echo "setup.sh: test-host prerequisites are installed"
