// Server-sent event frames as OpenAI streams them (https://html.spec.whatwg.org/multipage/server-sent-events.html).
import { type GatewayError, openAIErrorBody } from "../errors/gateway-error.js";
import type { OllamaStats } from "../ollama/types.js";
import { toUsage } from "./ollama-output.js";
import type { SseTranslator } from "./types.js";
import { createUpstreamReader, type ReaderState, type UpstreamObject } from "./upstream-reader.js";

/** The last frame of a successful stream. */
export const SSE_DONE = "data: [DONE]\n\n";

/**
 * One event carrying `json`, which must be a single line: JSON.stringify output always is (it escapes \r and \n).
 * No `event:` field, like OpenAI.
 */
export function sseData(json: string): string {
  return `data: ${json}\n\n`;
}

/**
 * The final frame of a failed stream, `{"error":{message,type,param,code}}`, never followed by [DONE]. The
 * official openai clients throw an APIError with this message when they read it.
 */
export function sseError(err: GatewayError): string {
  return sseData(JSON.stringify(openAIErrorBody(err)));
}

/**
 * The end of a successful stream after its finish frame: the usage chunk (`choices:[]`) when the client asked for
 * it with include_usage, then [DONE]. `envelope` is the chunk's JSON up to and including the comma after `model`.
 */
export function sseUsageAndDone(
  envelope: string,
  includeUsage: boolean,
  stats: OllamaStats | undefined,
): string {
  const usage = includeUsage
    ? `data: ${envelope}"choices":[],"usage":${JSON.stringify(toUsage(stats))}}\n\n`
    : "";
  return usage + SSE_DONE;
}

/** What a stream codec supplies: the handler for each upstream object, and optionally a handler for raw lines. */
export interface SseHandlers {
  onObject(obj: UpstreamObject, done: boolean): void;
  /** Returns true when it handled the line itself (a fast path), so the line is not parsed. */
  onLine?(line: string): boolean;
}

/**
 * An SseTranslator around an upstream reader. `setup` gets `emit` (appends SSE text) and the reader's state, and
 * returns the handlers; an upstream failure emits the error frame. push/end/fail hand out what was emitted since
 * the last call.
 */
export function createSseTranslator(
  setup: (emit: (text: string) => void, state: ReaderState) => SseHandlers,
): SseTranslator {
  let out = "";
  const emit = (text: string): void => {
    out += text;
  };
  let handlers: SseHandlers = { onObject: () => {} };
  const reader = createUpstreamReader({
    onObject: (obj, done) => handlers.onObject(obj, done),
    skip: (line) => handlers.onLine?.(line) === true,
    onError(err) {
      out += sseError(err);
    },
  });
  handlers = setup(emit, reader.state);
  const take = (): string => {
    const text = out;
    out = "";
    return text;
  };
  return {
    state: reader.state,
    push(bytes) {
      reader.push(bytes);
      return take();
    },
    end() {
      reader.end();
      return take();
    },
    fail(err: GatewayError) {
      reader.fail(err);
      return take();
    },
  };
}
