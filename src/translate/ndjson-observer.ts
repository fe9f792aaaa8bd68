// Watches (never alters) a native /api/chat or /api/generate NDJSON response for tokens, done, stats and error lines.
import type { ReaderState } from "./upstream-reader.js";
import { createUpstreamReader, str } from "./upstream-reader.js";

export interface NdjsonObserver {
  push(bytes: Uint8Array): void;
  /** EOF. A body that ended without done:true leaves `state.error` set (upstream_protocol_error). */
  end(): void;
  /** `lines` > 1 tells a streamed answer from a single stream:false body. */
  readonly state: ReaderState;
}

/** A line that may end the stream: the final object or an error. Anything else matters only until output starts. */
const ENDING = /"done"\s*:\s*true|"error"\s*:/;

/**
 * For the native passthrough routes: the same reading as the OpenAI codecs, without producing output. The bytes
 * pass through untouched, so once the first output was seen only the lines that can end the stream are parsed
 * (the final stats, or an error line); a malformed token line in between goes unnoticed, which changes nothing
 * for the client and only spares the gateway a parse per token.
 */
export function createNdjsonObserver(): NdjsonObserver {
  const reader = createUpstreamReader({
    skip: (line) => reader.state.contentStarted && !ENDING.test(line),
    onObject(obj) {
      if (reader.state.contentStarted) return;
      const m =
        typeof obj.message === "object" && obj.message !== null
          ? (obj.message as Record<string, unknown>)
          : obj;
      const calls = m.tool_calls ?? obj.tool_calls;
      if (
        str(m.content) !== "" ||
        str(m.thinking) !== "" ||
        str(obj.response) !== "" ||
        str(obj.thinking) !== "" ||
        (Array.isArray(calls) && calls.length > 0)
      ) {
        reader.state.contentStarted = true;
      }
    },
  });
  return {
    state: reader.state,
    push(bytes) {
      reader.push(bytes);
    },
    end() {
      reader.end();
    },
  };
}
