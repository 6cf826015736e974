#!/usr/bin/env bash
# The CLI benchmark (issue 12, item 8): a whole `lbcloud --provider elb list`
# process beside a whole `aws elb describe-load-balancers` process (the AWS
# CLI v1, from PyPI, in its own virtualenv under bench/), both against one
# local moto server holding the same balancers. The two alternate (which
# goes first flips every round) and the medians are compared; the target is
# lbcloud >= 10x faster per command. Also reports the stripped size of the
# release binary.
#
#   bench/cli/run.sh [--rounds N] [--balancers N]
#
# Needs cargo, python3 (with venv) and strip. Prints a markdown table and
# writes it to bench/target/cli/table.md.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."

ROUNDS=21
BALANCERS=20
AWSCLI_VERSION="1.46.3"
# The same pins as scripts/test.sh, so the peer is the one the tests use.
MOTO_VERSION="5.2.5"
FLASK_VERSION="3.1.3"
FLASK_CORS_VERSION="6.0.5"
MOTO_VENV=".venv-moto"
AWS_VENV="bench/.venv-awscli"
OUT="bench/target/cli"
TARGET="${CARGO_TARGET_DIR:-target}"

while [[ $# -gt 0 ]]; do
    case "$1" in
        --rounds) ROUNDS=$2; shift 2 ;;
        --balancers) BALANCERS=$2; shift 2 ;;
        *) echo "usage: $0 [--rounds N] [--balancers N]" >&2; exit 2 ;;
    esac
done
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ && "$BALANCERS" =~ ^[0-9]+$ ]] || { echo "rounds and balancers are whole numbers" >&2; exit 2; }

die() { echo "bench/cli: $*" >&2; exit 1; }
mkdir -p "$OUT"

# --- the binary -----------------------------------------------------------
cargo build --release -q -p lbcloud-cli
BIN="$TARGET/release/lbcloud"
[[ -x "$BIN" ]] || die "no binary at $BIN"
strip -o "$OUT/lbcloud" "$BIN"
SIZE_BYTES=$(stat -c %s "$OUT/lbcloud")
BIN="$OUT/lbcloud"

# --- the peers: moto and the AWS CLI, each in its own virtualenv ------------
version_in() { "$1/bin/python" -c "import importlib.metadata as m; print(m.version('$2'))" 2>/dev/null || true; }
if [[ "$(version_in "$MOTO_VENV" moto)" != "$MOTO_VERSION" ]]; then
    rm -rf "$MOTO_VENV"
    python3 -m venv "$MOTO_VENV"
    "$MOTO_VENV/bin/pip" install -q --disable-pip-version-check \
        "moto[server]==$MOTO_VERSION" "flask==$FLASK_VERSION" "flask-cors==$FLASK_CORS_VERSION"
fi
if [[ "$(version_in "$AWS_VENV" awscli)" != "$AWSCLI_VERSION" ]]; then
    rm -rf "$AWS_VENV"
    python3 -m venv "$AWS_VENV"
    "$AWS_VENV/bin/pip" install -q --disable-pip-version-check "awscli==$AWSCLI_VERSION"
fi
AWS="$AWS_VENV/bin/aws"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
ENDPOINT="http://127.0.0.1:$PORT"
MOTO_LOG="$OUT/moto.log"
"$MOTO_VENV/bin/moto_server" -H 127.0.0.1 -p "$PORT" >"$MOTO_LOG" 2>&1 &
MOTO_PID=$!
trap 'kill "$MOTO_PID" 2>/dev/null || true; wait "$MOTO_PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
    python3 -c "import urllib.request; urllib.request.urlopen('$ENDPOINT/', timeout=1)" 2>/dev/null && break
    kill -0 "$MOTO_PID" 2>/dev/null || die "moto exited; see $MOTO_LOG"
    sleep 0.5
done

# Static test credentials for both, nothing read from ~/.aws.
export AWS_ACCESS_KEY_ID=AKIDBENCHCLI AWS_SECRET_ACCESS_KEY=bench-cli-secret
export AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true
unset LBCLOUD_PROVIDER LBCLOUD_OPTIONS

LBCLOUD=("$BIN" --provider elb --endpoint "$ENDPOINT" list)
AWSCMD=("$AWS" --endpoint-url "$ENDPOINT" elb describe-load-balancers)

for i in $(seq 1 "$BALANCERS"); do
    "$BIN" -q --provider elb --endpoint "$ENDPOINT" create "bench-cli-$i" --port 80 --protocol http \
        --instance-port 8080 --zone us-east-1a >/dev/null
done
# Both must see every balancer.
ours=$("$BIN" --provider elb --endpoint "$ENDPOINT" --output json list | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
theirs=$("${AWSCMD[@]}" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["LoadBalancerDescriptions"]))')
[[ "$ours" == "$BALANCERS" && "$theirs" == "$BALANCERS" ]] || die "lbcloud lists $ours, aws $theirs, expected $BALANCERS"

# Wall time of one whole process, in microseconds.
time_us() {
    local start=$EPOCHREALTIME
    "$@" >/dev/null || die "failed: $*"
    local end=$EPOCHREALTIME
    echo $(( (${end/./} - ${start/./}) ))
}

time_us "${LBCLOUD[@]}" >/dev/null; time_us "${AWSCMD[@]}" >/dev/null   # warm-up (page cache, moto)
: >"$OUT/lbcloud.us"; : >"$OUT/aws.us"
for r in $(seq 1 "$ROUNDS"); do
    if (( r % 2 )); then
        time_us "${LBCLOUD[@]}" >>"$OUT/lbcloud.us"; time_us "${AWSCMD[@]}" >>"$OUT/aws.us"
    else
        time_us "${AWSCMD[@]}" >>"$OUT/aws.us"; time_us "${LBCLOUD[@]}" >>"$OUT/lbcloud.us"
    fi
done

python3 - "$OUT" "$ROUNDS" "$BALANCERS" "$SIZE_BYTES" "$AWSCLI_VERSION" "$MOTO_VERSION" <<'EOF'
import statistics, sys, os
out, rounds, balancers, size, awscli, moto = sys.argv[1:]
read = lambda n: [int(x) / 1000 for x in open(os.path.join(out, n)).read().split()]
ours, theirs = read("lbcloud.us"), read("aws.us")
mo, mt = statistics.median(ours), statistics.median(theirs)
ratio = mt / mo
rows = [
    "| measure | lbcloud | aws (CLI v1) | ratio aws / lbcloud | target | |",
    "|---|---|---|---|---|---|",
    f"| one listing process, median of {rounds} ({balancers} balancers, moto {moto}) | {mo:.1f} ms | {mt:.1f} ms | {ratio:.1f}x | >= 10x | {'pass' if ratio >= 10 else 'FAIL'} |",
    f"| fastest / slowest | {min(ours):.1f} / {max(ours):.1f} ms | {min(theirs):.1f} / {max(theirs):.1f} ms | | | |",
    f"| stripped release binary `lbcloud` | {int(size) / 1048576:.2f} MiB | awscli {awscli} | | | |",
]
table = "\n".join(rows)
print(table)
open(os.path.join(out, "table.md"), "w").write(table + "\n")
EOF
