// The current user turn of a chat: where it starts, how many rounds of tool calls it has had, whether to call another.

import { parseDirectives } from "./directives.js";

/** The fields of a chat message the turn rule looks at. */
export interface TurnMessage {
  role: string;
  content: string;
  tool_calls?: readonly unknown[] | undefined;
}

export interface Turn {
  /** Index of the turn's first message: just after the last assistant message that answered in text. */
  start: number;
  /** Assistant messages with tool calls since then: each is one round. */
  toolRounds: number;
  /** The contents of the turn's user messages, in order (where `[sim:tool-rounds=N]` is looked for). */
  userTexts: string[];
}

const callsTools = (m: TurnMessage) => m.role === "assistant" && (m.tool_calls?.length ?? 0) > 0;

/**
 * A turn starts after the last assistant message that answered in text (no tool calls), not at the last user
 * message: agents such as OpenClaw append a user message with their own context after the tool results, and
 * that message continues the turn rather than opening a new one.
 */
export function currentTurn(messages: readonly TurnMessage[]): Turn {
  let start = 0;
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i] as TurnMessage;
    if (m.role === "assistant" && !callsTools(m)) {
      start = i + 1;
      break;
    }
  }
  let toolRounds = 0;
  const userTexts: string[] = [];
  for (const m of messages.slice(start)) {
    if (callsTools(m)) toolRounds++;
    else if (m.role === "user") userTexts.push(m.content);
  }
  return { start, toolRounds, userTexts };
}

/** Rounds of tool calls a turn gets unless `[sim:tool-rounds=N]` asks otherwise; then it answers in text, as a model does. */
export const DEFAULT_TOOL_ROUNDS = 1;

/**
 * Index into the request's tools of the tool to call, or undefined to answer in text. A tool is called when
 * the request has tools, the last message is the user's or a tool result (not an assistant prefill), and the
 * turn has had fewer rounds than `[sim:tool-rounds=N]` in any of its user messages asks for (the last one
 * wins; default DEFAULT_TOOL_ROUNDS). Successive rounds call successive tools.
 */
export function toolToCall(messages: readonly TurnMessage[], toolCount: number): number | undefined {
  const last = messages[messages.length - 1];
  if (toolCount === 0 || (last?.role !== "user" && last?.role !== "tool")) return undefined;
  const turn = currentTurn(messages);
  const rounds = parseDirectives(turn.userTexts.join("\n")).toolRounds ?? DEFAULT_TOOL_ROUNDS;
  return turn.toolRounds < rounds ? turn.toolRounds % toolCount : undefined;
}
