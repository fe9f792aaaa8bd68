// The exit codes every llmgate command uses, so scripts and systemd can tell a typo from an outage.

import type { Command } from "commander";

export const EXIT = {
  /** Done, or stopped by SIGTERM/SIGINT after draining. */
  ok: 0,
  /** Something failed at run time: the port is taken, nothing succeeded in a load test, a stop failed. */
  failure: 1,
  /** The command line, the environment or the config file is wrong; nothing was started. */
  usage: 2,
  /** Interrupted (Ctrl-C) where partial results are still reported (loadtest). */
  interrupted: 130,
} as const;

/**
 * Commander exits 1 on its own usage errors (unknown option or command, missing value); llmgate exits 2 for
 * every usage error, so a script can tell a typo from an outage. Help and --version still exit 0. Set on each
 * command where it is built, so a command run on its own behaves the same.
 */
export function exitTwoOnUsageErrors(cmd: Command): Command {
  return cmd.exitOverride((err) => process.exit(err.exitCode === 0 ? EXIT.ok : EXIT.usage));
}
