#!/usr/bin/env bash
# Connec! sync figures (issue 6), each beside the raw SQLite insert rate of the same rows measured in this run
# (bench_connec_sync raw: plain INSERTs, 100 per transaction, same payloads, same durability settings):
#   * initial import: 100,000 records over organizations/people/items/invoices, paged 100 at a time, stored
#     into the inbox with their cursor (target 10,000 records/s within 150 MB peak RSS);
#   * notifications acknowledged: parsed and stored in the inbox, batches of 100 (target 20,000 entities/s);
#   * notifications applied by the inbox worker (target 10,000/s);
#   * outbox pushed through /batch, 50 ops per call (target 5,000 records/s).
# Connec! is an in-process fake (the engine's cost, not the network's): the sandbox's Connec! API was not there
# when this suite was written. Peak RSS is the driver's VmHWM for that mode alone.
# Run alone: BENCH_BUILD_DIR=build BENCH_WORK=$(mktemp -d) bash bench/suites/connec.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
build="${BENCH_BUILD_DIR:-build}"
work="${BENCH_WORK:-$(mktemp -d)}/connec"
n="${BENCH_CONNEC_RECORDS:-100000}"
mkdir -p "$work"
cmake --build "$build" -j"$(nproc)" --target bench_connec_sync >/dev/null

ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b > 0) printf "%.2fx", a/b; else print "n/a" }'; }
verdict() { awk -v a="$1" -v t="$2" 'BEGIN{ print (a >= t) ? "met" : "MISSED" }'; }
row() { printf '%-44s %14s %16s %9s %8s %7s\n' "$@"; }
run() {  # mode -> "rate rss_mb"
  local out
  out="$("$build/bench/bench_connec_sync" "$1" "$n" "$work" 2>"$work/$1.log")" || { echo "connec bench: $1 failed:" >&2; tail -n 5 "$work/$1.log" >&2; echo "0 0"; return; }
  echo "$(sed -n "s/^$1_per_sec=//p" <<<"$out") $(sed -n 's/^peak_rss_kb=//p' <<<"$out" | awk '{printf "%.0f", $1/1024}')"
}

read -r raw raw_mb <<<"$(run raw)"
read -r imp imp_mb <<<"$(run import)"
read -r ack ack_mb <<<"$(run notify)"
read -r app app_mb <<<"$(run apply)"
read -r out out_mb <<<"$(run outbox)"

row "Connec! import records/s vs raw SQLite insert" "$imp" "$raw" "$(ratio "$imp" "$raw")" ">=10000" "$(verdict "$imp" 10000)"
row "Connec! import peak RSS MB (${n} records)" "$imp_mb" "150" "$(ratio "$imp_mb" 150)" "<=150MB" "$(awk -v a="$imp_mb" 'BEGIN{print (a <= 150) ? "met" : "MISSED"}')"
row "notifications acknowledged/s vs raw insert" "$ack" "$raw" "$(ratio "$ack" "$raw")" ">=20000" "$(verdict "$ack" 20000)"
row "notifications applied/s vs raw insert" "$app" "$raw" "$(ratio "$app" "$raw")" ">=10000" "$(verdict "$app" 10000)"
row "outbox pushed/s (batch of 50) vs raw insert" "$out" "$raw" "$(ratio "$out" "$raw")" ">=5000" "$(verdict "$out" 5000)"
