// OpenAI sampling fields → Ollama `options`, shared by chat and completions.
import type { OllamaOptions } from "../ollama/types.js";

export interface SamplingFields {
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
  temperature?: number | null;
  top_p?: number | null;
  seed?: number | null;
  frequency_penalty?: number | null;
  presence_penalty?: number | null;
  stop?: string | string[] | null;
  /** Ollama options the client sent on purpose; translated fields win over them. */
  options?: Record<string, unknown> | null;
}

/**
 * Only fields the client sent become options: no defaults are injected, so the model's own Modelfile
 * parameters apply (Ollama's /v1 layer forces temperature and top_p to 1). `max_completion_tokens` wins over
 * `max_tokens`. Returns undefined when there is nothing to send.
 */
export function toOllamaOptions(req: SamplingFields): OllamaOptions | undefined {
  const out: OllamaOptions = { ...req.options };
  const maxTokens = req.max_completion_tokens ?? req.max_tokens;
  if (maxTokens != null) out.num_predict = maxTokens;
  if (req.temperature != null) out.temperature = req.temperature;
  if (req.top_p != null) out.top_p = req.top_p;
  if (req.seed != null) out.seed = req.seed;
  if (req.frequency_penalty != null) out.frequency_penalty = req.frequency_penalty;
  if (req.presence_penalty != null) out.presence_penalty = req.presence_penalty;
  if (req.stop != null) {
    const stop = typeof req.stop === "string" ? [req.stop] : req.stop;
    if (stop.length > 0) out.stop = stop;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
