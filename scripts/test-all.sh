#!/usr/bin/env bash
# Every check a change must pass: system test dependencies, build, type check, lint, then the whole test suite.
# Ends with one "N passed, N failed" line (from vitest's JSON report) for tools that read the closing line.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/test-setup.sh || exit 1
npm run build || exit 1
npm run typecheck || exit 1
npm run lint || exit 1
mkdir -p test-artifacts
npx vitest run --reporter=default --reporter=json --outputFile.json=test-artifacts/vitest-results.json
status=$?
node -e '
  const r = JSON.parse(require("fs").readFileSync("test-artifacts/vitest-results.json", "utf8"));
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed` + (r.numPendingTests ? `, ${r.numPendingTests} skipped` : ""));
' || true
exit $status
