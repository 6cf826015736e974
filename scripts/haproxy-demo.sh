#!/usr/bin/env bash
# Starts a local HAProxy for lbcloud with three demo backends, so the
# tutorial and the haproxy examples can run against it in one command:
#
#   ./scripts/haproxy-demo.sh            # Ctrl-C stops everything
#   ./scripts/haproxy-demo.sh --env-file F   # also writes the settings to F
#                                            # (sourceable), as scripts/test.sh uses it
#
# HAProxy runs in master-worker mode (-W) with its master CLI (-S) and an
# admin stats socket in a temp dir, loading a base config and the empty
# file lbcloud owns (-f base.cfg -f lbcloud.cfg). The backends are
# python3 http.server processes on 127.0.0.1:9001-9003, each answering
# with its own name (and 200 on /health).
set -euo pipefail

ENV_FILE=""
if [[ "${1:-}" == "--env-file" ]]; then
    ENV_FILE=${2:?--env-file needs a path}
fi

cd "$(dirname "${BASH_SOURCE[0]}")/.."
./scripts/install-haproxy.sh >/dev/null
HAPROXY=$(command -v haproxy 2>/dev/null || echo /usr/sbin/haproxy)
command -v python3 >/dev/null || { echo "haproxy-demo.sh: python3 is needed for the demo backends" >&2; exit 1; }

DIR=$(mktemp -d -t lbcloud-haproxy.XXXXXX)
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do
        kill "${pid}" 2>/dev/null || true
    done
    wait 2>/dev/null || true
    rm -rf "${DIR}"
}
trap cleanup EXIT INT TERM

cat >"${DIR}/base.cfg" <<CFG
global
    stats socket ${DIR}/admin.sock level admin
defaults
    timeout connect 5s
    timeout client 30s
    timeout server 30s
CFG
echo "# lbcloud-haproxy owned config, format 1" >"${DIR}/lbcloud.cfg"

for i in 1 2 3; do
    mkdir -p "${DIR}/www${i}"
    printf 'backend-%s' "${i}" >"${DIR}/www${i}/index.html"
    printf 'ok' >"${DIR}/www${i}/health"
    python3 -m http.server "900${i}" --bind 127.0.0.1 --directory "${DIR}/www${i}" >"${DIR}/backend${i}.log" 2>&1 &
    PIDS+=($!)
done

"${HAPROXY}" -W -S "${DIR}/master.sock" -f "${DIR}/base.cfg" -f "${DIR}/lbcloud.cfg" >"${DIR}/haproxy.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 100); do
    [[ -S "${DIR}/master.sock" ]] && break
    sleep 0.1
done
[[ -S "${DIR}/master.sock" ]] || { cat "${DIR}/haproxy.log" >&2; echo "haproxy-demo.sh: HAProxy did not start" >&2; exit 1; }

OPTIONS="config_file=${DIR}/lbcloud.cfg,master_socket=${DIR}/master.sock,admin_socket=${DIR}/admin.sock,base_config=${DIR}/base.cfg,bind_address=127.0.0.1"
MEMBERS="127.0.0.1:9001,127.0.0.1:9002,127.0.0.1:9003"
if [[ -n "${ENV_FILE}" ]]; then
    printf "export LBCLOUD_OPTIONS='%s'\nexport LBCLOUD_MEMBERS='%s'\n" "${OPTIONS}" "${MEMBERS}" >"${ENV_FILE}.tmp"
    mv "${ENV_FILE}.tmp" "${ENV_FILE}"
fi
cat <<MSG
HAProxy is running (log: ${DIR}/haproxy.log); demo backends on 127.0.0.1:9001, :9002, :9003.
In another shell:

  export LBCLOUD_PROVIDER=haproxy
  export LBCLOUD_OPTIONS='${OPTIONS}'
  export LBCLOUD_MEMBERS='${MEMBERS}'
  cargo run --features haproxy --example tutorial
  cargo run -p lbcloud-haproxy --example haproxy_quickstart

Press Ctrl-C to stop HAProxy and the backends.
MSG
wait
