// /v1/embeddings ⇄ /api/embed: the request, and the reply as floats or base64.
import { GatewayError } from "../errors/gateway-error.js";
import type { OllamaEmbedRequest, OllamaEmbedResponse } from "../ollama/types.js";
import type { EmbeddingRequest } from "../openai/embedding-request.js";
import type { EmbeddingList } from "../openai/responses.js";

export function toOllamaEmbedRequest(req: EmbeddingRequest): OllamaEmbedRequest {
  const out: OllamaEmbedRequest = { model: req.model, input: req.input };
  if (req.dimensions != null) out.dimensions = req.dimensions;
  if (req.keep_alive != null) out.keep_alive = req.keep_alive;
  if (req.options != null) out.options = req.options;
  return out;
}

/**
 * One `embedding` per input, in order; `model` as the client sent it; usage from prompt_eval_count.
 * Throws upstream_protocol_error when the upstream returned no vector list or a different number of vectors
 * than inputs (indexes would silently point at the wrong texts).
 */
export function toEmbeddingList(res: OllamaEmbedResponse, req: EmbeddingRequest): EmbeddingList {
  const vectors: unknown = res.embeddings;
  const expectedCount = typeof req.input === "string" ? 1 : req.input.length;
  if (!Array.isArray(vectors) || vectors.length !== expectedCount) {
    const got = Array.isArray(vectors) ? `${vectors.length} embeddings` : "no embeddings";
    throw new GatewayError(
      "upstream_protocol_error",
      `the upstream returned ${got} for ${expectedCount} input(s)`,
    );
  }
  const base64 = req.encoding_format === "base64";
  const tokens = res.prompt_eval_count ?? 0;
  return {
    object: "list",
    data: (vectors as number[][]).map((vector, index) => ({
      object: "embedding",
      index,
      embedding: base64 ? float32Base64(vector) : vector,
    })),
    model: req.model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}

/** OpenAI's base64 encoding: little-endian float32 bytes, standard base64 (`[0.1,-0.2,0.3]` → `zczMPc3MTL6amZk+`). */
export function float32Base64(vector: readonly number[]): string {
  const bytes = Buffer.allocUnsafe(vector.length * 4);
  for (let i = 0; i < vector.length; i++) bytes.writeFloatLE(vector[i] ?? 0, i * 4);
  return bytes.toString("base64");
}
