// The legacy /v1/completions request: zod schema, parser and type (https://platform.openai.com/docs/api-reference/completions/create).
import * as z from "zod";
import * as f from "./common.js";
import { expected, parseOrThrow, UNSUPPORTED } from "./validation.js";

/**
 * `prompt` is normalized to one string. OpenAI also takes an array of prompts (one choice each) and token
 * arrays; Ollama does neither, so those are refused with `unsupported_parameter` rather than half-served.
 */
const prompt = z
  .union([z.string(), z.array(z.unknown())], { error: expected("string") })
  .superRefine((value, ctx) => {
    if (!Array.isArray(value)) return;
    if (value.length === 0) {
      ctx.addIssue({ code: "custom", message: "must contain exactly one string" });
    } else if (value.some((item) => typeof item !== "string")) {
      ctx.addIssue({
        code: "custom",
        message: "token arrays are not supported; send text",
        params: UNSUPPORTED,
      });
    } else if (value.length > 1) {
      ctx.addIssue({
        code: "custom",
        message: "only one prompt per request is supported",
        params: UNSUPPORTED,
      });
    }
  })
  .transform((value) => (typeof value === "string" ? value : String(value[0])))
  .pipe(z.string().min(1));

const completionRequestSchema = z
  .object({
    model: f.model,
    prompt,
    suffix: z.string().nullish(),
    stream: f.stream,
    stream_options: f.streamOptions,
    max_tokens: f.maxTokens,
    temperature: f.number,
    top_p: f.number,
    seed: f.integer,
    frequency_penalty: f.number,
    presence_penalty: f.number,
    stop: f.stop,
    n: f.singleChoice,
    best_of: f.singleChoice,
    echo: z.boolean().nullish(),
    logprobs: z.number().int().min(0).nullish(),
    keep_alive: f.keepAlive,
    options: f.ollamaOptions,
  })
  .superRefine((req, ctx) => {
    if (req.echo === true) {
      ctx.addIssue({ code: "custom", path: ["echo"], message: "echo is not supported", params: UNSUPPORTED });
    }
    if (req.logprobs != null && req.logprobs > 0) {
      const message = "logprobs are not supported on /v1/completions (use /v1/chat/completions)";
      ctx.addIssue({ code: "custom", path: ["logprobs"], message, params: UNSUPPORTED });
    }
  });

export type CompletionRequest = z.output<typeof completionRequestSchema>;

/** Validates a decoded JSON body. Throws GatewayError 400 (`invalid_request` or `unsupported_parameter`) naming the field. */
export function parseCompletionRequest(body: unknown): CompletionRequest {
  return parseOrThrow(completionRequestSchema, body);
}
