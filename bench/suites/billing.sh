#!/usr/bin/env bash
# Billing figure (issue 5): authenticated account-webhook deliveries handled per second by `tally serve`
# (DELETE group user, HTTP Basic checked, membership revoked and per-seat billing lowered in one SQLite
# transaction), on a company of 1,000 members on the per-seat plan, beside BENCH_TALLY_HEALTHZ_RPS.
# Target: 0.2x of /healthz. wrk cycles through the members: the first 1,000 deliveries are real removals,
# later ones repeated deliveries (idempotent, same 200), as when the platform retries.
# Run alone: BENCH_BUILD_DIR=build BENCH_WORK=$(mktemp -d) BENCH_TALLY_HEALTHZ_RPS=20000 bash bench/suites/billing.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
build="${BENCH_BUILD_DIR:-build}"
work="${BENCH_WORK:-$(mktemp -d)}/billing"
secs="${BENCH_SECONDS:-10}"
conns="${BENCH_CONNECTIONS:-64}"
members="${BENCH_BILLING_MEMBERS:-1000}"
healthz="${BENCH_TALLY_HEALTHZ_RPS:-0}"
mkdir -p "$work"
cmake --build "$build" -j"$(nproc)" --target bench_billing tally >/dev/null

# shellcheck source=common.bash
source bench/suites/common.bash

"$build/bench/bench_billing" seed "$members" "$work" >"$work/seed.out" 2>"$work/seed.log" \
  || { echo "billing bench: seeding failed:" >&2; tail -n 5 "$work/seed.log" >&2; exit 1; }
market="$(sed -n 's/^marketplace=//p' "$work/seed.out")"
api_id="$(sed -n 's/^api_id=//p' "$work/seed.out")"
api_key="$(sed -n 's/^api_key=//p' "$work/seed.out")"
group="$(sed -n 's/^group=//p' "$work/seed.out")"

port=$(free_port)
"$build/tally" serve --port "$port" --database "sqlite:$work/tally.db" --marketplaces "$work/marketplaces.json" \
  --no-worker --no-access-log --log-level warn >"$work/tally.log" 2>&1 &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 200); do curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null && break; sleep 0.05; done

auth="Basic $(printf '%s:%s' "$api_id" "$api_key" | base64 -w0)"
cat >"$work/delete.lua" <<LUA
local n = 0
request = function()
  n = n % $members + 1
  return wrk.format("DELETE", "/maestrano/account/groups/$group/users/usr-" .. n .. "/$market",
                    {["Authorization"] = "$auth"})
end
done = function(summary, latency, requests)
  io.write(string.format("non2xx=%d\n", summary.errors.status))
end
LUA
out="$(wrk -t1 -c"$conns" -d"${secs}s" -s "$work/delete.lua" "http://127.0.0.1:$port")"
rps="$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$out")"
bad="$(sed -n 's/^non2xx=//p' <<<"$out")"
[ "${bad:-0}" = "0" ] || echo "billing bench: $bad deliveries were not answered 2xx" >&2
revoked="$(sqlite3 "$work/tally.db" "SELECT COUNT(*) FROM memberships WHERE status = 'revoked'" 2>/dev/null || echo "?")"
echo "billing bench: $revoked of $members members removed; $(sqlite3 "$work/tally.db" "SELECT COUNT(*) FROM billing_charges" 2>/dev/null || echo "?") ledger rows" >&2
ratio="$(awk -v a="$rps" -v b="$healthz" 'BEGIN{ if (b > 0) printf "%.2fx", a/b; else print "n/a" }')"
verdict="$(awk -v a="$rps" -v b="$healthz" 'BEGIN{ if (b <= 0) print "n/a"; else print (a >= 0.2 * b) ? "met" : "MISSED" }')"
row "account webhook deliveries/s vs /healthz" "$rps" "$healthz" "$ratio" ">=0.2x" "$verdict"
