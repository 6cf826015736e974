#!/usr/bin/env bash
# Makes sure a real HAProxy (2.6 or later, Debian's package) is installed
# for the HAProxy driver's tests (crates/peer-tests).
# Installs it with apt-get when missing; fails loudly when it cannot, since
# the traffic tests must never be skipped.
set -euo pipefail

die() {
    echo "install-haproxy.sh: ERROR: $*" >&2
    exit 1
}

find_haproxy() {
    command -v haproxy 2>/dev/null || { [[ -x /usr/sbin/haproxy ]] && echo /usr/sbin/haproxy; } || true
}

bin=$(find_haproxy)
if [[ -z "${bin}" ]]; then
    command -v apt-get >/dev/null || die "haproxy is missing and apt-get is not available; install HAProxy 2.6+"
    sudo=""
    if [[ $(id -u) -ne 0 ]]; then
        command -v sudo >/dev/null || die "haproxy is missing; run as root or install sudo"
        sudo="sudo"
    fi
    export DEBIAN_FRONTEND=noninteractive
    ${sudo} apt-get update -q || die "apt-get update failed"
    ${sudo} apt-get install -y -q haproxy || die "apt-get install haproxy failed"
    bin=$(find_haproxy)
    [[ -n "${bin}" ]] || die "haproxy is still not found after apt-get install"
fi

version=$("${bin}" -v | sed -n 's/^HAProxy version \([0-9]*\.[0-9]*\).*/\1/p' | head -n1)
major=${version%%.*}
minor=${version#*.}
if [[ -z "${version}" ]] || ((major < 2 || (major == 2 && minor < 6))); then
    die "${bin} is HAProxy ${version:-of unknown version}; the driver needs 2.6 or later"
fi
echo "haproxy ${version} at ${bin}"
