// The access log's own JSON line is, byte for byte, the line pino writes for the same fields.

import { pino } from "pino";
import { describe, expect, test } from "vitest";
import type { RequestRecord } from "../events/request-events.js";
import { accessLogger, fields, jsonLine } from "./access-log.js";
import { createLogger, jsonLineSink } from "./logger.js";

const base: RequestRecord = {
  id: "req-1",
  method: "POST",
  route: "/v1/chat/completions",
  status: 200,
  outcome: "completed",
  startedAt: 0,
  durationMs: 12.345,
  bytesIn: 10,
  bytesOut: 20,
};

const RECORDS: [string, RequestRecord][] = [
  ["a bare record", base],
  [
    "a finished generation",
    {
      ...base,
      model: "qwen3:32b",
      stream: true,
      ttftMs: 3.21,
      upstreamMs: 9.99,
      promptTokens: 5,
      completionTokens: 7,
      generation: { promptTokens: 5, completionTokens: 7, doneReason: "stop" },
    },
  ],
  [
    "a failure with a message to escape",
    {
      ...base,
      status: 502,
      outcome: "upstream_error",
      stream: false,
      errorCode: "upstream_http_error",
      errorMessage: 'upstream said "no"\n\t\u0001 é 😀',
      model: 'we"ird\\name',
    },
  ],
  ["an id and method from the client", { ...base, id: "x".repeat(100), method: "PROPFIND" }],
];

/** What pino itself writes for the record's fields (the readable path's object), at a fixed time. */
function pinoLine(r: RequestRecord, level: "info" | "warn"): string {
  let out = "";
  const logger = pino(
    { name: "llmgate", base: { pid: 42 }, timestamp: () => ',"time":1000' },
    { write: (s: string) => (out += s) },
  );
  logger[level](fields(r), "request");
  return out;
}

describe("jsonLine", () => {
  test.each(RECORDS)("%s: the same bytes as pino's line", (_name, r) => {
    expect(jsonLine(r, 30, 1000, '"pid":42,"name":"llmgate"')).toBe(pinoLine(r, "info"));
    expect(jsonLine(r, 40, 1000, '"pid":42,"name":"llmgate"')).toBe(pinoLine(r, "warn"));
  });
});

describe("accessLogger", () => {
  test("honours the level: nothing at warn for a completed request, a warn line for a failed one", () => {
    const lines: string[] = [];
    const logger = pino({ level: "warn" }, { write: () => {} });
    const log = accessLogger(logger, { write: (l) => lines.push(l), prefix: '"pid":1,"name":"t"' });
    log(base);
    log({ ...base, outcome: "client_abort", status: 499 });
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed.map((l) => [l.level, l.outcome, l.status, l.msg])).toEqual([
      [40, "client_abort", 499, "request"],
    ]);
  });

  test("a logger made for JSON lines takes the built line; a readable one goes through pino", () => {
    expect(jsonLineSink(createLogger("info", { format: "json" }))).toBeDefined();
    expect(jsonLineSink(createLogger("info", { format: "pretty", tty: false }))).toBeUndefined();
  });
});
