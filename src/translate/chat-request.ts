// /v1/chat/completions request → /api/chat request.
import type { OllamaChatRequest, OllamaThink, OllamaTool } from "../ollama/types.js";
import type { ChatCompletionRequest, ChatTool, ReasoningEffort } from "../openai/chat-request.js";
import { toOllamaMessages } from "./chat-messages.js";
import { toOllamaOptions } from "./options.js";

/** Ollama's own mapping of OpenAI reasoning effort to `think`. */
const THINK: Record<ReasoningEffort, OllamaThink> = {
  none: false,
  minimal: "low",
  low: "low",
  medium: "medium",
  high: "high",
  xhigh: "max",
  max: "max",
};

/**
 * `stream` as the client asked: a non-streaming reply comes from Ollama as one body, which costs Ollama and the
 * gateway far less than a stream to aggregate. Policy: docs/translation.md.
 */
export function toOllamaChatRequest(req: ChatCompletionRequest): OllamaChatRequest {
  const out: OllamaChatRequest = {
    model: req.model,
    messages: toOllamaMessages(req.messages),
    stream: req.stream === true,
  };
  const format = req.response_format;
  if (format?.type === "json_object") out.format = "json";
  else if (format?.type === "json_schema" && format.json_schema.schema != null)
    out.format = format.json_schema.schema;
  const options = toOllamaOptions(req);
  if (options !== undefined) out.options = options;
  if (req.tools?.length && req.tool_choice !== "none") out.tools = req.tools.map(toOllamaTool);
  // A `reasoning: {effort}` object wins over `reasoning_effort`, as in Ollama's own /v1 (a client that sends the
  // object means it); an object without an effort does not hide `reasoning_effort`, unlike Ollama's.
  const effort = req.reasoning?.effort ?? req.reasoning_effort;
  if (effort != null) out.think = THINK[effort];
  if (req.logprobs === true) out.logprobs = true;
  if (req.top_logprobs != null) out.top_logprobs = req.top_logprobs;
  if (req.keep_alive != null) out.keep_alive = req.keep_alive;
  return out;
}

/**
 * `strict` is dropped (Ollama has no such switch). A function without `parameters` takes none, which is
 * spelled out as an empty object schema: Ollama would otherwise hand model templates an empty schema.
 */
function toOllamaTool(tool: ChatTool): OllamaTool {
  const fn: OllamaTool["function"] = { name: tool.function.name };
  if (tool.function.description != null) fn.description = tool.function.description;
  fn.parameters = tool.function.parameters ?? { type: "object", properties: {} };
  return { type: "function", function: fn };
}
