// Runs Debian's `promtool` (installed by scripts/test-setup.sh) over exposition text, for lint assertions in tests.

import { spawn } from "node:child_process";

export const PROMTOOL = "/usr/bin/promtool";

export interface PromtoolResult {
  /** True only for exit code 0: the text parsed and no lint rule fired. */
  ok: boolean;
  /** 0 clean, 1 unparsable input, 3 lint problems (see observability.md §2.4). */
  exitCode: number;
  /** promtool's stdout and stderr, interleaved as they arrived: one finding per line. */
  output: string;
}

/**
 * Pipes Prometheus text-format exposition into `promtool check metrics` and returns its findings.
 * Rejects (rather than resolving with a failure) only when promtool cannot run or does not finish within
 * `timeoutMs`, in which case it is killed.
 */
export function checkMetrics(text: string, timeoutMs = 10_000): Promise<PromtoolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(PROMTOOL, ["check", "metrics"], { stdio: ["pipe", "pipe", "pipe"] });
    let output = "";
    const append = (chunk: string) => {
      output += chunk;
    };
    child.stdout.setEncoding("utf8").on("data", append);
    child.stderr.setEncoding("utf8").on("data", append);
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`promtool check metrics did not finish within ${timeoutMs} ms; output: ${output}`));
    }, timeoutMs);
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${PROMTOOL} (run scripts/test-setup.sh): ${err.message}`));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (code === null) {
        reject(new Error(`promtool check metrics was killed by ${signal}; output: ${output}`));
        return;
      }
      resolve({ ok: code === 0, exitCode: code, output });
    });
    // promtool may exit before reading everything (e.g. on a parse error); that EPIPE is not our failure.
    child.stdin.on("error", () => {});
    child.stdin.end(text);
  });
}
