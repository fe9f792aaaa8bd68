// Server-sent event frames as OpenAI streams them (https://html.spec.whatwg.org/multipage/server-sent-events.html).
import { type GatewayError, openAIErrorBody } from "../errors/gateway-error.js";

/** The last frame of a successful stream. */
export const SSE_DONE = "data: [DONE]\n\n";

/**
 * One event carrying `json`, which must be a single line: JSON.stringify output always is (it escapes \r and \n).
 * No `event:` field, like OpenAI.
 */
export function sseData(json: string): string {
  return `data: ${json}\n\n`;
}

/**
 * The final frame of a failed stream, `{"error":{message,type,param,code}}`, never followed by [DONE]. The
 * official openai clients throw an APIError with this message when they read it.
 */
export function sseError(err: GatewayError): string {
  return sseData(JSON.stringify(openAIErrorBody(err)));
}
