// The contracts between the stream codecs and the HTTP handlers that drive them.
import type { GatewayError } from "../errors/gateway-error.js";
import type { OllamaStats } from "../ollama/types.js";

/** What a response says about itself; fixed by the handler for the whole response. */
export interface ResponseContext {
  /** Unique per response; every chunk of a stream carries the same id. */
  id: string;
  /** Unix seconds; every chunk of a stream carries the same value. */
  created: number;
  /** The model as the client sent it. */
  model: string;
  /** `stream_options.include_usage`: a final usage chunk, and `"usage":null` on the others. Streams only. */
  includeUsage: boolean;
}

/** State every codec exposes to the handler (for TTFT, logs and metrics). */
export interface StreamState {
  /**
   * True once the upstream produced content, reasoning or a tool call (the handler records time-to-first-token
   * when this flips). Reasoning counts even where it is not forwarded (/v1/completions): it is the model's first
   * token either way.
   */
  contentStarted: boolean;
  /** The upstream's done:true arrived. */
  done: boolean;
  /** The upstream's done_reason, verbatim. */
  doneReason?: string;
  /** The final chunk's timings and counts, all six present (absent upstream = 0). Set with `done`. */
  stats?: OllamaStats;
  /**
   * Set when the stream failed: an upstream {"error":"..."} line (upstream_stream_error, the upstream's text),
   * a line that is not a JSON object or is too long (upstream_protocol_error), EOF before done:true
   * (upstream_protocol_error), or fail(). Never set after `done`.
   */
  error?: GatewayError;
}

/** Upstream NDJSON bytes in, OpenAI SSE text out. */
export interface SseTranslator {
  /** SSE text to write now ("" if nothing); never throws; after an error or done, further input is ignored. */
  push(bytes: Uint8Array): string;
  /** Upstream EOF. If done arrived: the finish/usage/[DONE] tail if not yet sent. If not: the error frame. */
  end(): string;
  /** The upstream failed (idle timeout, socket error): the final error frame, once; "" if the stream already ended. */
  fail(err: GatewayError): string;
  readonly state: StreamState;
}

/** Upstream NDJSON bytes in, one OpenAI JSON body out (non-streaming requests). */
export interface Aggregator<T> {
  /** Never throws; after an error or done, further input is ignored. */
  push(bytes: Uint8Array): void;
  /** Upstream EOF: the response body. Throws the GatewayError in state.error if the stream failed or ended early. */
  end(): T;
  readonly state: StreamState;
}
