// Ollama's native API shapes (see shared/reference/ollama-api.md), shared by the translator, the upstream and the simulator.

export type OllamaThink = boolean | "low" | "medium" | "high" | "max";

export interface OllamaToolCall {
  id?: string;
  function: { index?: number; name: string; arguments: Record<string, unknown> };
}

export interface OllamaMessage {
  role: string;
  content: string;
  thinking?: string;
  images?: string[];
  tool_calls?: OllamaToolCall[];
  tool_name?: string;
  tool_call_id?: string;
}

export interface OllamaTool {
  type: "function";
  function: { name: string; description?: string; parameters?: Record<string, unknown> };
}

/** `options` of a request (api.Options); only keys the gateway sets or the simulator reads are typed. */
export interface OllamaOptions {
  num_predict?: number;
  temperature?: number;
  top_p?: number;
  top_k?: number;
  seed?: number;
  stop?: string[];
  frequency_penalty?: number;
  presence_penalty?: number;
  num_ctx?: number;
  [key: string]: unknown;
}

export interface OllamaChatRequest {
  model: string;
  messages: OllamaMessage[];
  stream?: boolean;
  format?: "json" | Record<string, unknown>;
  keep_alive?: string | number;
  tools?: OllamaTool[];
  options?: OllamaOptions;
  think?: OllamaThink;
  logprobs?: boolean;
  top_logprobs?: number;
}

export interface OllamaLogprob {
  token: string;
  logprob: number;
  bytes?: number[];
  top_logprobs?: { token: string; logprob: number; bytes?: number[] }[];
}

/** The six timing/count fields of a final chunk. All are omitempty upstream: absent means 0. */
export interface OllamaStats {
  total_duration?: number;
  load_duration?: number;
  prompt_eval_count?: number;
  prompt_eval_duration?: number;
  eval_count?: number;
  eval_duration?: number;
}

export type OllamaDoneReason = "stop" | "length" | "load" | "unload" | (string & {});

/** One NDJSON line of /api/chat (or the single body with stream:false). */
export interface OllamaChatChunk extends OllamaStats {
  model: string;
  created_at: string;
  message: { role: string; content: string; thinking?: string; tool_calls?: OllamaToolCall[] };
  done: boolean;
  done_reason?: OllamaDoneReason;
  logprobs?: OllamaLogprob[];
}

export interface OllamaGenerateRequest {
  model: string;
  prompt?: string;
  suffix?: string;
  system?: string;
  template?: string;
  context?: number[];
  stream?: boolean;
  raw?: boolean;
  format?: "json" | Record<string, unknown>;
  keep_alive?: string | number;
  images?: string[];
  options?: OllamaOptions;
  think?: OllamaThink;
  logprobs?: boolean;
  top_logprobs?: number;
}

export interface OllamaGenerateChunk extends OllamaStats {
  model: string;
  created_at: string;
  response: string;
  thinking?: string;
  done: boolean;
  done_reason?: OllamaDoneReason;
  context?: number[];
  logprobs?: OllamaLogprob[];
}

/** A mid-stream error line, or the body of any error response. */
export interface OllamaErrorLine {
  error: string;
}

export interface OllamaEmbedRequest {
  model: string;
  input: string | string[];
  truncate?: boolean;
  dimensions?: number;
  keep_alive?: string | number;
  options?: OllamaOptions | null;
}

export interface OllamaEmbedResponse {
  model: string;
  embeddings: number[][];
  total_duration?: number;
  load_duration?: number;
  prompt_eval_count?: number;
}

export interface OllamaModelDetails {
  parent_model: string;
  format: string;
  family: string;
  families: string[] | null;
  parameter_size: string;
  quantization_level: string;
  context_length?: number;
  embedding_length?: number;
}

export interface OllamaListModel {
  name: string;
  model: string;
  modified_at: string;
  size: number;
  digest: string;
  details: OllamaModelDetails;
  capabilities?: string[];
}

export interface OllamaTagsResponse {
  models: OllamaListModel[];
}

export interface OllamaProcessModel {
  name: string;
  model: string;
  size: number;
  digest: string;
  details: OllamaModelDetails;
  expires_at: string;
  size_vram: number;
  context_length: number;
}

export interface OllamaPsResponse {
  models: OllamaProcessModel[];
}

export interface OllamaShowResponse {
  license?: string;
  modelfile?: string;
  parameters?: string;
  template?: string;
  details: OllamaModelDetails;
  model_info: Record<string, unknown> | null;
  capabilities?: string[];
  modified_at: string;
}

export interface OllamaVersionResponse {
  version: string;
}
