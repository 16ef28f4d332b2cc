# Helpers shared by the bench suites (sourced, not run: scripts/bench runs only *.sh).
# One table row in the format of scripts/bench.
row() { printf '%-44s %14s %16s %9s %8s %7s\n' "$@"; }
# A loopback port nobody answers on (bash's /dev/tcp: no python needed on a fresh machine).
free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 30000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}
