// The /v1/chat/completions request: zod schema, parser and types (https://platform.openai.com/docs/api-reference/chat/create).
import * as z from "zod";
import * as f from "./common.js";
import { parseImageUrl } from "./image-url.js";
import { expected, parseOrThrow, UNSUPPORTED } from "./validation.js";

const SUPPORTED_PART_TYPES: ReadonlySet<string> = new Set(["text", "image_url", "refusal"]);
const UNSUPPORTED_PART_TYPES: ReadonlySet<string> = new Set(["input_audio", "file"]);

const textPart = z.object({ type: z.literal("text"), text: z.string() });
const refusalPart = z.object({ type: z.literal("refusal"), refusal: z.string() });
const imagePart = z.object({
  type: z.literal("image_url"),
  // OpenAI sends `{url, detail}`; a bare string is accepted too, as Ollama does. `detail` is ignored.
  image_url: z.union([z.string(), z.object({ url: z.string(), detail: z.string().nullish() })], {
    error: expected("object with a url"),
  }),
});

// The type is checked first so that audio/file parts get `unsupported_parameter` and unknown types a clear message.
const contentPart = z
  .object({ type: z.string() })
  .loose()
  .superRefine((part, ctx) => {
    if (SUPPORTED_PART_TYPES.has(part.type)) return;
    const known = UNSUPPORTED_PART_TYPES.has(part.type);
    ctx.addIssue({
      code: "custom",
      path: ["type"],
      message: known
        ? `content parts of type "${part.type}" are not supported`
        : `expected one of "text" | "image_url" | "refusal", got ${JSON.stringify(part.type)}`,
      ...(known ? { params: UNSUPPORTED } : {}),
    });
  })
  .pipe(z.discriminatedUnion("type", [textPart, imagePart, refusalPart]));

const toolCall = z.object({
  id: z.string(),
  type: z.literal("function").nullish(),
  function: z.object({ name: z.string().min(1), arguments: z.string() }),
});

const message = z
  .object({
    role: z.enum(["system", "developer", "user", "assistant", "tool"]),
    content: z
      .union([z.string(), z.array(contentPart)], { error: expected("string or array of content parts") })
      .nullish(),
    name: z.string().nullish(),
    tool_calls: z.array(toolCall).nullish(),
    tool_call_id: z.string().nullish(),
    reasoning: z.string().nullish(),
    reasoning_content: z.string().nullish(),
  })
  .superRefine((m, ctx) => {
    if (m.content == null) {
      if (m.role !== "assistant" || !m.tool_calls?.length) {
        ctx.addIssue({
          code: "custom",
          path: ["content"],
          message: "is required (null is allowed only on assistant messages with tool_calls)",
        });
      }
    } else if (Array.isArray(m.content)) {
      m.content.forEach((part, i) => {
        if (part.type !== "image_url") return;
        if (m.role !== "user") {
          ctx.addIssue({
            code: "custom",
            path: ["content", i],
            message: "image parts are allowed only in user messages",
          });
          return;
        }
        const url = typeof part.image_url === "string" ? part.image_url : part.image_url.url;
        const checked = parseImageUrl(url);
        if (!checked.ok) {
          const path = typeof part.image_url === "string" ? ["image_url"] : ["image_url", "url"];
          ctx.addIssue({ code: "custom", path: ["content", i, ...path], message: checked.message });
        }
      });
    }
    if (m.role === "assistant") {
      m.tool_calls?.forEach((call, i) => {
        if (parseToolArguments(call.function.arguments) === undefined) {
          ctx.addIssue({
            code: "custom",
            path: ["tool_calls", i, "function", "arguments"],
            message: "expected a JSON object encoded as a string",
          });
        }
      });
    }
  });

const functionTool = z.object({
  type: z.literal("function"),
  function: z.object({
    name: z.string().min(1),
    description: z.string().nullish(),
    parameters: z.record(z.string(), z.unknown()).nullish(),
    strict: z.boolean().nullish(),
  }),
});

