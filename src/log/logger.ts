// The process logger: pino, JSON lines on stdout, one shared instance passed down explicitly.

import { type Logger, pino } from "pino";
import type { LogLevel } from "../config/serve-config.js";

export type { Logger };

export function createLogger(level: LogLevel, name = "llmgate"): Logger {
  return pino({ name, level, base: { pid: process.pid } });
}
