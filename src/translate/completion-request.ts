// /v1/completions request → /api/generate request.
import type { OllamaGenerateRequest } from "../ollama/types.js";
import type { CompletionRequest } from "../openai/completion-request.js";
import { toOllamaOptions } from "./options.js";

/** `stream` as the client asked, as for chat. Sampling as for chat. */
export function toOllamaGenerateRequest(req: CompletionRequest): OllamaGenerateRequest {
  const out: OllamaGenerateRequest = { model: req.model, prompt: req.prompt, stream: req.stream === true };
  if (req.suffix) out.suffix = req.suffix;
  const options = toOllamaOptions(req);
  if (options !== undefined) out.options = options;
  if (req.keep_alive != null) out.keep_alive = req.keep_alive;
  return out;
}
