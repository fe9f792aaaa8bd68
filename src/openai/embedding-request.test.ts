// parseEmbeddingRequest: rejections and accepted inputs.
import { expect, test } from "vitest";
import { GatewayError } from "../errors/gateway-error.js";
import { parseEmbeddingRequest } from "./embedding-request.js";

test.each([
  ["a missing input", { model: "m" }, "invalid_request", "input", "input: is required"],
  ["an empty string", { model: "m", input: "" }, "invalid_request", "input", "must not be empty"],
  ["an empty array", { model: "m", input: [] }, "invalid_request", "input", "at least 1"],
  [
    "an empty string in the array",
    { model: "m", input: ["a", ""] },
    "invalid_request",
    "input[1]",
    "must not be empty",
  ],
  [
    "a non-string entry",
    { model: "m", input: ["a", { t: 1 }] },
    "invalid_request",
    "input[1]",
    "expected string, got object",
  ],
  ["a number", { model: "m", input: 5 }, "invalid_request", "input", "string or array of strings"],
  ["a token array", { model: "m", input: [1, 2, 3] }, "unsupported_parameter", "input", "token arrays"],
  ["token arrays", { model: "m", input: [[1, 2], [3]] }, "unsupported_parameter", "input", "token arrays"],
  [
    "an unknown encoding_format",
    { model: "m", input: "a", encoding_format: "int8" },
    "invalid_request",
    "encoding_format",
    '"int8"',
  ],
  ["zero dimensions", { model: "m", input: "a", dimensions: 0 }, "invalid_request", "dimensions", ">= 1"],
  ["a missing model", { input: "a" }, "invalid_request", "model", "is required"],
])("rejects %s", (_name, body, code, param, fragment) => {
  let err: unknown;
  try {
    parseEmbeddingRequest(body);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(GatewayError);
  const gw = err as GatewayError;
  expect([gw.status, gw.code, gw.param]).toEqual([400, code, param]);
  expect(gw.message).toContain(fragment);
});

test.each([
  ["a string", { model: "m", input: "a" }],
  [
    "strings, base64, dimensions and hints",
    { model: "m", input: ["a", "b"], encoding_format: "base64", dimensions: 64, user: "u" },
  ],
  ["float encoding", { model: "m", input: "a", encoding_format: "float" }],
])("accepts %s", (_name, body) => {
  expect(() => parseEmbeddingRequest(body)).not.toThrow();
});
