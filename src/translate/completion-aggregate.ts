// /api/generate NDJSON → one /v1/completions `text_completion` body (for stream:false requests).
import type { Completion } from "../openai/responses.js";
import { toFinishReason, toUsage } from "./ollama-output.js";
import type { Aggregator, ResponseContext } from "./types.js";
import { createUpstreamReader, str } from "./upstream-reader.js";

/** Joins the text of every object; done_reason and usage come from the final one. Thinking is dropped. */
export function createCompletionAggregator(ctx: ResponseContext): Aggregator<Completion> {
  let text = "";

  const reader = createUpstreamReader({
    onObject(obj) {
      const piece = str(obj.response);
      text += piece;
      if (piece !== "" || str(obj.thinking) !== "") reader.state.contentStarted = true;
    },
  });

  return {
    state: reader.state,
    push(bytes) {
      reader.push(bytes);
    },
    end() {
      reader.end();
      if (reader.state.error) throw reader.state.error;
      return {
        id: ctx.id,
        object: "text_completion",
        created: ctx.created,
        model: ctx.model,
        choices: [
          { text, index: 0, logprobs: null, finish_reason: toFinishReason(reader.state.doneReason, false) },
        ],
        usage: toUsage(reader.state.stats),
      };
    },
  };
}
