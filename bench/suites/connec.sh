#!/usr/bin/env bash
# Connec! sync figures (issue 6), each beside the raw SQLite insert rate of the same rows measured in this run
# (bench_connec_sync raw: plain INSERTs, 100 per transaction, same payloads, same durability settings):
#   * initial import: 100,000 records over organizations/people/items/invoices, paged 100 at a time, stored
#     into the inbox with their cursor (target 10,000 records/s within 150 MB peak RSS);
#   * notifications acknowledged: parsed and stored in the inbox, batches of 100 (target 20,000 entities/s);
#   * notifications applied by the inbox worker (target 10,000/s);
#   * outbox pushed through /batch, 50 ops per call (target 5,000 records/s).
# Import and push run twice: against mno-sandbox's Connec! API over loopback (a group seeded with the records,
# real HTTP; the figures the targets are for) and against the driver's in-process fake (the sync engine's own
# cost, the sandbox's excluded). Peak RSS is the driver's VmHWM for that mode alone.
# Run alone: BENCH_BUILD_DIR=build BENCH_WORK=$(mktemp -d) bash bench/suites/connec.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
build="${BENCH_BUILD_DIR:-build}"
work="${BENCH_WORK:-$(mktemp -d)}/connec"
n="${BENCH_CONNEC_RECORDS:-100000}"
mkdir -p "$work"
cmake --build "$build" -j"$(nproc)" --target bench_connec_sync mno-sandbox >/dev/null

ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b > 0) printf "%.2fx", a/b; else print "n/a" }'; }
verdict() { awk -v a="$1" -v t="$2" 'BEGIN{ print (a >= t) ? "met" : "MISSED" }'; }
row() { printf '%-44s %14s %16s %9s %8s %7s\n' "$@"; }
run() {  # mode [tag: own directory and log] -> "rate rss_mb"
  local out dir="$work/${2:-$1}"
  mkdir -p "$dir"
  out="$("$build/bench/bench_connec_sync" "$1" "$n" "$dir" 2>"$dir/$1.log")" || { echo "connec bench: ${2:-$1} failed:" >&2; tail -n 5 "$dir/$1.log" >&2; echo "0 0"; return; }
  echo "$(sed -n "s/^$1_per_sec=//p" <<<"$out") $(sed -n 's/^peak_rss_kb=//p' <<<"$out" | awk '{printf "%.0f", $1/1024}')"
}

read -r raw raw_mb <<<"$(run raw)"
read -r imp imp_mb <<<"$(run import)"
read -r ack ack_mb <<<"$(run notify)"
read -r app app_mb <<<"$(run apply)"
read -r out out_mb <<<"$(run outbox)"

# The sandbox: one group seeded with n records over the four collections for the import, another for the push.
# shellcheck source=common.bash
source bench/suites/common.bash
sport=$(free_port)
"$build/mno-sandbox" --port "$sport" --database "sqlite:$work/sandbox.db" --log-level warn >"$work/sandbox.log" 2>&1 &
spid=$!
trap 'kill -TERM "$spid" 2>/dev/null || true; wait "$spid" 2>/dev/null || true' EXIT
shost="http://127.0.0.1:$sport"
for _ in $(seq 1 200); do curl -fsS -o /dev/null "$shost/healthz" 2>/dev/null && break; sleep 0.05; done
curl -fsS -X POST "$shost/control/v1/connec/groups/cld-1/seed" -d "{\"count\":$((n / 4))}" >"$work/seed.json"
env_key="$(curl -fsS "$shost/control/v1/devpl-env" | sed -n 's/^MNO_DEVPL_ENV_KEY=//p')"
env_secret="$(curl -fsS "$shost/control/v1/devpl-env" | sed -n 's/^MNO_DEVPL_ENV_SECRET=//p')"
api="$(curl -fsS -u "$env_key:$env_secret" "$shost/api/config/v1/marketplaces" | grep -o '"api":{[^}]*}' | head -n 1)"
export BENCH_CONNEC_HOST="$shost"
export BENCH_CONNEC_API_ID="$(sed -n 's/.*"id":"\([^"]*\)".*/\1/p' <<<"$api")"
export BENCH_CONNEC_API_KEY="$(sed -n 's/.*"key":"\([^"]*\)".*/\1/p' <<<"$api")"
export BENCH_CONNEC_GROUP=cld-1
read -r simp simp_mb <<<"$(run import sandbox-import)"
export BENCH_CONNEC_GROUP=cld-2
read -r sout sout_mb <<<"$(run outbox sandbox-outbox)"
unset BENCH_CONNEC_HOST BENCH_CONNEC_API_ID BENCH_CONNEC_API_KEY BENCH_CONNEC_GROUP

row "Connec! import from sandbox records/s vs raw" "$simp" "$raw" "$(ratio "$simp" "$raw")" ">=10000" "$(verdict "$simp" 10000)"
row "Connec! import peak RSS MB (${n}, sandbox)" "$simp_mb" "150" "$(ratio "$simp_mb" 150)" "<=150MB" "$(awk -v a="$simp_mb" 'BEGIN{print (a <= 150) ? "met" : "MISSED"}')"
row "  engine only (in-process fake) records/s" "$imp" "$raw" "$(ratio "$imp" "$raw")" "-" "-"
row "  engine only peak RSS MB" "$imp_mb" "150" "$(ratio "$imp_mb" 150)" "-" "-"
row "notifications acknowledged/s vs raw insert" "$ack" "$raw" "$(ratio "$ack" "$raw")" ">=20000" "$(verdict "$ack" 20000)"
row "notifications applied/s vs raw insert" "$app" "$raw" "$(ratio "$app" "$raw")" ">=10000" "$(verdict "$app" 10000)"
row "outbox pushed to sandbox/s (batch of 50)" "$sout" "$raw" "$(ratio "$sout" "$raw")" ">=5000" "$(verdict "$sout" 5000)"
row "  engine only (in-process fake) records/s" "$out" "$raw" "$(ratio "$out" "$raw")" "-" "-"
