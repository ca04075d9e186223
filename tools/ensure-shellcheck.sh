#!/bin/sh
# Run by `npm test` (pretest): the tests shellcheck every host script and generated command, so shellcheck must be
# on PATH. npm has no package that ships its binary (the `shellcheck` package downloads it from GitHub when it
# runs), so on Debian/Ubuntu this installs the distribution's package when it is missing: as root, or with
# passwordless sudo. Anywhere else it says what to install. Messages go to stderr.
set -eu

command -v shellcheck >/dev/null 2>&1 && exit 0

if command -v apt-get >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then
        as_root=""
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        as_root="sudo -n"
    else
        echo "npm test needs shellcheck: run 'sudo apt-get install shellcheck' once, then npm test again" >&2
        exit 1
    fi
    echo "npm test: shellcheck is missing; installing Debian's package (apt-get)" >&2
    # shellcheck disable=SC2086 # as_root is empty or "sudo -n": splitting is intended
    $as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
    # shellcheck disable=SC2086
    $as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends shellcheck >&2
    command -v shellcheck >/dev/null 2>&1 && exit 0
fi
echo "npm test needs shellcheck on PATH (https://github.com/koalaman/shellcheck#installing; Debian/Ubuntu: apt-get install shellcheck, macOS: brew install shellcheck)" >&2
exit 1
