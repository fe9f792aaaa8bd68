// /api/chat NDJSON → /v1/chat/completions SSE (`chat.completion.chunk` frames, then finish, usage and [DONE]).
import type { ChatCompletionDelta, ToolCallDelta } from "../openai/responses.js";
import { plainContent, readChatPiece, toFinishReason, toTokenLogprobs, toToolCall } from "./ollama-output.js";
import { createSseTranslator, sseUsageAndDone } from "./sse.js";
import type { ResponseContext, SseTranslator } from "./types.js";
import type { UpstreamObject } from "./upstream-reader.js";

/**
 * Frames, in order: content deltas (the first carries `role:"assistant"` and a `content` string), one finish
 * chunk with `delta:{}`, the usage chunk (`choices:[]`) with include_usage, `[DONE]`. An object with thinking
 * and content (or tool calls) becomes two deltas, reasoning first, so clients that read one field per delta
 * lose nothing. On failure the last frame is the error frame and there is no [DONE].
 */
export function createChatSseTranslator(ctx: ResponseContext): SseTranslator {
  // Everything before the delta is constant for the stream: built once.
  const envelope = `{"id":${JSON.stringify(ctx.id)},"object":"chat.completion.chunk","created":${JSON.stringify(ctx.created)},"model":${JSON.stringify(ctx.model)},`;
  const head = `data: ${envelope}"choices":[{"index":0,"delta":`;
  const usageNull = ctx.includeUsage ? `,"usage":null` : "";
  const tail = `,"finish_reason":null}]${usageNull}}\n\n`;

  return createSseTranslator((emit, state) => {
    let roleSent = false;
    let toolCalls = 0;

    function delta(
      content: string,
      reasoning: string,
      calls: ToolCallDelta[] | undefined,
      logprobs?: unknown[],
    ): void {
      const d: ChatCompletionDelta = {};
      if (!roleSent) {
        roleSent = true;
        d.role = "assistant";
        d.content = content;
      } else if (content !== "") {
        d.content = content;
      }
      if (reasoning !== "") d.reasoning = reasoning;
      if (calls !== undefined) d.tool_calls = calls;
      const lp =
        logprobs === undefined ? "" : `,"logprobs":${JSON.stringify({ content: toTokenLogprobs(logprobs) })}`;
      emit(head + JSON.stringify(d) + lp + tail);
    }

    function onObject(obj: UpstreamObject, done: boolean): void {
      const piece = readChatPiece(obj);
      const calls = piece.toolCalls?.map((call): ToolCallDelta => {
        const index = toolCalls++;
        return { index, ...toToolCall(call, index, ctx) };
      });
      const hasOutput = piece.content !== "" || piece.thinking !== "" || calls !== undefined;
      if (hasOutput) state.contentStarted = true;
      if (piece.thinking !== "" && (piece.content !== "" || calls !== undefined)) {
        delta("", piece.thinking, undefined, piece.logprobs);
        delta(piece.content, "", calls);
      } else if (hasOutput || piece.logprobs !== undefined) {
        delta(piece.content, piece.thinking, calls, piece.logprobs);
      }
      if (!done) return;
      if (!roleSent) delta("", "", undefined);
      const finish = toFinishReason(state.doneReason, toolCalls > 0);
      emit(`${head}{},"finish_reason":"${finish}"}]${usageNull}}\n\n`);
      emit(sseUsageAndDone(envelope, ctx.includeUsage, state.stats));
    }

    /** Plain token lines become their frame without parsing (see plainContent); the rest go through onObject. */
    function onLine(line: string): boolean {
      if (!roleSent) return false;
      const text = plainContent(line);
      if (text === undefined) return false;
      state.contentStarted = true;
      emit(`${head}{"content":"${text}"}${tail}`);
      return true;
    }

    return { onObject, onLine };
  });
}
