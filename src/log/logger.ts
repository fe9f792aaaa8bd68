// The process logger: pino, JSON lines on stdout (readable lines on a terminal), one shared instance passed down.

import { type Logger, pino } from "pino";
import { isColorSupported } from "pino-pretty";
import type { LogFormat, LogLevel } from "../config/serve-config.js";
import { prettyDestination } from "./pretty.js";

export type { Logger };

export interface LoggerOptions {
  /** `auto`: readable lines when stdout is a terminal, JSON otherwise (files, pipes, journald). Default auto. */
  format?: LogFormat;
  name?: string;
  /** Whether stdout is a terminal; defaults to process.stdout.isTTY. */
  tty?: boolean;
}

/** Whether a format setting means readable lines on this stdout. */
export function usePretty(format: LogFormat, tty: boolean): boolean {
  return format === "pretty" || (format === "auto" && tty);
}

export function createLogger(level: LogLevel, options: LoggerOptions = {}): Logger {
  const { format = "auto", name = "llmgate", tty = process.stdout.isTTY === true } = options;
  const settings = { name, level, base: { pid: process.pid } };
  if (!usePretty(format, tty)) return pino(settings);
  return pino(settings, prettyDestination(process.stdout, tty && isColorSupported));
}
