#!/usr/bin/env bash
# Side-by-side benchmark: lbcloud's ElbDriver vs aws-sdk-elasticloadbalancing.
#
#   bench/run.sh                 # everything: 3 rounds + clean builds (~10 min)
#   bench/run.sh --rounds 5      # more rounds of the runtime measurements
#   bench/run.sh --skip-build    # reuse the last clean-build figures
#   bench/run.sh --report        # only reprint the table of the last run
#
# Runtime: a stub on 127.0.0.1 (bench/compare/src/bin/stub.rs) answers
# DescribeLoadBalancers (two fixtures of different shapes) and, delayed by
# 50 ms per answer, a tagged listing; the two clients run ALTERNATELY
# (lbcloud, sdk, lbcloud, sdk, ...), one process per measurement so each
# peak RSS (VmHWM) is that measurement's own. Medians over the rounds. The
# tagged listing (round trips, not parsing) is measured for lbcloud only.
# Build: bench/minimal-lbcloud and bench/minimal-sdk, each from clean with
# its own target dir (sources fetched first, so no download is timed),
# release profile, then `strip`.
# Prints a markdown table (ratios lbcloud / SDK, targets, pass/fail) and
# writes it to bench/target/table.md.
set -euo pipefail
cd "$(dirname "$0")"
BENCH_DIR=$(pwd)
TARGET="$BENCH_DIR/target"
ROUNDS=3
BUILD=1
REPORT_ONLY=0
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS=$2; shift 2 ;;
    --skip-build) BUILD=0; shift ;;
    --report) REPORT_ONLY=1; shift ;;
    *) echo "usage: $0 [--rounds N] [--skip-build] [--report]" >&2; exit 2 ;;
  esac
done
mkdir -p "$TARGET"
RESULTS="$TARGET/results.txt"
BUILDS="$TARGET/builds.txt"
MACHINE_FILE="$TARGET/machine.txt"
if [ "$REPORT_ONLY" = 0 ]; then
: > "$RESULTS"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

echo "== building the comparison harness (release)" >&2
(cd compare && cargo build --release --target-dir "$TARGET/compare" -q)
BIN="$TARGET/compare/release"

STUB_OUT="$TARGET/stub.out"
"$BIN/stub" > "$STUB_OUT" &
STUB_PID=$!
trap 'kill "$STUB_PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do grep -q '^ready' "$STUB_OUT" && break; sleep 0.1; done
read -r _ ONE PAGE PAGE2 LIST TAGS < "$STUB_OUT"
url() { echo "http://127.0.0.1:${1#*=}"; }
echo "== stub ready: $(cat "$STUB_OUT")" >&2

for round in $(seq 1 "$ROUNDS"); do
  for mode in one page page2 list tags; do
    case $mode in
      one) u=$(url "$ONE") ;; page) u=$(url "$PAGE") ;; page2) u=$(url "$PAGE2") ;;
      list) u=$(url "$LIST") ;; tags) u=$(url "$TAGS") ;;
    esac
    clients="lbcloud sdk"
    [ "$mode" = tags ] && clients="lbcloud"
    for client in $clients; do
      line=$("$BIN/$client-client" "$mode" "$u" | grep '^RESULT')
      echo "round=$round $line" | tee -a "$RESULTS" >&2
    done
  done
done

if [ "$BUILD" = 1 ]; then
  : > "$BUILDS"
  for side in lbcloud sdk; do
    dir="minimal-$side"
    tdir="$TARGET/$dir"
    echo "== clean release build of bench/$dir" >&2
    # Resolve and download first (lbcloud is a path dependency, so its lock
    # entry follows the checkout); the timed build is offline.
    (cd "$dir" && cargo fetch -q)
    rm -rf "$tdir"
    start=$(date +%s.%N)
    (cd "$dir" && cargo build --release --locked --offline -q --target-dir "$tdir")
    end=$(date +%s.%N)
    cp "$tdir/release/$dir" "$tdir/$dir.stripped"
    strip "$tdir/$dir.stripped"
    secs=$(python3 -c "print(round($end - $start, 1))")
    bytes=$(stat -c %s "$tdir/$dir.stripped")
    echo "BUILD client=$side secs=$secs bytes=$bytes" | tee -a "$BUILDS" >&2
  done
