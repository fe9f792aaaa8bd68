// The simulator's numeric settings as one table: `llmgate simulate` flags and `llmgate serve --demo-*` keys derive from it.

import type { SimulatorOptions } from "./options.js";

type NumericOption = {
  [K in keyof SimulatorOptions]: SimulatorOptions[K] extends number ? K : never;
}[keyof SimulatorOptions];

export interface SimulatorKnob {
  /** `llmgate simulate --<flag>`; `llmgate serve --demo-<flag>` when `demo`. */
  flag: string;
  option: Exclude<NumericOption, "port">;
  description: string;
  min: number;
  max?: number;
  integer?: boolean;
  /** Offered by `serve --demo` too: the speed of the built-in upstream. Fault rates and the seed are not. */
  demo: boolean;
}

export const SIMULATOR_KNOBS = [
  {
    flag: "decode-tps",
    option: "decodeTps",
    description: "tokens per second per stream while decoding",
    min: 0.001,
    demo: true,
  },
  {
    flag: "prefill-tps",
    option: "prefillTps",
    description: "prompt tokens per second (prefill)",
    min: 0.001,
    demo: true,
  },
  {
    flag: "load-ms",
    option: "loadMs",
    description: "milliseconds to load a model on first use or after keep_alive expiry",
    min: 0,
    demo: true,
  },
  {
    flag: "parallel",
    option: "parallel",
    description: "parallel slots per model (OLLAMA_NUM_PARALLEL); more requests queue",
    min: 1,
    integer: true,
    demo: true,
  },
  {
    flag: "max-queue",
    option: "maxQueue",
    description: "queued requests before 503 server busy (OLLAMA_MAX_QUEUE)",
    min: 0,
    integer: true,
    demo: false,
  },
  {
    flag: "jitter",
    option: "jitter",
    description: "relative jitter of per-token delays, 0..1",
    min: 0,
    max: 1,
    demo: true,
  },
  {
    flag: "seed",
    option: "seed",
    description: "seed of the generated text, jitter and fault draws",
    min: 0,
    integer: true,
    demo: false,
  },
  {
    flag: "fail-rate",
    option: "failRate",
    description: "share of requests failing with 500 before any output, 0..1",
    min: 0,
    max: 1,
    demo: false,
  },
  {
    flag: "midstream-fail-rate",
    option: "midstreamFailRate",
    description: "share of streams failing after some output, 0..1",
    min: 0,
    max: 1,
    demo: false,
  },
  {
    flag: "hang-rate",
    option: "hangRate",
    description: "share of requests that never answer, 0..1",
    min: 0,
    max: 1,
    demo: false,
  },
] as const satisfies readonly SimulatorKnob[];

/** The knobs `serve --demo` offers, and the options they set. */
export const DEMO_KNOBS = SIMULATOR_KNOBS.filter((k) => k.demo);
export type DemoKnobOption = Extract<(typeof SIMULATOR_KNOBS)[number], { demo: true }>["option"];

/** The value when it is a number the knob accepts, else undefined (the caller reports what was expected). */
export function knobValue(knob: SimulatorKnob, raw: unknown): number | undefined {
  const value = typeof raw === "string" && raw.trim() !== "" ? Number(raw) : raw;
  if (typeof value !== "number" || !Number.isFinite(value)) return undefined;
  if (value < knob.min || (knob.max !== undefined && value > knob.max)) return undefined;
  if (knob.integer && !Number.isInteger(value)) return undefined;
  return value;
}

/** "a number >= 0 and <= 1", "an integer >= 1": what `knobValue` accepts, for error messages. */
export function knobExpectation(knob: SimulatorKnob): string {
  const max = knob.max !== undefined ? ` and <= ${knob.max}` : "";
  return `${knob.integer ? "an integer" : "a number"} >= ${knob.min}${max}`;
}
