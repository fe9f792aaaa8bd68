#!/usr/bin/env bash
# Profiles llmgate (node --cpu-prof) under the bench's non-streaming and streaming workloads and summarises each.
#   bench/profile.sh [WORKLOAD...]     default: nonstream stream (also: native, slow)
# Profiles go to $PROFILE_DIR (default: a temp dir, printed); open a .cpuprofile in Chrome DevTools for the tree.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${PROFILE_DIR:-$(mktemp -d /tmp/llmgate-profile.XXXX)}
workloads=("$@")
[ ${#workloads[@]} -gt 0 ] || workloads=(nonstream stream)
for w in "${workloads[@]}"; do
  mkdir -p "$out/$w"
  echo "== profiling llmgate under '$w'" >&2
  BENCH_ONLY=$w BENCH_TARGETS=llmgate BENCH_ROUNDS=${BENCH_ROUNDS:-1} BENCH_SECONDS=${BENCH_SECONDS:-8} BENCH_OUT="$out/$w/results.json" \
    BENCH_LLMGATE_NODE_ARGS="--cpu-prof --cpu-prof-dir=$out/$w" "$root/bench/run.sh" >"$out/$w/bench.txt"
  echo "== $w" && node "$root/bench/profile-summary.mjs" "$out/$w"/*.cpuprofile | tee "$out/$w/summary.txt"
done
echo "profiles in $out" >&2