fi
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
CPU=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
echo "$(nproc) CPUs ($CPU), load average (1/5/15 min) $LOAD_START at start, $LOAD_END at end; $(rustc --version)" > "$MACHINE_FILE"
fi
[ -s "$RESULTS" ] || { echo "no results yet: run without --report first" >&2; exit 1; }
MACHINE=$(cat "$MACHINE_FILE")
[ -s "$BUILDS" ] || { echo "no build figures yet: run without --skip-build once" >&2; exit 1; }

python3 - "$RESULTS" "$BUILDS" "$ROUNDS" "$MACHINE" <<'PY' | tee "$TARGET/table.md"
import statistics, sys
results, builds, rounds, machine = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
runs = {}
for line in open(results):
    f = dict(kv.split("=", 1) for kv in line.split() if "=" in kv)
    runs.setdefault((f["client"], f["mode"]), []).append(f)
build = {}
for line in open(builds):
    f = dict(kv.split("=", 1) for kv in line.split() if "=" in kv)
    build[f["client"]] = f
rounds = len(runs[("lbcloud", "one")])
def med(client, mode, key):
    return statistics.median(float(r[key]) for r in runs[(client, mode)])
MB = 1024 * 1024
rows = [
    # label, lbcloud, sdk, format, target ratio, higher is better
    ("1-balancer answer, calls/s (2,000 sequential)", med("lbcloud", "one", "per_s"), med("sdk", "one", "per_s"), "{:,.0f}", 1.5, True),
    ("400-balancer page, calls/s (200 sequential, every field)", med("lbcloud", "page", "per_s"), med("sdk", "page", "per_s"), "{:,.1f}", 3.0, True),
    ("400-balancer page of the second fixture (other shape), calls/s", med("lbcloud", "page2", "per_s"), med("sdk", "page2", "per_s"), "{:,.1f}", 3.0, True),
    ("peak RSS, 400-page run (MiB)", med("lbcloud", "page", "peak_kib") / 1024, med("sdk", "page", "peak_kib") / 1024, "{:.1f}", 0.65, False),
    ("10,000 balancers streamed (25 pages), s", med("lbcloud", "list", "secs"), med("sdk", "list", "secs"), "{:.3f}", None, False),
    ("10,000 balancers streamed, peak RSS (MiB)", med("lbcloud", "list", "peak_kib") / 1024, med("sdk", "list", "peak_kib") / 1024, "{:.1f}", None, False),
    ("clean release build of the minimal program, s", float(build["lbcloud"]["secs"]), float(build["sdk"]["secs"]), "{:.0f}", 0.4, False),
    ("stripped minimal binary (MiB)", int(build["lbcloud"]["bytes"]) / MB, int(build["sdk"]["bytes"]) / MB, "{:.2f}", 0.35, False),
]
print(f"Medians of {rounds} alternating rounds; ratio = lbcloud / SDK. Machine: {machine}.\n")
tagged = None
if ("lbcloud", "tags") in runs:
    tagged = (med("lbcloud", "tags", "rtts"), med("lbcloud", "tags", "secs"))
print("| Measurement | lbcloud | AWS SDK | Ratio | Target | Result |")
print("|---|---:|---:|---:|---:|---|")
for label, ours, theirs, fmt, target, higher in rows:
    ratio = ours / theirs
    if target is None:
        tgt, ok = "-", "-"
    else:
        tgt = f"{'>=' if higher else '<='} {target}x"
        good = ratio >= target if higher else ratio <= target
        ok = "pass" if good else "FAIL"
    print(f"| {label} | {fmt.format(ours)} | {fmt.format(theirs)} | {ratio:.2f}x | {tgt} | {ok} |")
if tagged is not None:
    rtts, secs = tagged
    verdict = "pass" if rtts <= 12 else "FAIL"
    print(f"\nlbcloud: 1,000 balancers with tags (3 pages, 50 DescribeTags) at 50 ms per answer: {secs:.3f} s = {rtts:.1f} round trips (target <= 12, sequential would be 53): {verdict}.")
for client in ("lbcloud", "sdk"):
    page = med(client, "page", "peak_kib")
    lst = med(client, "list", "peak_kib")
    print(f"\n{client}: streaming 10,000 balancers peaks at {lst/1024:.1f} MiB, {lst/page:.2f}x its one-page (400-balancer) run.", end="")
print()
PY
