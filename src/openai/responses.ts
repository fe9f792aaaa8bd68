// OpenAI response shapes the gateway produces (chat, completions, embeddings, models), as sent on the wire.

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export type FinishReason = "stop" | "length" | "tool_calls";

export interface ToolCall {
  id: string;
  type: "function";
  /** `arguments` is compact JSON text, as OpenAI sends it. */
  function: { name: string; arguments: string };
}

/** A tool call inside a streaming delta: always complete (never split into argument fragments). */
export interface ToolCallDelta extends ToolCall {
  /** Position of the call within the whole response; the SDKs merge deltas by it. */
  index: number;
}

export interface TokenLogprob {
  token: string;
  logprob: number;
  bytes: number[] | null;
  top_logprobs: { token: string; logprob: number; bytes: number[] | null }[];
}

export interface ChoiceLogprobs {
  content: TokenLogprob[];
}

export interface ChatCompletionMessage {
  role: "assistant";
  /** Always a string, `""` when the model only called tools. */
  content: string;
  /** The model's thinking (Ollama's `thinking`); absent when there was none. */
  reasoning?: string;
  tool_calls?: ToolCall[];
}

export interface ChatCompletion {
  id: string;
  object: "chat.completion";
  created: number;
  model: string;
  choices: [
    {
      index: 0;
      message: ChatCompletionMessage;
      logprobs: ChoiceLogprobs | null;
      finish_reason: FinishReason;
    },
  ];
  usage: Usage;
}

export interface ChatCompletionDelta {
  role?: "assistant";
  content?: string;
  reasoning?: string;
  tool_calls?: ToolCallDelta[];
}

export interface ChatCompletionChunk {
  id: string;
  object: "chat.completion.chunk";
  created: number;
  model: string;
  /** One choice, or none on the final usage chunk. */
  choices: {
    index: 0;
    delta: ChatCompletionDelta;
    logprobs?: ChoiceLogprobs;
    finish_reason: FinishReason | null;
  }[];
  /** Present only with `stream_options.include_usage`: null on every chunk but the last. */
  usage?: Usage | null;
}

export interface Completion {
  id: string;
  object: "text_completion";
  created: number;
  model: string;
  choices: [{ text: string; index: 0; logprobs: null; finish_reason: FinishReason }];
  usage: Usage;
}

export interface CompletionChunk {
  id: string;
  object: "text_completion";
  created: number;
  model: string;
  choices: { text: string; index: 0; logprobs: null; finish_reason: FinishReason | null }[];
  usage?: Usage | null;
}

export interface Embedding {
  object: "embedding";
  index: number;
  /** Floats, or standard base64 of little-endian float32 values with `encoding_format: "base64"`. */
  embedding: number[] | string;
}

export interface EmbeddingList {
  object: "list";
  data: Embedding[];
  model: string;
  usage: { prompt_tokens: number; total_tokens: number };
}

export interface Model {
  id: string;
  object: "model";
  created: number;
  owned_by: string;
}

export interface ModelList {
  object: "list";
  data: Model[];
}
