// One structured access-log line per finished request, built from its RequestRecord.

import type { RequestRecord } from "../events/request-events.js";
import { type JsonLineSink, jsonLineSink, type Logger } from "./logger.js";

/** pino's numeric levels, as its JSON lines carry them. */
const LEVEL = { info: 30, warn: 40 } as const;

/**
 * Logs at info for completed and rejected requests, warn for the rest (something went wrong upstream or in flight).
 * With JSON output the line is built here in one template, field for field what pino would write, and handed to
 * the logger's destination: pino's generic serialisation (a pass over every key, one stringify per value) was about
 * 5 % of a small request's CPU. Readable (pretty) output goes through pino as any other line.
 */
export function accessLogger(
  logger: Logger,
  sink: JsonLineSink | undefined = jsonLineSink(logger),
): (record: RequestRecord) => void {
  if (sink === undefined)
    return (r) => {
      if (isPlain(r)) logger.info(fields(r), "request");
      else logger.warn(fields(r), "request");
    };
  return (r) => {
    const level = isPlain(r) ? "info" : "warn";
    if (!logger.isLevelEnabled(level)) return;
    sink.write(jsonLine(r, LEVEL[level], Date.now(), sink.prefix));
  };
}

function isPlain(r: RequestRecord): boolean {
  return r.outcome === "completed" || r.outcome === "rejected";
}

/** The fields of the line, in order; undefined ones are left out (as pino leaves them out). */
export function fields(r: RequestRecord) {
  return {
    reqId: r.id,
    method: r.method,
    route: r.route,
    model: r.model,
    stream: r.stream,
    status: r.status,
    outcome: r.outcome,
    durationMs: round(r.durationMs),
    ttftMs: r.ttftMs === undefined ? undefined : round(r.ttftMs),
    upstreamMs: r.upstreamMs === undefined ? undefined : round(r.upstreamMs),
    tokensIn: r.promptTokens,
    tokensOut: r.completionTokens,
    doneReason: r.generation?.doneReason,
    bytesIn: r.bytesIn,
    bytesOut: r.bytesOut,
    errorCode: r.errorCode,
    error: r.errorMessage,
  };
}

/** The JSON line pino would write for `fields(r)` with message "request", built in one pass. */
export function jsonLine(r: RequestRecord, level: number, time: number, prefix: string): string {
  let line = `{"level":${level},"time":${time},${prefix},"reqId":${JSON.stringify(r.id)},"method":${JSON.stringify(r.method)},"route":${JSON.stringify(r.route)}`;
  if (r.model !== undefined) line += `,"model":${JSON.stringify(r.model)}`;
  if (r.stream !== undefined) line += `,"stream":${r.stream}`;
  line += `,"status":${r.status},"outcome":"${r.outcome}","durationMs":${round(r.durationMs)}`;
  if (r.ttftMs !== undefined) line += `,"ttftMs":${round(r.ttftMs)}`;
  if (r.upstreamMs !== undefined) line += `,"upstreamMs":${round(r.upstreamMs)}`;
  if (r.promptTokens !== undefined) line += `,"tokensIn":${r.promptTokens}`;
  if (r.completionTokens !== undefined) line += `,"tokensOut":${r.completionTokens}`;
  const doneReason = r.generation?.doneReason;
  if (doneReason !== undefined) line += `,"doneReason":${JSON.stringify(doneReason)}`;
  line += `,"bytesIn":${r.bytesIn},"bytesOut":${r.bytesOut}`;
  if (r.errorCode !== undefined) line += `,"errorCode":"${r.errorCode}"`;
  if (r.errorMessage !== undefined) line += `,"error":${JSON.stringify(r.errorMessage)}`;
  return `${line},"msg":"request"}\n`;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
