// /api/generate NDJSON → /v1/completions SSE (`text_completion` frames, then usage and [DONE]).
import type { GatewayError } from "../errors/gateway-error.js";
import { toFinishReason, toUsage } from "./ollama-output.js";
import { SSE_DONE, sseError } from "./sse.js";
import type { ResponseContext, SseTranslator } from "./types.js";
import { createUpstreamReader, str, type UpstreamObject } from "./upstream-reader.js";

/**
 * One frame per upstream object with text; the done object always gives a frame (its text, often "", with
 * `finish_reason`), then the usage chunk (`choices:[]`) with include_usage, then `[DONE]`. Thinking is not
 * part of a text completion and is dropped. On failure the last frame is the error frame and there is no [DONE].
 */
export function createCompletionSseTranslator(ctx: ResponseContext): SseTranslator {
  const envelope = `{"id":${JSON.stringify(ctx.id)},"object":"text_completion","created":${JSON.stringify(ctx.created)},"model":${JSON.stringify(ctx.model)},`;
  const head = `data: ${envelope}"choices":[{"text":`;
  const usageNull = ctx.includeUsage ? `,"usage":null` : "";
  const middle = `,"index":0,"logprobs":null,"finish_reason":`;
  const tail = `}]${usageNull}}\n\n`;

  let out = "";

  function onObject(obj: UpstreamObject, done: boolean): void {
    const text = str(obj.response);
    if (text !== "" || str(obj.thinking) !== "") reader.state.contentStarted = true;
    if (!done) {
      if (text !== "") out += `${head}${JSON.stringify(text)}${middle}null${tail}`;
      return;
    }
    const finish = toFinishReason(reader.state.doneReason, false);
    out += `${head}${JSON.stringify(text)}${middle}"${finish}"${tail}`;
    if (ctx.includeUsage) {
      out += `data: ${envelope}"choices":[],"usage":${JSON.stringify(toUsage(reader.state.stats))}}\n\n`;
    }
    out += SSE_DONE;
  }

  const reader = createUpstreamReader({
    onObject,
    onError(err) {
      out += sseError(err);
    },
  });

  function take(): string {
    const text = out;
    out = "";
    return text;
  }

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
