// The exit codes every llmgate command uses, so scripts and systemd can tell a typo from an outage.

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
