#!/usr/bin/env bash
# One command for the side-by-side benchmark: llmgate vs the seed's Go gateway vs direct to a fast Ollama stand-in.
#   bench/run.sh                      the full run (about 5 minutes on 2 cores), table on stdout
#   BENCH_ONLY=stream,scrape bench/run.sh
# Installs wrk with apt-get when missing (as root), builds dist/ when src/ is newer, builds the Go anchors
# (../shared/anchors/build.sh, or ANCHORS_DIR) into a cached temp dir, then runs bench/run.mjs.
# Environment (see bench/README.md): BENCH_OUT, BENCH_SECONDS, BENCH_WARMUP, BENCH_CONNECTIONS,
# BENCH_SLOW_STREAMS, BENCH_SLOW_SECONDS, BENCH_ONLY, BENCH_TARGETS, BENCH_LLMGATE_ARGS, BENCH_LLMGATE_NODE_ARGS,
# BENCH_LLMGATE_CLI, BENCH_QUIET_WAIT, BENCH_ROUNDS, BENCH_SLOW_ROUNDS, BENCH_WORK, ANCHORS_DIR, ANCHORS_BIN.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    echo "bench: installing wrk (apt-get)" >&2
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
  else
    echo "bench: need wrk: apt-get install wrk" >&2; exit 1
  fi
fi

# The anchors live in the shared folder next to the repository (../shared/anchors); ANCHORS_DIR overrides.
anchors=${ANCHORS_DIR:-}
if [ -z "$anchors" ]; then
  dir=$root
  while [ "$dir" != / ]; do
    if [ -x "$dir/shared/anchors/build.sh" ] || [ -f "$dir/shared/anchors/build.sh" ]; then anchors=$dir/shared/anchors; break; fi
    dir=$(dirname "$dir")
  done
fi
if [ -z "$anchors" ] || [ ! -f "$anchors/build.sh" ]; then
  echo "bench: cannot find shared/anchors/build.sh above $root; set ANCHORS_DIR" >&2; exit 1
fi

# Rebuild the anchors only when their sources changed since the cached build.
bin=${ANCHORS_BIN:-/tmp/llmgate-bench-anchors}
if [ ! -x "$bin/seed-go-proxy" ] || [ ! -x "$bin/fast-upstream" ] \
  || [ -n "$(find "$anchors" -name '*.go' -newer "$bin/seed-go-proxy" -print -quit)" ]; then
  echo "bench: building the anchors from $anchors" >&2
  bash "$anchors/build.sh" "$bin" >/dev/null
fi

if [ ! -f dist/cli.js ] || [ -n "$(find src -name '*.ts' ! -name '*.test.ts' -newer dist/cli.js -print -quit)" ]; then
  echo "bench: building dist/ (npm run build)" >&2
  npm run build --silent
fi

# 1,000 streams hold ~4,000 sockets across the load generator, the gateway and the upstream.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt 8192 ]; then
  echo "bench: warning: ulimit -n is $(ulimit -n); the 1,000-stream workload needs about 4,000" >&2
fi

work=${BENCH_WORK:-$(mktemp -d /tmp/llmgate-bench.XXXX)}
export BENCH_WORK=$work ANCHORS_BIN=$bin
# Whatever happens (error, Ctrl-C, the Node script killed), kill every process the bench started, by pid; a pid
# is killed only while its command line is still one of ours, since pids of processes that ended are reused.
cleanup() {
  [ -f "$work/pids" ] || return 0
  while read -r pid; do
    [ -r "/proc/$pid/cmdline" ] || continue
    cmd=$(tr "\\0" " " <"/proc/$pid/cmdline" 2>/dev/null) || continue
    case $cmd in "$bin"/* | *"$root"/dist/cli.js* | *"$root"/bench/* | wrk\ *) kill -9 "$pid" 2>/dev/null || true ;; esac
  done <"$work/pids"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
node bench/run.mjs
