// `[sim:…]` directives: deterministic behaviour requested from inside the prompt, so tests can drive it through any gateway.

/**
 * Directives are read from the LAST user message of /api/chat (or the prompt of /api/generate); unknown
 * ones are ignored. They win over the random fault rates. `llmgate simulate --help` prints this table.
 * `tool-rounds` is read from every user message of the current turn (see turn.ts), since agents append their own
 * user messages after tool results.
 */
export const DIRECTIVE_HELP: readonly (readonly [syntax: string, effect: string])[] = [
  [
    "[sim:fail]",
    'fail before any output: 500 {"error":"llama runner process has terminated: exit status 2"}',
  ],
  ["[sim:fail=N]", 'the same with status N; 503 says "model is overloaded", 429 "rate limit exceeded"'],
  [
    "[sim:midstream-fail]",
    'after 3 tokens (fewer if the answer is shorter), {"error":"an error was encountered while running the model"} ends the stream (no done:true)',
  ],
  ["[sim:hang]", "accept the request and never answer, until the client goes away (holds a slot)"],
  ["[sim:hang-after=N]", "stream N tokens, then go silent until the client goes away"],
  [
    "[sim:tokens=N]",
    'exactly N content tokens, then done_reason "stop" (unless num_predict cuts it: "length")',
  ],
  ["[sim:think-tokens=N]", "exactly N thinking tokens when thinking is on (0 = none)"],
  ["[sim:delay-ms=N]", "wait N ms (holding the slot) before prompt processing, i.e. before the first byte"],
  [
    "[sim:tool-rounds=N]",
    "with tools, answer with tool calls for N rounds of the turn before answering in text (default 1; 0 = never call a tool); read from every user message of the turn",
  ],
];

export interface Directives {
  failStatus?: number;
  midstreamFail?: boolean;
  hang?: boolean;
  hangAfter?: number;
  tokens?: number;
  thinkTokens?: number;
  delayMs?: number;
  toolRounds?: number;
}

const DIRECTIVE = /\[sim:([a-z-]+)(?:=(\d+))?\]/g;

export function parseDirectives(text: string): Directives {
  const out: Directives = {};
  if (!text.includes("[sim:")) return out;
  for (const match of text.matchAll(DIRECTIVE)) {
    const name = match[1];
    const n = match[2] === undefined ? undefined : Number(match[2]);
    switch (name) {
      case "fail":
        out.failStatus = n !== undefined && n >= 400 && n <= 599 ? n : 500;
        break;
      case "midstream-fail":
        out.midstreamFail = true;
        break;
      case "hang":
        out.hang = true;
        break;
      case "hang-after":
        if (n !== undefined) out.hangAfter = n;
        break;
      case "tokens":
        if (n !== undefined) out.tokens = n;
        break;
      case "think-tokens":
        if (n !== undefined) out.thinkTokens = n;
        break;
      case "delay-ms":
        if (n !== undefined) out.delayMs = n;
        break;
      case "tool-rounds":
        if (n !== undefined) out.toolRounds = n;
        break;
      default:
        break;
    }
  }
  return out;
}

const STATUS_MESSAGES: Record<number, string> = {
  400: "bad request",
  401: "unauthorized",
  403: "forbidden",
  404: "not found",
  408: "request timeout",
  429: "rate limit exceeded",
  500: "llama runner process has terminated: exit status 2",
  502: "bad gateway",
  503: "model is overloaded",
  504: "gateway timeout",
};

/** The `{"error":…}` text a runner failure with this status carries. */
export function failureMessage(status: number): string {
  return STATUS_MESSAGES[status] ?? `simulated failure (status ${status})`;
}

export const MIDSTREAM_ERROR = "an error was encountered while running the model";
