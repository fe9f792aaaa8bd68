// OpenAI chat messages → Ollama messages (one per OpenAI message: text parts joined, images collected).
import { GatewayError } from "../errors/gateway-error.js";
import type { OllamaMessage, OllamaToolCall } from "../ollama/types.js";
import { type ChatMessage, parseToolArguments } from "../openai/chat-request.js";
import { parseImageUrl } from "../openai/image-url.js";

/**
 * - `developer` → `system`.
 * - Content-part arrays become ONE message: text (and refusal) parts joined with "\n", image parts' base64 in
 *   `images` (Ollama's own layer makes one message per part).
 * - `tool` messages keep `tool_call_id` whatever the content's form, and get `tool_name` from `name` or else
 *   from the latest earlier assistant tool call with that id.
 * - Assistant `reasoning` (or `reasoning_content`) → `thinking`; `tool_calls` arguments parsed to objects.
 * Input is expected to come from parseChatCompletionRequest; what it would reject throws GatewayError 400 here too.
 */
export function toOllamaMessages(messages: readonly ChatMessage[]): OllamaMessage[] {
  const toolNames = new Map<string, string>();
  return messages.map((m, i) => {
    const out: OllamaMessage = { role: m.role === "developer" ? "system" : m.role, content: "" };
    const content = m.content;
    if (typeof content === "string") {
      out.content = content;
    } else if (content != null) {
      const texts: string[] = [];
      const images: string[] = [];
      content.forEach((part, j) => {
        if (part.type === "text") texts.push(part.text);
        else if (part.type === "refusal") texts.push(part.refusal);
        else
          images.push(
            imageBase64(typeof part.image_url === "string" ? part.image_url : part.image_url.url, i, j),
          );
      });
      out.content = texts.join("\n");
      if (images.length > 0) out.images = images;
    }
    if (m.role === "assistant") {
      const thinking = m.reasoning || m.reasoning_content;
      if (thinking) out.thinking = thinking;
      if (m.tool_calls?.length) {
        out.tool_calls = m.tool_calls.map((call, j): OllamaToolCall => {
          toolNames.set(call.id, call.function.name);
          return {
            id: call.id,
            function: {
              index: j,
              name: call.function.name,
              arguments: toolArguments(call.function.arguments, i, j),
            },
          };
        });
      }
    } else if (m.role === "tool") {
      if (m.tool_call_id) out.tool_call_id = m.tool_call_id;
      const name = m.name || (m.tool_call_id ? toolNames.get(m.tool_call_id) : undefined);
      if (name) out.tool_name = name;
    }
    return out;
  });
}

function imageBase64(url: string, i: number, j: number): string {
  const image = parseImageUrl(url);
  if (image.ok) return image.base64;
  const param = `messages[${i}].content[${j}].image_url`;
  throw new GatewayError("invalid_request", `${param}: ${image.message}`, { param });
}

function toolArguments(text: string, i: number, j: number): Record<string, unknown> {
  const args = parseToolArguments(text);
  if (args !== undefined) return args;
  const param = `messages[${i}].tool_calls[${j}].function.arguments`;
  throw new GatewayError("invalid_request", `${param}: expected a JSON object encoded as a string`, {
    param,
  });
}
