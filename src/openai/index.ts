// The OpenAI side of the gateway: request validation and the response types.
export {
  type ChatCompletionRequest,
  type ChatContentPart,
  type ChatMessage,
  type ChatRequestToolCall,
  type ChatTool,
  parseChatCompletionRequest,
  parseToolArguments,
  type ReasoningEffort,
} from "./chat-request.js";
export { type CompletionRequest, parseCompletionRequest } from "./completion-request.js";
export { type EmbeddingRequest, parseEmbeddingRequest } from "./embedding-request.js";
export type * from "./responses.js";
