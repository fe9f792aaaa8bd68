// /api/generate NDJSON → /v1/completions SSE (`text_completion` frames, then usage and [DONE]).
import { toFinishReason } from "./ollama-output.js";
import { createSseTranslator, sseUsageAndDone } from "./sse.js";
import type { ResponseContext, SseTranslator } from "./types.js";
import { str, type UpstreamObject } from "./upstream-reader.js";

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

  return createSseTranslator((emit, state) => ({
    onObject: (obj: UpstreamObject, done: boolean): void => {
      const text = str(obj.response);
      if (text !== "" || str(obj.thinking) !== "") state.contentStarted = true;
      if (!done) {
        if (text !== "") emit(`${head}${JSON.stringify(text)}${middle}null${tail}`);
        return;
      }
      const finish = toFinishReason(state.doneReason, false);
      emit(`${head}${JSON.stringify(text)}${middle}"${finish}"${tail}`);
      emit(sseUsageAndDone(envelope, ctx.includeUsage, state.stats));
    },
  }));
}
