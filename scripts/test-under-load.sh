#!/usr/bin/env bash
# Runs the whole vitest suite RUNS times in a row while scripts/cpu-load.mjs keeps every core busy, and stops at
# the first failing run. A test that passes here does not depend on the machine being fast.
# Usage: bash scripts/test-under-load.sh [RUNS]   (default 5; needs a build: npm run build)
set -uo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
mkdir -p test-artifacts
node scripts/cpu-load.mjs --seconds 3600 &
load=$!
trap 'kill "$load" 2>/dev/null' EXIT
for i in $(seq 1 "$runs"); do
  start=$(date +%s)
  npx vitest run --reporter=dot --reporter=json --outputFile.json="test-artifacts/under-load-$i.json" \
    > "test-artifacts/under-load-$i.log" 2>&1
  status=$?
  summary=$(node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const failed = r.testResults.flatMap((f) => f.assertionResults.filter((a) => a.status === "failed")
      .map((a) => `  ${f.name.replace(process.cwd() + "/", "")} > ${a.fullName}`));
    console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed` + (failed.length ? "\n" + failed.join("\n") : ""));
  ' "test-artifacts/under-load-$i.json" 2>/dev/null || echo "no report (see test-artifacts/under-load-$i.log)")
  echo "run $i/$runs under load: $summary ($(($(date +%s) - start)) s)"
  [ "$status" -eq 0 ] || exit "$status"
done
