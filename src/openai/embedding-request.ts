// The /v1/embeddings request: zod schema, parser and type (https://platform.openai.com/docs/api-reference/embeddings/create).
import * as z from "zod";
import * as f from "./common.js";
import { expected, parseOrThrow, UNSUPPORTED } from "./validation.js";

// Token inputs (number[] or number[][]) are recognised before the shape check so they get `unsupported_parameter`.
const input = z
  .unknown()
  .superRefine((value, ctx) => {
    if (Array.isArray(value) && value.some((item) => typeof item === "number" || Array.isArray(item))) {
      ctx.addIssue({
        code: "custom",
        message: "token arrays are not supported; send text",
        params: UNSUPPORTED,
      });
    }
  })
  .pipe(
    z.union([z.string().min(1), z.array(z.string().min(1)).min(1)], {
      error: expected("string or array of strings"),
    }),
  );

const embeddingRequestSchema = z.object({
  model: f.model,
  input,
  encoding_format: z.enum(["float", "base64"]).nullish(),
  dimensions: z.number().int().min(1).nullish(),
  keep_alive: f.keepAlive,
  options: f.ollamaOptions,
});

export type EmbeddingRequest = z.output<typeof embeddingRequestSchema>;

/** Validates a decoded JSON body. Throws GatewayError 400 (`invalid_request` or `unsupported_parameter`) naming the field. */
export function parseEmbeddingRequest(body: unknown): EmbeddingRequest {
  return parseOrThrow(embeddingRequestSchema, body);
}
