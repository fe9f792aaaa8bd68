// Human-readable log lines for a terminal: pino-pretty, with one compact line per request.

import { type MessageFormatFunc, prettyFactory } from "pino-pretty";

/** A log line as pino writes it (JSON), fields at the top level. */
type LogLine = Record<string, unknown>;

/**
 * The text of one line. An access-log line (msg "request") becomes
 * `POST /v1/chat/completions 200 completed 812 ms, first token 120 ms, qwen3:32b, 25 → 128 tokens [req-id]`;
 * any other line is its message with the fields the message does not already say (`key=value`), followed by its
 * error's message when it carries one (the stack only at level error and above, where someone will want it).
 */
export function prettyText(log: LogLine): string {
  const raw = typeof log.msg === "string" ? log.msg : "";
  if (raw === "request" && typeof log.route === "string") return requestText(log);
  const msg = withFields(raw, log);
  const err = log.err as { message?: unknown; stack?: unknown } | undefined;
  if (!err || typeof err !== "object") return msg;
  const detail = typeof err.message === "string" && err.message !== "" ? err.message : "";
  const line = detail && !msg.includes(detail) ? `${msg}: ${detail}` : msg;
  const level = typeof log.level === "number" ? log.level : 0;
  return level >= 50 && typeof err.stack === "string" ? `${line}\n${err.stack}` : line;
}

/** pino's own fields and the ones rendered elsewhere. */
const OWN_FIELDS = new Set(["level", "time", "msg", "pid", "hostname", "name", "err"]);

/** `msg key=value …` for the fields whose value the message does not already contain. */
function withFields(msg: string, log: LogLine): string {
  const extra: string[] = [];
  for (const [key, value] of Object.entries(log)) {
    if (OWN_FIELDS.has(key) || value === undefined) continue;
    const text = typeof value === "string" ? value : JSON.stringify(value);
    if (text === undefined || msg.includes(text) || msg.includes(text.replace(/^https?:\/\//, ""))) continue;
    extra.push(`${key}=${/[\s"]/.test(text) && typeof value === "string" ? JSON.stringify(text) : text}`);
  }
  return extra.length === 0 ? msg : `${msg} ${extra.join(" ")}`;
}

function requestText(log: LogLine): string {
  const parts = [`${String(log.method ?? "")} ${String(log.route)} ${String(log.status ?? "")}`.trim()];
  const head = [`${String(log.outcome ?? "")} ${ms(log.durationMs)}`.trim()];
  if (typeof log.ttftMs === "number") head.push(`first token ${ms(log.ttftMs)}`);
  if (typeof log.model === "string") head.push(log.model);
  if (typeof log.tokensIn === "number" && typeof log.tokensOut !== "number")
    head.push(`${log.tokensIn} tokens in`);
  else if (typeof log.tokensIn === "number" || typeof log.tokensOut === "number")
    head.push(`${String(log.tokensIn ?? "?")} → ${String(log.tokensOut ?? "?")} tokens`);
  if (typeof log.errorCode === "string")
    head.push(typeof log.error === "string" ? `${log.errorCode}: ${log.error}` : log.errorCode);
  parts.push(head.join(", "));
  if (typeof log.reqId === "string") parts.push(`[${log.reqId}]`);
  return parts.join(" ");
}

function ms(value: unknown): string {
  if (typeof value !== "number") return "";
  return value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
}

const messageFormat: MessageFormatFunc = (log) => prettyText(log);

/**
 * A pino destination that writes each line prettified, synchronously (so the last lines before an exit are
 * not lost). It parses every JSON line again, which is why it is used only for a person at a terminal.
 */
export function prettyDestination(
  out: { write(text: string): unknown } = process.stdout,
  colorize = false,
): {
  write(line: string): void;
} {
  const format = prettyFactory({
    colorize,
    translateTime: "HH:MM:ss.l",
    ignore: "pid,hostname,name",
    hideObject: true,
    messageFormat,
  });
  return {
    write(line: string) {
      out.write(format(line));
    },
  };
}
