// /api/chat NDJSON → one /v1/chat/completions `chat.completion` body (for stream:false requests).
import type { ChatCompletion, ChatCompletionMessage, TokenLogprob, ToolCall } from "../openai/responses.js";
import {
  plainContent,
  readChatPiece,
  toFinishReason,
  toTokenLogprobs,
  toToolCall,
  toUsage,
} from "./ollama-output.js";
import type { Aggregator, ResponseContext } from "./types.js";
import { createUpstreamReader } from "./upstream-reader.js";

/**
 * Joins content and thinking, collects tool calls and logprobs from every object, and takes done_reason and
 * usage from the final one. Reads Ollama's one non-streamed body (a done object with the whole message) as well as
 * a stream of pieces.
 */
export function createChatAggregator(ctx: ResponseContext): Aggregator<ChatCompletion> {
  let content = "";
  let reasoning = "";
  const toolCalls: ToolCall[] = [];
  const logprobs: TokenLogprob[] = [];

  const reader = createUpstreamReader({
    // Plain token lines only add text: read without parsing (see plainContent).
    skip(line) {
      const text = plainContent(line);
      if (text === undefined) return false;
      content += text;
      reader.state.contentStarted = true;
      return true;
    },
    onObject(obj) {
      const piece = readChatPiece(obj);
      content += piece.content;
      reasoning += piece.thinking;
      if (piece.toolCalls)
        for (const call of piece.toolCalls) toolCalls.push(toToolCall(call, toolCalls.length, ctx));
      if (piece.logprobs) logprobs.push(...toTokenLogprobs(piece.logprobs));
      if (content !== "" || reasoning !== "" || toolCalls.length > 0) reader.state.contentStarted = true;
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
      const message: ChatCompletionMessage = { role: "assistant", content };
      if (reasoning !== "") message.reasoning = reasoning;
      if (toolCalls.length > 0) message.tool_calls = toolCalls;
      return {
        id: ctx.id,
        object: "chat.completion",
        created: ctx.created,
        model: ctx.model,
        choices: [
          {
            index: 0,
            message,
            logprobs: logprobs.length > 0 ? { content: logprobs } : null,
            finish_reason: toFinishReason(reader.state.doneReason, toolCalls.length > 0),
          },
        ],
        usage: toUsage(reader.state.stats),
      };
    },
  };
}
