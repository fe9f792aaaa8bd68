// The process logger: pino, JSON lines on stdout (readable lines on a terminal), one shared instance passed down.

import { type Logger, pino } from "pino";
import { isColorSupported } from "pino-pretty";
import type { LogFormat, LogLevel } from "../config/serve-config.js";
import { type LineBatch, lineBatch } from "./line-batch.js";
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

/**
 * JSON lines are batched (lineBatch: one write per 4 KiB or 100 ms). pino's default destination hands each line to
 * the thread pool on its own as soon as the previous write is done, which under load is a thread-pool round trip
 * per request; a batch is one write(2) per dozen access-log lines, made synchronously (a sync sonic-boom), so lines
 * keep their order and a flush needs no event loop. Nothing is lost on the way out: pino flushes after a fatal
 * line, `logger.flush()` writes everything (serve calls it before each exit), and the process's exit event flushes
 * whatever is left (process.exit anywhere, an uncaught exception). A reader of stdout that stops reading holds the
 * process back, as it does console.log, rather than letting unwritten lines grow without bound. Readable lines for
 * a person at a terminal stay one synchronous write each.
 */
export function createLogger(level: LogLevel, options: LoggerOptions = {}): Logger {
  const { format = "auto", name = "llmgate", tty = process.stdout.isTTY === true } = options;
  const settings = { name, level, base: { pid: process.pid } };
  if (usePretty(format, tty))
    return pino(settings, prettyDestination(process.stdout, tty && isColorSupported));
  const out = lineBatch(pino.destination({ dest: process.stdout.fd, sync: true }));
  flushOnExit(out);
  const logger = pino(settings, out);
  jsonLines.set(logger, {
    write: (line) => out.write(line),
    prefix: `"pid":${process.pid},"name":${JSON.stringify(name)}`,
  });
  return logger;
}

/** Where a JSON-lines logger writes, for a hot path that builds its own line (the access log). */
export interface JsonLineSink {
  write(line: string): void;
  /** What pino writes after `"level":…,"time":…,` on every line: the base fields and the name. */
  prefix: string;
}

const jsonLines = new WeakMap<Logger, JsonLineSink>();

/** The JSON-lines sink under `logger`, or undefined when it writes readable lines (or was not made here). */
export function jsonLineSink(logger: Logger): JsonLineSink | undefined {
  return jsonLines.get(logger);
}

const pendingAtExit = new Set<LineBatch>();

function flushOnExit(batch: LineBatch): void {
  if (pendingAtExit.size === 0)
    process.once("exit", () => {
      for (const b of pendingAtExit) {
        try {
          b.flushSync();
        } catch {
          // stdout is gone (EPIPE, closed): there is nowhere left to say so.
        }
      }
    });
  pendingAtExit.add(batch);
}
