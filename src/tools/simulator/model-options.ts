// Ollama's `options` checks (api.Options.FromMap): the value types Go insists on, and the keys the simulator acts on.

/** The `options` the simulator acts on, after Ollama's type checks. */
export interface RunOptions {
  numPredict: number;
  numCtx: number | undefined;
  stop: string[];
  seed: number | undefined;
}

type OptionKind = "integer" | "float32" | "boolean" | "strings";

/** api.Options and api.Runner keys; unknown keys are ignored, as Ollama only logs them. */
const OPTION_KINDS: Record<string, OptionKind> = {
  num_keep: "integer",
  seed: "integer",
  num_predict: "integer",
  top_k: "integer",
  top_p: "float32",
  min_p: "float32",
  typical_p: "float32",
  repeat_last_n: "integer",
  temperature: "float32",
  repeat_penalty: "float32",
  presence_penalty: "float32",
  frequency_penalty: "float32",
  stop: "strings",
  num_ctx: "integer",
  num_batch: "integer",
  num_gpu: "integer",
  main_gpu: "integer",
  use_mmap: "boolean",
  num_thread: "integer",
  draft_num_predict: "integer",
};

/**
 * `api.Options.FromMap`: the first key (in request order) with a value of the wrong type gives Go's error
 * text, which Ollama answers with status 500. Integers sent as floats are truncated; null means unset.
 */
export function checkOptions(
  options: Record<string, unknown> | undefined,
): { value: RunOptions } | { error: string } {
  const out: RunOptions = { numPredict: -1, numCtx: undefined, stop: [], seed: undefined };
  for (const [key, value] of Object.entries(options ?? {})) {
    const kind = OPTION_KINDS[key];
    if (kind === undefined || value === null) continue;
    switch (kind) {
      case "integer":
        if (typeof value !== "number")
          return { error: `option ${JSON.stringify(key)} must be of type integer` };
        if (key === "num_predict") out.numPredict = Math.trunc(value);
        if (key === "num_ctx") out.numCtx = Math.trunc(value);
        if (key === "seed") out.seed = Math.trunc(value);
        break;
      case "float32":
        if (typeof value !== "number")
          return { error: `option ${JSON.stringify(key)} must be of type float32` };
        break;
      case "boolean":
        if (typeof value !== "boolean")
          return { error: `option ${JSON.stringify(key)} must be of type boolean` };
        break;
      case "strings":
        if (!Array.isArray(value)) return { error: `option ${JSON.stringify(key)} must be of type array` };
        if (!value.every((v): v is string => typeof v === "string")) {
          return { error: `option ${JSON.stringify(key)} must be of an array of strings` };
        }
        out.stop = value;
        break;
      default: {
        const exhaustive: never = kind;
        return exhaustive;
      }
    }
  }
  return { value: out };
}
