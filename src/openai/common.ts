// Request fields shared by /v1/chat/completions, /v1/completions and /v1/embeddings.
// Optional fields are `nullish`: OpenAI clients send `null` to mean "not sent", and it is treated so.
import * as z from "zod";
import { expected, UNSUPPORTED } from "./validation.js";

export const model = z.string().min(1);

export const stream = z.boolean().nullish();

export const streamOptions = z.object({ include_usage: z.boolean().nullish() }).nullish();

export const maxTokens = z.number().int().min(0).nullish();

export const number = z.number().nullish();

export const integer = z.number().int().nullish();

export const stop = z
  .union([z.string(), z.array(z.string())], { error: expected("string or array of strings") })
  .nullish();

/** `n` (and `best_of`): Ollama produces one choice per request, so anything above 1 is refused, not ignored. */
export const singleChoice = z
  .number()
  .int()
  .min(1)
  .nullish()
  .superRefine((value, ctx) => {
    if (value != null && value > 1) {
      ctx.addIssue({
        code: "custom",
        message: "only 1 is supported (Ollama returns one choice)",
        params: UNSUPPORTED,
      });
    }
  });

/** Ollama-specific extras a client may send on purpose; forwarded as is (see docs/translation.md). */
export const keepAlive = z.union([z.string(), z.number()], { error: expected("string or number") }).nullish();

export const ollamaOptions = z.record(z.string(), z.unknown()).nullish();
