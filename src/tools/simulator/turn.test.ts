// The turn rule: one round of tool calls per user turn unless [sim:tool-rounds=N] asks for more.

import { describe, expect, test } from "vitest";
import { currentTurn, type TurnMessage, toolToCall } from "./turn.js";

const user = (content: string): TurnMessage => ({ role: "user", content });
const system: TurnMessage = { role: "system", content: "You are an agent." };
const calls: TurnMessage = { role: "assistant", content: "", tool_calls: [{ function: { name: "read" } }] };
const result: TurnMessage = { role: "tool", content: '{"ok":true}' };
const text: TurnMessage = { role: "assistant", content: "Done." };
const emptyCalls: TurnMessage = { role: "assistant", content: "Sure.", tool_calls: [] };

describe("currentTurn", () => {
  test.each<[string, TurnMessage[], { start: number; toolRounds: number; userTexts: string[] }]>([
    ["no messages", [], { start: 0, toolRounds: 0, userTexts: [] }],
    ["a first question", [system, user("q")], { start: 0, toolRounds: 0, userTexts: ["q"] }],
    [
      "OpenClaw: the context message after tool results continues the turn",
      [system, user("q"), calls, result, result, user("ctx")],
      { start: 0, toolRounds: 1, userTexts: ["q", "ctx"] },
    ],
    [
      "a text answer closes the turn",
      [user("q"), calls, result, text, user("next")],
      { start: 4, toolRounds: 0, userTexts: ["next"] },
    ],
    [
      "an empty tool_calls list is a text answer",
      [user("q"), emptyCalls, user("next")],
      { start: 2, toolRounds: 0, userTexts: ["next"] },
    ],
    [
      "two rounds",
      [user("q"), calls, result, user("ctx"), calls, result],
      { start: 0, toolRounds: 2, userTexts: ["q", "ctx"] },
    ],
  ])("%s", (_name, messages, expected) => {
    expect(currentTurn(messages)).toEqual(expected);
  });
});

describe("toolToCall", () => {
  test.each<[string, TurnMessage[], number, number | undefined]>([
    ["a question with tools: the first tool", [system, user("q")], 11, 0],
    ["no tools: text", [user("q")], 0, undefined],
    ["after the tool result: text", [user("q"), calls, result], 11, undefined],
    [
      "OpenClaw's context message after the result: text",
      [user("q"), calls, result, user("ctx")],
      11,
      undefined,
    ],
    ["a new question after a text answer: a tool again", [user("q"), calls, result, text, user("q2")], 11, 0],
    ["an assistant prefill last: text", [user("q"), { role: "assistant", content: "Well" }], 11, undefined],
    [
      "tool-rounds=2, after one round: the second tool",
      [user("q [sim:tool-rounds=2]"), calls, result],
      11,
      1,
    ],
    [
      "tool-rounds=2 in the first user message survives the context message",
      [user("q [sim:tool-rounds=2]"), calls, result, user("ctx")],
      11,
      1,
    ],
    [
      "tool-rounds=2, after two rounds: text",
      [user("q [sim:tool-rounds=2]"), calls, result, user("ctx"), calls, result, user("ctx")],
      11,
      undefined,
    ],
    [
      "tool-rounds=3 with 2 tools: wraps around",
      [user("[sim:tool-rounds=3]"), calls, result, calls, result],
      2,
      0,
    ],
    ["tool-rounds=0: never a tool", [user("q [sim:tool-rounds=0]")], 11, undefined],
    [
      "a directive from an earlier turn does not carry over",
      [user("[sim:tool-rounds=2]"), calls, result, text, user("q2"), calls, result],
      11,
      undefined,
    ],
    [
      "the last directive of the turn wins",
      [user("[sim:tool-rounds=3]"), calls, result, user("[sim:tool-rounds=1]")],
      11,
      undefined,
    ],
  ])("%s", (_name, messages, toolCount, expected) => {
    expect(toolToCall(messages, toolCount)).toBe(expected);
  });
});
