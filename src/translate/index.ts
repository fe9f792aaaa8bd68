// The pure OpenAI ⇄ Ollama translation layer: request mapping and the stream codecs (policy: ./README.md).
export { createChatAggregator } from "./chat-aggregate.js";
export { toOllamaChatRequest } from "./chat-request.js";
export { createChatSseTranslator } from "./chat-stream.js";
export { createCompletionAggregator } from "./completion-aggregate.js";
export { toOllamaGenerateRequest } from "./completion-request.js";
export { createCompletionSseTranslator } from "./completion-stream.js";
export { float32Base64, toEmbeddingList, toOllamaEmbedRequest } from "./embeddings.js";
export { toModel, toModelList } from "./models.js";
export { createLineSplitter, type LineSplitter } from "./ndjson.js";
export { createNdjsonObserver, type NdjsonObserver } from "./ndjson-observer.js";
export { SSE_DONE, sseData, sseError } from "./sse.js";
export type { Aggregator, ResponseContext, SseTranslator, StreamState } from "./types.js";
export { MAX_LINE_BYTES, type ReaderState } from "./upstream-reader.js";
