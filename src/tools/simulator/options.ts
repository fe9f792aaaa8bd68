// Simulator options: defaults, and validation that names the offending option (for the CLI flags that map onto them).

import { z } from "zod";
import { parseGoDuration } from "./go-duration.js";
import { parseModelName } from "./names.js";

export interface SimulatorOptions {
  /** Default "127.0.0.1". */
  host: string;
  /** Default 11434; 0 picks a free port. */
  port: number;
  /** Default ["qwen3:32b"]; normalised like Ollama ("qwen3" => "qwen3:latest"), matched ignoring case. */
  models: string[];
  /** Tokens per second of each stream while decoding; default 25 (a 32B model on one GPU). */
  decodeTps: number;
  /** Prompt tokens per second; default 800. */
  prefillTps: number;
  /** Time to load a model on first use or after its keep_alive expired; default 3000. */
  loadMs: number;
  /** Slots per model (OLLAMA_NUM_PARALLEL); default 4. More requests queue, first in first out. */
  parallel: number;
  /** Waiting requests allowed (OLLAMA_MAX_QUEUE); default 512. Beyond: 503 "server busy, …". */
  maxQueue: number;
  /** Relative jitter 0..1 on each token's delay; default 0.2. */
  jitter: number;
  /** Seed of text, jitter and fault draws; default 42. */
  seed: number;
  /** 0..1: fail before any output with 500. */
  failRate: number;
  /** 0..1: after some output, an error line ends the stream (no done:true). */
  midstreamFailRate: number;
  /** 0..1: accept and never answer, until the client goes away. */
  hangRate: number;
  /** What /api/version reports; default "0.12.3". */
  version: string;
  /** keep_alive when a request gives none (OLLAMA_KEEP_ALIVE); a Go duration, default "5m". */
  keepAlive: string;
}

export const defaultSimulatorOptions: SimulatorOptions = Object.freeze({
  host: "127.0.0.1",
  port: 11434,
  models: ["qwen3:32b"],
  decodeTps: 25,
  prefillTps: 800,
  loadMs: 3000,
  parallel: 4,
  maxQueue: 512,
  jitter: 0.2,
  seed: 42,
  failRate: 0,
  midstreamFailRate: 0,
  hangRate: 0,
  version: "0.12.3",
  keepAlive: "5m",
}) as SimulatorOptions;

const rate = () =>
  z.number({ error: "must be a number" }).min(0, "must be between 0 and 1").max(1, "must be between 0 and 1");
const positive = () =>
  z.number({ error: "must be a number" }).positive("must be greater than 0").finite("must be finite");
const integer = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z
    .int({ error: "must be an integer" })
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

/** The schema of a complete options object; `resolveSimulatorOptions` applies the defaults first. */
export const simulatorOptionsSchema = z
  .object({
    host: z.string({ error: "must be a string" }).min(1, "must not be empty"),
    port: integer(0, 65535),
    models: z
      .array(z.string({ error: "must be a list of model names" }), { error: "must be a list of model names" })
      .min(1, "must name at least one model")
      .refine((names) => names.every((n) => parseModelName(n.trim()) !== undefined), {
        error: "must contain valid model names such as qwen3:32b",
      }),
    decodeTps: positive(),
    prefillTps: positive(),
    loadMs: z.number({ error: "must be a number" }).min(0, "must not be negative").finite("must be finite"),
    parallel: integer(1),
    maxQueue: integer(0),
    jitter: rate(),
    seed: z.int({ error: "must be an integer" }),
    failRate: rate(),
    midstreamFailRate: rate(),
    hangRate: rate(),
    version: z.string({ error: "must be a string" }),
    keepAlive: z.string({ error: "must be a string" }).refine((v) => !("error" in parseGoDuration(v)), {
      error: 'must be a Go duration such as "5m", "30s" or "-1s"',
    }),
  })
  .strict();

/** Thrown for invalid options; `option` is the field at fault, so a CLI can name its own flag. */
export class SimulatorOptionsError extends Error {
  constructor(
    readonly option: string,
    message: string,
  ) {
    super(`invalid simulator option ${option}: ${message}`);
    this.name = "SimulatorOptionsError";
  }
}

/** Defaults filled in, then validated; model names are trimmed. Throws SimulatorOptionsError. */
export function resolveSimulatorOptions(options: Partial<SimulatorOptions> = {}): SimulatorOptions {
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  const merged: Record<string, unknown> = { ...defaultSimulatorOptions, ...defined };
  const result = simulatorOptionsSchema.safeParse(merged);
  if (!result.success) {
    const issue = result.error.issues[0];
    if (issue?.code === "unrecognized_keys")
      throw new SimulatorOptionsError(String(issue.keys[0]), "unknown option");
    const option = String(issue?.path[0] ?? "options");
    throw new SimulatorOptionsError(
      option,
      `${issue?.message ?? "invalid"} (got ${JSON.stringify(merged[option])})`,
    );
  }
  return { ...result.data, models: result.data.models.map((m) => m.trim()) };
}
