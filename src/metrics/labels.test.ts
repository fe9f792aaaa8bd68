// Label values are bounded by construction: whatever a client sends maps into a small, known set.

import { describe, expect, test } from "vitest";
import { codeLabel, doneReasonLabel, type ModelDirectory, methodLabel, modelLabel } from "./labels.js";

describe("methodLabel", () => {
  test.each([
    ["GET", "GET"],
    ["HEAD", "HEAD"],
    ["POST", "POST"],
    ["PUT", "PUT"],
    ["DELETE", "DELETE"],
    ["PATCH", "PATCH"],
    ["OPTIONS", "OPTIONS"],
    ["TRACE", "other"],
    ["CONNECT", "other"],
    ["post", "other"],
    ["X".repeat(1000), "other"],
    ["", "other"],
  ])("%j → %s", (method, label) => {
    expect(methodLabel(method)).toBe(label);
  });
});

describe("codeLabel", () => {
  test.each([
    [100, "100"],
    [200, "200"],
    [499, "499"],
    [599, "599"],
    [99, "other"],
    [600, "other"],
    [0, "other"],
    [-1, "other"],
  ])("%i → %s", (status, label) => {
    expect(codeLabel(status)).toBe(label);
  });
});

describe("doneReasonLabel", () => {
  test.each([
    ["stop", "stop"],
    ["length", "length"],
    ["load", "load"],
    ["unload", "unload"],
    ["STOP", "other"],
    ["tool_calls", "other"],
    ["", "other"],
    [undefined, "other"],
  ])("%j → %s", (reason, label) => {
    expect(doneReasonLabel(reason)).toBe(label);
  });
});

describe("modelLabel", () => {
  const spellings = new Map([
    ["qwen3:32b", "qwen3:32b"],
    ["Qwen3:32B", "qwen3:32b"],
  ]);
  const directory: ModelDirectory = { knownModel: (name) => spellings.get(name) };

  test.each([
    ["a known model", "qwen3:32b", "qwen3:32b"],
    ["another spelling of it: the canonical name", "Qwen3:32B", "qwen3:32b"],
    ["a name the upstream does not report", "my-invented-model", "other"],
    ["no model", undefined, ""],
    ["an empty name", "", ""],
  ])("%s", (_name, model, label) => {
    expect(modelLabel(directory, model)).toBe(label);
  });

  test("without a directory every named model is other", () => {
    expect(modelLabel(undefined, "qwen3:32b")).toBe("other");
    expect(modelLabel(undefined, undefined)).toBe("");
  });
});
