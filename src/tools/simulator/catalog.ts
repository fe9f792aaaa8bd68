// The simulated model library: plausible /api/tags, /api/show and /api/ps metadata derived from each model's name.

import { createHash } from "node:crypto";
import { looksLikeEmbedding } from "../../ollama/model-names.js";
import { displayShortest, fullName, type ModelName, nameKey, parseModelName } from "./names.js";
import { hash32 } from "./prng.js";

export type Capability = "completion" | "tools" | "insert" | "vision" | "embedding" | "thinking";

export interface CatalogModel {
  name: ModelName;
  /** Shortest display name, e.g. `qwen3:32b`: `name` and `model` in /api/tags and /api/ps. */
  display: string;
  /** Fully qualified name, e.g. `registry.ollama.ai/library/qwen3:32b`, used in capability errors. */
  full: string;
  family: string;
  families: string[];
  /** GGUF `general.architecture`, the prefix of the `model_info` keys. */
  arch: string;
  parameterCount: number;
  parameterSize: string;
  quantization: string;
  /** Bytes of the model's blobs on disk. */
  size: number;
  digest: string;
  modifiedAtMs: number;
  capabilities: Capability[];
  /** The model's trained context (`<arch>.context_length`). */
  contextLength: number;
  embeddingLength: number;
  blockCount: number;
  headCount: number;
  template: string;
  parameters: string;
}

interface Traits {
  family: string;
  arch: string;
  families?: string[];
  capabilities: Capability[];
  contextLength: number;
  defaultParams: number;
  embeddingLength?: number;
}

const CHATML =
  "{{- range .Messages }}<|im_start|>{{ .Role }}\n{{ .Content }}<|im_end|>\n{{ end }}<|im_start|>assistant\n";

/** Family rules by model name; the first match wins. Capabilities follow the real library where it differs. */
function traitsFor(model: string): Traits {
  const m = model.toLowerCase();
  const has = (...parts: string[]) => parts.some((p) => m.includes(p));
  if (looksLikeEmbedding(m)) {
    const nomic = m.includes("nomic");
    return {
      family: nomic ? "nomic-bert" : "bert",
      arch: nomic ? "nomic-bert" : "bert",
      capabilities: ["embedding"],
      contextLength: nomic ? 2048 : 512,
      defaultParams: nomic ? 137e6 : 334e6,
      embeddingLength: nomic ? 768 : 1024,
    };
  }
  const coder = has("coder", "codellama", "starcoder", "codegemma") ? (["insert"] as const) : [];
  if (has("deepseek-r1")) {
    return {
      family: "qwen2",
      arch: "qwen2",
      capabilities: ["completion", "tools", "thinking"],
      contextLength: 131072,
      defaultParams: 8.2e9,
    };
  }
  if (has("qwen3")) {
    return {
      family: "qwen3",
      arch: "qwen3",
      capabilities: ["completion", "tools", "thinking", ...coder],
      contextLength: 40960,
      defaultParams: 8.2e9,
    };
  }
  if (has("gpt-oss")) {
    return {
      family: "gptoss",
      arch: "gptoss",
      capabilities: ["completion", "tools", "thinking"],
      contextLength: 131072,
      defaultParams: 20.9e9,
    };
  }
  if (has("qwen2.5vl", "qwen2.5-vl", "qwen-vl")) {
    return {
      family: "qwen25vl",
      arch: "qwen25vl",
      capabilities: ["completion", "tools", "vision"],
      contextLength: 128000,
      defaultParams: 8.3e9,
    };
  }
  // llava and gemma3 lack `tools` in the Ollama library: "... does not support tools" is what users hit.
  if (has("llava", "bakllava")) {
    return {
      family: "llama",
      arch: "llama",
      families: ["llama", "clip"],
      capabilities: ["completion", "vision"],
      contextLength: 32768,
      defaultParams: 7.2e9,
    };
  }
  if (has("gemma3")) {
    return {
      family: "gemma3",
      arch: "gemma3",
      capabilities: ["completion", "vision"],
      contextLength: 131072,
      defaultParams: 4.3e9,
    };
  }
  if (has("qwen")) {
    return {
      family: "qwen2",
      arch: "qwen2",
      capabilities: ["completion", "tools", ...coder],
      contextLength: 32768,
      defaultParams: 7.6e9,
    };
  }
  return {
    family: "llama",
    arch: "llama",
    capabilities: ["completion", "tools", ...coder],
    contextLength: 131072,
    defaultParams: 8.0e9,
  };
}

