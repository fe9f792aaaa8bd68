// parseCompletionRequest: rejections and prompt normalization.
import { expect, test } from "vitest";
import { GatewayError } from "../errors/gateway-error.js";
import { parseCompletionRequest } from "./completion-request.js";

const base = { model: "m", prompt: "Once" };

test.each([
  ["a missing prompt", { model: "m" }, "invalid_request", "prompt", "prompt: is required"],
  ["an empty prompt", { model: "m", prompt: "" }, "invalid_request", "prompt", "must not be empty"],
  ["a numeric prompt", { model: "m", prompt: 5 }, "invalid_request", "prompt", "expected string, got number"],
  ["an empty prompt array", { model: "m", prompt: [] }, "invalid_request", "prompt", "exactly one string"],
  ["several prompts", { model: "m", prompt: ["a", "b"] }, "unsupported_parameter", "prompt", "one prompt"],
  ["a token prompt", { model: "m", prompt: [1, 2, 3] }, "unsupported_parameter", "prompt", "token arrays"],
  ["token prompts", { model: "m", prompt: [[1], [2]] }, "unsupported_parameter", "prompt", "token arrays"],
  ["a missing model", { prompt: "x" }, "invalid_request", "model", "model: is required"],
  ["echo", { ...base, echo: true }, "unsupported_parameter", "echo", "echo"],
  ["n > 1", { ...base, n: 3 }, "unsupported_parameter", "n", "only 1"],
  ["best_of > 1", { ...base, best_of: 2 }, "unsupported_parameter", "best_of", "only 1"],
  ["logprobs", { ...base, logprobs: 2 }, "unsupported_parameter", "logprobs", "not supported"],
  [
    "a non-string stop entry",
    { ...base, stop: [null] },
    "invalid_request",
    "stop[0]",
    "expected string, got null",
  ],
  ["a non-string suffix", { ...base, suffix: 1 }, "invalid_request", "suffix", "expected string"],
  ["a negative max_tokens", { ...base, max_tokens: -5 }, "invalid_request", "max_tokens", ">= 0"],
])("rejects %s", (_name, body, code, param, fragment) => {
  let err: unknown;
  try {
    parseCompletionRequest(body);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(GatewayError);
  const gw = err as GatewayError;
  expect([gw.status, gw.code, gw.param]).toEqual([400, code, param]);
  expect(gw.message).toContain(fragment);
});

test.each([
  ["a string prompt", base, "Once"],
  ["a one-string array", { model: "m", prompt: ["Once"] }, "Once"],
  [
    "OpenAI's defaults sent explicitly",
    { ...base, n: 1, best_of: 1, echo: false, logprobs: 0, suffix: null },
    "Once",
  ],
])("accepts %s and normalizes the prompt to a string", (_name, body, prompt) => {
  expect(parseCompletionRequest(body).prompt).toBe(prompt);
});