const tool = z
  .object({ type: z.string() })
  .loose()
  .superRefine((t, ctx) => {
    if (t.type !== "function") {
      const message = `only "function" tools are supported, got ${JSON.stringify(t.type)}`;
      ctx.addIssue({ code: "custom", path: ["type"], message, params: UNSUPPORTED });
    }
  })
  .pipe(functionTool);

const toolChoice = z.union([z.enum(["auto", "none", "required"]), z.object({ type: z.string() }).loose()], {
  error: expected('"auto" | "none" | "required" or an object'),
});

const responseFormat = z.discriminatedUnion("type", [
  z.object({ type: z.literal("text") }),
  z.object({ type: z.literal("json_object") }),
  z.object({
    type: z.literal("json_schema"),
    json_schema: z.object({
      name: z.string().nullish(),
      description: z.string().nullish(),
      schema: z.record(z.string(), z.unknown()).nullish(),
      strict: z.boolean().nullish(),
    }),
  }),
]);

/** OpenAI's reasoning effort values; see `toOllamaThink` for how each maps to Ollama's `think`. */
export const reasoningEffort = z.enum(["none", "minimal", "low", "medium", "high", "xhigh", "max"]);

const chatCompletionRequestSchema = z
  .object({
    model: f.model,
    messages: z.array(message).min(1),
    stream: f.stream,
    stream_options: f.streamOptions,
    max_tokens: f.maxTokens,
    max_completion_tokens: f.maxTokens,
    temperature: f.number,
    top_p: f.number,
    seed: f.integer,
    frequency_penalty: f.number,
    presence_penalty: f.number,
    stop: f.stop,
    n: f.singleChoice,
    response_format: responseFormat.nullish(),
    tools: z.array(tool).nullish(),
    tool_choice: toolChoice.nullish(),
    reasoning_effort: reasoningEffort.nullish(),
    reasoning: z.object({ effort: reasoningEffort.nullish() }).nullish(),
    logprobs: z.boolean().nullish(),
    top_logprobs: z.number().int().min(0).max(20).nullish(),
    keep_alive: f.keepAlive,
    options: f.ollamaOptions,
  })
  .superRefine((req, ctx) => {
    const choice = req.tool_choice;
    if (choice === "required" || (typeof choice === "object" && choice !== null)) {
      ctx.addIssue({
        code: "custom",
        path: ["tool_choice"],
        message: 'forcing tool use is not supported (Ollama lets the model decide); use "auto" or "none"',
        params: UNSUPPORTED,
      });
    }
    const format = req.response_format;
    if (format?.type === "json_schema" && format.json_schema.schema == null) {
      ctx.addIssue({
        code: "custom",
        path: ["response_format", "json_schema", "schema"],
        message: "is required (without it the output would be unconstrained)",
      });
    }
  });

export type ChatCompletionRequest = z.output<typeof chatCompletionRequestSchema>;
export type ChatMessage = ChatCompletionRequest["messages"][number];
export type ChatContentPart = Extract<ChatMessage["content"], unknown[]>[number];
export type ChatRequestToolCall = NonNullable<ChatMessage["tool_calls"]>[number];
export type ChatTool = NonNullable<ChatCompletionRequest["tools"]>[number];
export type ReasoningEffort = z.output<typeof reasoningEffort>;

/** Validates a decoded JSON body. Throws GatewayError 400 (`invalid_request` or `unsupported_parameter`) naming the field. */
export function parseChatCompletionRequest(body: unknown): ChatCompletionRequest {
  return parseOrThrow(chatCompletionRequestSchema, body);
}

/**
 * Tool-call `arguments` as the object Ollama wants, or undefined when the string is not a JSON object.
 * Blank means "no arguments" (`{}`): some models emit `""` for argument-less calls and clients echo it back.
 */
export function parseToolArguments(text: string): Record<string, unknown> | undefined {
  if (text.trim() === "") return {};
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
