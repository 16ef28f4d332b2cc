#!/usr/bin/env bash
# SAML single sign-on figures (issue 4), all measured in this run:
#   * SAML responses validated per second per core: libmno's ResponseValidator on a realistic signed
#     Maestrano response (bench_saml validate), beside the physical limit (`openssl speed rsa2048`
#     verify/s: one RSA-2048 verify is the floor of any validation) and @node-saml/node-saml 5 validating
#     the same response (bench/node, installed with npm ci);
#   * full SSO consumes per second: an existing user through Tally's real ACS over loopback HTTP on
#     SQLite, each POST with its own AuthnRequest (bench_saml consume), beside Tally's /healthz rate.
# Targets: validation >= 0.2x raw RSA verify and >= 5x node-saml; full consume >= 1,500/s.
# Run alone: BENCH_BUILD_DIR=build BENCH_WORK=$(mktemp -d) bash bench/suites/saml.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
build="${BENCH_BUILD_DIR:-build}"
work="${BENCH_WORK:-$(mktemp -d)}/saml"
secs="${BENCH_SAML_SECONDS:-3}"
consumes="${BENCH_SAML_CONSUMES:-3000}"
threads="${BENCH_SAML_THREADS:-4}"
mkdir -p "$work"
cmake --build "$build" -j"$(nproc)" --target bench_saml tally mno-sandbox >/dev/null

pids=()
cleanup() { for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM
# shellcheck source=common.bash
source bench/suites/common.bash
wait_http() { for _ in $(seq 1 200); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.05; done; echo "saml bench: $1 did not come up" >&2; tail -n 20 "$work"/*.log >&2; exit 1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b > 0) printf "%.2fx", a/b; else print "n/a" }'; }
verdict() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN{ print (b > 0 && a/b >= t) ? "met" : "MISSED" }'; }

# 1. Our validator, one thread (= per core), and the response for node-saml.
val="$("$build/bench/bench_saml" validate "$secs" 1 "$work" | sed -n 's/^validations_per_sec_per_core=//p')"

# 2. The physical limit: RSA-2048 verifications per second on one core.
rsa="$(openssl speed -seconds "$secs" rsa2048 2>/dev/null | awk '/^rsa 2048 bits/ {print int($NF)}')"

# 3. node-saml 5 on the same response (single-threaded node = one core).
node_rate=""
if command -v npm >/dev/null 2>&1; then
  (cd bench/node && npm ci --no-audit --no-fund --silent >"$work/npm.log" 2>&1) || echo "saml bench: npm ci failed, see $work/npm.log" >&2
  node_rate="$(node bench/node/validate.mjs "$work/response.b64" "$work/idp.crt" "$(cat "$work/audience")" \
    "$(cat "$work/acs_url")" "$secs" 2>"$work/node.log" | sed -n 's/^node_saml_validations_per_sec=//p')" || true
  [ -n "$node_rate" ] || { echo "saml bench: node-saml run failed:" >&2; tail -n 5 "$work/node.log" >&2; }
fi

# 4. Full consumes through a real tally (SQLite) configured from a real mno-sandbox.
sp=$(free_port); tp=$(free_port)
"$build/mno-sandbox" --port "$sp" --database "sqlite:$work/sandbox.db" --app-host "http://127.0.0.1:$tp" \
  --log-level warn >"$work/sandbox.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$sp/healthz"
env_lines="$(curl -fsS "http://127.0.0.1:$sp/control/v1/devpl-env")"
while IFS='=' read -r name value; do case "$name" in MNO_DEVPL_*) export "$name=$value" ;; esac; done <<<"$env_lines"
"$build/tally" serve --port "$tp" --database "sqlite:$work/tally.db" --no-access-log --no-worker --log-level warn \
  >"$work/tally.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$tp/healthz"
consume="$("$build/bench/bench_saml" consume "http://127.0.0.1:$tp" "http://127.0.0.1:$sp" "$consumes" "$threads" 2>"$work/consume.log" \
  | sed -n 's/^consumes_per_sec=//p')" || true
[ -n "$consume" ] || { echo "saml bench: consume run failed:" >&2; tail -n 5 "$work/consume.log" >&2; }

row "SAML validations/s/core vs openssl rsa2048 verify" "$val" "$rsa" "$(ratio "$val" "$rsa")" ">=0.20x" "$(verdict "$val" "$rsa" 0.2)"
row "SAML validations/s/core vs node-saml 5" "$val" "${node_rate:-n/a}" "$(ratio "$val" "${node_rate:-0}")" ">=5.00x" "$(verdict "$val" "${node_rate:-0}" 5)"
row "SSO full consumes/s (SQLite, $threads clients) vs 1500" "${consume:-n/a}" "1500" "$(ratio "${consume:-0}" 1500)" ">=1.00x" "$(verdict "${consume:-0}" 1500 1)"
row "SSO full consumes/s vs tally /healthz" "${consume:-n/a}" "${BENCH_TALLY_HEALTHZ_RPS:-n/a}" "$(ratio "${consume:-0}" "${BENCH_TALLY_HEALTHZ_RPS:-0}")" "-" "-"
