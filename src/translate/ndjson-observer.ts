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

/** For the native passthrough routes: the same reading as the OpenAI codecs, without producing output. */
export function createNdjsonObserver(): NdjsonObserver {
  const reader = createUpstreamReader({
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
