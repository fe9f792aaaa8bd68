// Reads an Ollama generation stream (/api/chat, /api/generate): NDJSON lines → objects, error lines, done and stats.

import { formatBytes } from "../config/units.js";
import { GatewayError } from "../errors/gateway-error.js";
import type { OllamaStats } from "../ollama/types.js";
import { createLineSplitter } from "./ndjson.js";
import type { StreamState } from "./types.js";

/** Longest line accepted; Ollama's lines are tokens (or, with stream:false, one reply), far below this. */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

export type UpstreamObject = Record<string, unknown>;

export interface ReaderState extends StreamState {
  /** NDJSON lines read so far (error and unparseable lines included). */
  lines: number;
}

export interface ReaderEvents {
  /** Each object before (and including) the one with done:true. On the done object, `state.done` and `state.stats` are already set. */
  onObject(obj: UpstreamObject, done: boolean): void;
  /**
   * Lines for which this returns true are counted but not parsed: the caller had no use for them, or handled them
   * itself (JSON.parse of every token line is a large share of a stream's CPU).
   */
  skip?(line: string): boolean;
  /** Called once, when the stream fails for any reason (after `state.error` is set). */
  onError?(err: GatewayError): void;
}

export interface UpstreamReader {
  readonly state: ReaderState;
  /** True after done or an error: further input is ignored. */
  readonly finished: boolean;
  push(bytes: Uint8Array): void;
  /** EOF: reads a last line without \n; without done:true the stream failed (ended early). Idempotent. */
  end(): void;
  /** Records `err` as the stream's failure unless it already finished. */
  fail(err: GatewayError): void;
}

export function createUpstreamReader(events: ReaderEvents): UpstreamReader {
  const state: ReaderState = { contentStarted: false, done: false, lines: 0 };
  let finished = false;
  let ended = false;

  function fail(err: GatewayError): void {
    if (finished) return;
    finished = true;
    state.error = err;
    events.onError?.(err);
  }

  function onLine(line: string): void {
    if (finished) return;
    state.lines++;
    if (events.skip?.(line)) return;
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch {
      if (line.trim() === "") return;
      obj = undefined;
    }
    if (typeof obj !== "object" || obj === null || Array.isArray(obj)) {
      fail(
        new GatewayError(
          "upstream_protocol_error",
          `the upstream sent a line that is not a JSON object: ${clip(line)}`,
        ),
      );
      return;
    }
    const record = obj as UpstreamObject;
    if (record.error !== undefined) {
      const message = typeof record.error === "string" ? record.error : JSON.stringify(record.error);
      fail(new GatewayError("upstream_stream_error", message || "the upstream reported an error"));
      return;
    }
    if (record.done === true) {
      finished = true;
      state.done = true;
      if (typeof record.done_reason === "string" && record.done_reason !== "")
        state.doneReason = record.done_reason;
      state.stats = statsOf(record);
      events.onObject(record, true);
      return;
    }
    events.onObject(record, false);
  }

  const lines = createLineSplitter(onLine);

  return {
    state,
    get finished() {
      return finished;
    },
    push(bytes) {
      if (finished) return;
      lines.push(bytes);
      if (!finished && lines.pending > MAX_LINE_BYTES) {
        fail(
          new GatewayError(
            "upstream_protocol_error",
            `the upstream sent a line longer than ${formatBytes(MAX_LINE_BYTES)}`,
          ),
        );
      }
    },
    end() {
      if (ended) return;
      ended = true;
      if (!finished) lines.end();
      if (!finished)
        fail(
          new GatewayError("upstream_protocol_error", "the upstream ended the stream early (no done:true)"),
        );
    },
    fail,
  };
}

const STAT_KEYS = [
  "total_duration",
  "load_duration",
  "prompt_eval_count",
  "prompt_eval_duration",
  "eval_count",
  "eval_duration",
] as const;

function statsOf(obj: UpstreamObject): Required<OllamaStats> {
  const stats = {} as Required<OllamaStats>;
  for (const key of STAT_KEYS) {
    const value = obj[key];
    stats[key] = typeof value === "number" && Number.isFinite(value) ? value : 0;
  }
  return stats;
}

function clip(line: string): string {
  return line.length > 120 ? `${line.slice(0, 120)}…` : line;
}

/** `value` if it is a string, else "". For reading upstream fields without trusting their types. */
export function str(value: unknown): string {
  return typeof value === "string" ? value : "";
}
