// /api/tags and /api/show → OpenAI model objects.
import { expect, test } from "vitest";
import type { OllamaListModel, OllamaModelDetails } from "../ollama/types.js";
import { ownerOf, toModel, toModelList } from "./models.js";

const details: OllamaModelDetails = {
  parent_model: "",
  format: "gguf",
  family: "llama",
  families: null,
  parameter_size: "3.2B",
  quantization_level: "Q4_K_M",
};

function listed(name: string, model: string, modified: string): OllamaListModel {
  return { name, model, modified_at: modified, size: 1, digest: "d", details };
}

test("lists models in Ollama's order with unix-second times and owners", () => {
  const list = toModelList({
    models: [
      listed("llama3.2:latest", "llama3.2:latest", "2025-05-04T17:37:44.706015396-07:00"),
      listed("jmorgan/m:7b", "", "2024-01-01T00:00:00Z"),
      listed("hf.co/bartowski/x:Q4", "hf.co/bartowski/x:Q4", "not a time"),
    ],
  });
  expect(list).toEqual({
    object: "list",
    data: [
      { id: "llama3.2:latest", object: "model", created: 1746405464, owned_by: "library" },
      { id: "jmorgan/m:7b", object: "model", created: 1704067200, owned_by: "jmorgan" },
      { id: "hf.co/bartowski/x:Q4", object: "model", created: 0, owned_by: "bartowski" },
    ],
  });
});

test("no models → data: [] (Ollama sends null)", () => {
  expect(toModelList({ models: [] })).toEqual({ object: "list", data: [] });
});

test("a model echoes the id as asked", () => {
  const show = { details, model_info: null, modified_at: "2024-01-01T00:00:00Z" };
  expect(toModel(show, "Llama3.2")).toEqual({
    id: "Llama3.2",
    object: "model",
    created: 1704067200,
    owned_by: "library",
  });
});

test.each([
  ["llama3.2", "library"],
  ["llama3.2:1b", "library"],
  ["user/model", "user"],
  ["registry.example.com/team/model:tag", "team"],
])("owner of %s is %s", (name, owner) => {
  expect(ownerOf(name)).toBe(owner);
});
