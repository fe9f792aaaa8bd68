import { defineConfig } from "vitest/config";

// Three projects, chosen by where a test file lives, so a new file lands in the right one without editing this:
// - unit: src/** and ui/**, beside the code; in-process, no build needed (`npm test`)
// - integration: test/**, through loopback sockets and the built CLI (`npm run test:integration`, after a build)
// - tools: test/tools/**, driving external programs: Chromium, promtool/amtool, Prometheus, Alertmanager
//   (`npm run test:tools`; `scripts/test-setup.sh` installs them)
export default defineConfig({
  test: {
    // Safety nets against a hang, not budgets: generous enough for a loaded machine.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    expect: { poll: { timeout: 10_000 } },
    // Integration tests bind loopback ports and spawn processes; two workers fit the 2-core machine.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: "unit", include: ["src/**/*.test.ts", "ui/**/*.test.ts"] } },
      {
        extends: true,
        test: { name: "integration", include: ["test/**/*.test.ts"], exclude: ["test/tools/**"] },
      },
      { extends: true, test: { name: "tools", include: ["test/tools/**/*.test.ts"] } },
    ],
  },
});