/** `32b`, `0.6b`, `270m`, `8x7b` in a tag become a parameter count; otherwise the family default. */
function parameterCountFor(tag: string, fallback: number, salt: number): number {
  const match = /(?:(\d+)x)?(\d+(?:\.\d+)?)([bm])\b/i.exec(tag);
  if (match === null) return fallback;
  const experts = match[1] === undefined ? 1 : Number(match[1]);
  const scale = match[3]?.toLowerCase() === "b" ? 1e9 : 1e6;
  const nominal = experts * Number(match[2]) * scale;
  return Math.round(nominal * (1 + (salt % 40) / 1000)); // real counts sit a little above the nominal size
}

/** Like Ollama's `format.HumanNumber`: `32.8B`, `596.05M`. */
function humanNumber(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)}B`;
  if (n >= 1e6) return `${Number((n / 1e6).toFixed(2))}M`;
  return `${Math.round(n / 1e3)}K`;
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

function parametersFor(traits: Traits): string {
  const pad = (key: string) => key.padEnd(30, " ");
  if (traits.capabilities.includes("embedding")) return `${pad("num_ctx")} ${traits.contextLength}`;
  return [
    `${pad("stop")} "<|im_start|>"`,
    `${pad("stop")} "<|im_end|>"`,
    `${pad("temperature")} 0.6`,
    `${pad("top_k")} 20`,
    `${pad("top_p")} 0.95`,
  ].join("\n");
}

function buildModel(name: ModelName, index: number, startedAtMs: number, seed: number): CatalogModel {
  const traits = traitsFor(name.model);
  const salt = hash32(fullName(name), seed);
  const parameterCount = parameterCountFor(name.tag, traits.defaultParams, salt);
  const embedding = traits.capabilities.includes("embedding");
  const quantization = embedding ? "F16" : "Q4_K_M";
  const bytesPerParam = embedding ? 2 : 0.6;
  const billions = parameterCount / 1e9;
  const embeddingLength = traits.embeddingLength ?? 128 * Math.max(8, Math.round(Math.sqrt(billions) * 7.2));
  return {
    name,
    display: displayShortest(name),
    full: fullName(name),
    family: traits.family,
    families: traits.families ?? [traits.family],
    arch: traits.arch,
    parameterCount,
    parameterSize: humanNumber(parameterCount),
    quantization,
    size: Math.round(parameterCount * bytesPerParam + 2_000_000),
    digest: sha256(`${seed}:${nameKey(name)}`),
    // Installed one after another, a day apart, most recent first; minutes vary so times look real.
    modifiedAtMs: startedAtMs - (index + 1) * 86_400_000 - (salt % 3_600_000) - 0.123456,
    capabilities: traits.capabilities,
    contextLength: traits.contextLength,
    embeddingLength: embeddingLength,
    blockCount: embedding ? 12 : Math.max(16, Math.round(28 + billions)),
    headCount: embeddingLength / 128,
    template: embedding ? "{{ .Prompt }}" : CHATML,
    parameters: parametersFor(traits),
  };
}

/** The installed models; lookups ignore case like Ollama's `getExistingName`. */
export class Catalog {
  private readonly byKey = new Map<string, CatalogModel>();
  readonly models: readonly CatalogModel[];

  /** `names` must already be valid (see parseModelName); duplicates collapse onto the first. */
  constructor(names: readonly string[], seed: number, startedAtMs: number) {
    const models: CatalogModel[] = [];
    for (const raw of names) {
      const name = parseModelName(raw);
      if (name === undefined || this.byKey.has(nameKey(name))) continue;
      const model = buildModel(name, models.length, startedAtMs, seed);
      this.byKey.set(nameKey(name), model);
      models.push(model);
    }
    models.sort((a, b) => b.modifiedAtMs - a.modifiedAtMs);
    this.models = models;
  }

  find(name: ModelName): CatalogModel | undefined {
    return this.byKey.get(nameKey(name));
  }
}

export function hasCapability(model: CatalogModel, capability: Capability): boolean {
  return model.capabilities.includes(capability);
}
