// The gateway's configuration keys: one table from which the CLI flags, LLMGATE_* variables, file keys and docs derive.

import { z } from "zod";
import { parseApiKey } from "../auth/api-keys.js";
import { parseKeyLimit } from "../auth/rate-limit.js";
import { DEMO_KNOBS, knobExpectation, knobValue } from "../tools/simulator/knobs.js";
import { parseModelName } from "../tools/simulator/names.js";
import { defaultSimulatorOptions } from "../tools/simulator/options.js";
import { DEFAULT_MAX_LEARNED } from "../upstream/model-poller.js";
import { parseDurationMs, parseListen, parseSizeBytes } from "./units.js";

/** A config value: accepts a string (flag, env) or a YAML scalar, and yields the typed value. */
export type ValueSchema = z.ZodType<unknown, unknown>;

export interface KeySpec {
  /** File key and flag name (`--<key>`); the env variable is LLMGATE_<KEY_IN_UPPER_SNAKE>. */
  key: string;
  /** Placeholder in --help, e.g. HOST:PORT; absent for boolean switches. */
  arg?: string;
  description: string;
  default: string | number | boolean;
  schema: ValueSchema;
  /** The flag may be given several times; its values are collected into a list. */
  repeatable?: boolean;
  /** For a switch on by default: what its --no-<key> form does, for --help. */
  offDescription?: string;
}

/** A schema from a parser that returns undefined on bad input, with the message naming what was expected. */
function parsed<T>(parse: (raw: unknown) => T | undefined, expected: string) {
  return z.unknown().transform((raw, ctx): T => {
    const value = parse(raw);
    if (value === undefined) {
      ctx.addIssue({ code: "custom", message: `expected ${expected}, got ${JSON.stringify(raw)}` });
      return z.NEVER;
    }
    return value;
  });
}

const listen = parsed(parseListen, 'HOST:PORT, e.g. "127.0.0.1:18789"');
const duration = parsed(parseDurationMs, 'a duration such as "500ms", "30s", "10m" or "1h30m"');
const size = parsed((raw) => {
  const bytes = parseSizeBytes(raw);
  return bytes === 0 ? undefined : bytes;
}, 'a size such as "32MiB", "512KB" or a number of bytes');
const url = parsed((raw) => {
  if (typeof raw !== "string") return undefined;
  try {
    const value = new URL(raw);
    if (
      (value.protocol === "http:" || value.protocol === "https:") &&
      value.search === "" &&
      value.hash === ""
    )
      return value.href.replace(/\/+$/, "");
  } catch {
    // not a URL: reported by the caller
  }
  return undefined;
}, 'an http(s) URL without query, e.g. "http://127.0.0.1:11434"');
const bool = parsed((raw) => {
  if (typeof raw === "boolean") return raw;
  if (typeof raw === "string" && /^(true|1|yes|on)$/i.test(raw)) return true;
  if (typeof raw === "string" && /^(false|0|no|off)$/i.test(raw)) return false;
  return undefined;
}, "true or false");
const int = (min: number) =>
  parsed((raw) => {
    const value = typeof raw === "string" && /^-?\d+$/.test(raw.trim()) ? Number(raw) : raw;
    return typeof value === "number" && Number.isInteger(value) && value >= min ? value : undefined;
  }, `an integer >= ${min}`);
const optionalListen = parsed(
  (raw) => (raw === "" ? null : parseListen(raw)),
  'HOST:PORT, or "" for the main listener',
);
const prefix = parsed(
  (raw) => (typeof raw === "string" && /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(raw) ? raw : undefined),
  "a Prometheus name prefix: letters, digits and _, not starting with a digit",
);
const text = parsed(
  (raw) => (typeof raw === "string" ? raw : typeof raw === "number" ? String(raw) : undefined),
  "a string",
);
/**
 * Bucket overrides: a YAML mapping of metric name to a list of bounds, or in a flag/env value
 * "name=0.1,1,10;other=1,2" (flags may repeat). Names are checked against the catalog when metrics start.
 */
const bucketMap = parsed((raw) => {
  const out: Record<string, number[]> = {};
  const add = (name: string, values: unknown[]): boolean => {
    const bounds = values.map((v) => (typeof v === "string" && v.trim() !== "" ? Number(v) : v));
    if (!name || bounds.length === 0 || !bounds.every((b) => typeof b === "number" && Number.isFinite(b)))
      return false;
    const sorted = bounds as number[];
    if (sorted.some((b, i) => i > 0 && b <= (sorted[i - 1] as number))) return false;
    out[name] = sorted;
    return true;
  };
  if (raw === "" || raw === undefined) return out;
  if (typeof raw === "object" && raw !== null && !Array.isArray(raw)) {
    for (const [name, values] of Object.entries(raw))
      if (!Array.isArray(values) || !add(name, values)) return undefined;
    return out;
  }
  const entries = (Array.isArray(raw) ? raw : [raw]).flatMap((r) =>
    typeof r === "string" ? r.split(";") : [r],
  );
  for (const entry of entries) {
    if (typeof entry !== "string") return undefined;
    if (entry.trim() === "") continue;
    const [name, list] = entry.split("=", 2);
    if (list === undefined || !add((name ?? "").trim(), list.split(","))) return undefined;
  }
  return out;
}, '"metric_name=b1,b2,..." with increasing numbers (a YAML mapping of name to list in the file)');

/**
 * A list: repeated flags, a YAML list, or one string with entries separated by ";" (for environment variables).
 * `mapping` turns a YAML mapping into "key=value" entries (api-key: {alice: secret}).
 */
const list = <T>(parse: (entry: string) => T | string, expected: string) =>
  z.unknown().transform((raw, ctx): T[] => {
    let entries: unknown[];
    if (raw === "" || raw === undefined || raw === null) entries = [];
    else if (Array.isArray(raw)) entries = raw.flatMap((r) => (typeof r === "string" ? r.split(";") : [r]));
    else if (typeof raw === "string") entries = raw.split(";");
    else if (typeof raw === "object") entries = Object.entries(raw).map(([k, v]) => `${k}=${String(v)}`);
    else entries = [raw];
    const out: T[] = [];
    for (const entry of entries) {
      if (typeof entry !== "string") {
        ctx.addIssue({ code: "custom", message: `expected ${expected}, got ${JSON.stringify(entry)}` });
        return z.NEVER;
      }
      if (entry.trim() === "") continue;
      const value = parse(entry.trim());
      if (typeof value === "string") {
        ctx.addIssue({ code: "custom", message: value });
        return z.NEVER;
      }
      out.push(value);
    }
    return out;
  });
const apiKeys = list(parseApiKey, "NAME=SECRET");
const keyLimits = list(parseKeyLimit, "NAME:rpm=N,tpm=N");
const keyNames = list(
  (entry) =>
    /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/.test(entry) ? { name: entry } : `"${entry}" is not an API key name`,
  "a key name",
);
// `list` reads a string result as an error message, so parsed values are wrapped (then unwrapped in serve-config).
const origins = list((entry) => {
  if (entry === "*") return { origin: entry };
  try {
    const url = new URL(entry);
    if ((url.protocol === "http:" || url.protocol === "https:") && url.origin === entry.replace(/\/$/, ""))
      return { origin: url.origin };
  } catch {
    // reported below
  }
  return `"${entry}" is not an origin like https://chat.example.com (scheme, host, optional port; no path), or *`;
}, "an origin");

// Wrapped like `origins`: a plain string from the parser would read as an error message.
const modelNames = list(
  (entry) =>
    parseModelName(entry) === undefined
      ? `"${entry}" is not a model name such as qwen3:32b`
      : { name: entry },
  "a model name",
);

/** The key of a demo knob: `demo-` and the `llmgate simulate` flag. */
export const demoKnobKey = (flag: string) => `demo-${flag}`;

/** The simulator's speed knobs as `demo-*` keys, so `serve --demo` can be as fast or slow as `simulate`. */
const DEMO_KNOB_KEYS: KeySpec[] = DEMO_KNOBS.map((knob) => ({
  key: demoKnobKey(knob.flag),
  schema: parsed((raw) => knobValue(knob, raw), knobExpectation(knob)),
  arg: "N",
  description: `demo upstream: ${knob.description}`,
  default: defaultSimulatorOptions[knob.option],
}));

const oneOf = <T extends string>(choices: readonly T[]) =>
  parsed(
    (raw) => ((choices as readonly unknown[]).includes(raw) ? (raw as T) : undefined),
    `one of ${choices.join(", ")}`,
  );

/** Every key `llmgate serve` understands. Order is the order of --help and docs. */
export const SERVE_KEYS = [
  {
    key: "listen",
    schema: listen,
    arg: "HOST:PORT",
    description: "address the gateway listens on; use 0.0.0.0:18789 to accept other machines",
    default: "127.0.0.1:18789",
  },
  {
    key: "upstream",
    schema: url,
    arg: "URL",
    description: "Ollama's base URL",
    default: "http://127.0.0.1:11434",
  },
  {
    key: "demo",
    schema: bool,
    description: "run the built-in Ollama simulator in-process as the upstream (no Ollama needed)",
    default: false,
  },
  {
    key: "demo-model",
    schema: modelNames,
    arg: "NAME",
    description: "a model the demo upstream offers; repeatable, or ';'-separated",
    default: "qwen3:32b;nomic-embed-text",
    repeatable: true,
  },
  ...DEMO_KNOB_KEYS,
  {
    key: "connect-timeout",
    schema: duration,
    arg: "DURATION",
    description: "time allowed to open a connection to the upstream",
    default: "5s",
  },
  {
    key: "first-byte-timeout",
    schema: duration,
    arg: "DURATION",
    description:
      "time allowed until the upstream's first byte (model load + queue + prompt processing; for a non-streaming request the whole answer, which Ollama sends when done); then 504",
    default: "10m",
  },
  {
    key: "idle-timeout",
    schema: duration,
    arg: "DURATION",
    description:
      "longest silence allowed inside a started upstream response; then the stream ends with an error",
    default: "2m",
  },
  {
    key: "body-limit",
    schema: size,
    arg: "SIZE",
    description: "largest request body accepted (base64 images are large); then 413",
    default: "32MiB",
  },
  {
    key: "shutdown-grace",
    schema: duration,
    arg: "DURATION",
    description: "on SIGTERM/SIGINT, how long in-flight requests may take to finish before they are aborted",
    default: "30s",
  },
  {
    key: "upstream-connections",
    schema: int(1),
    arg: "N",
    description: "most concurrent connections to the upstream",
    default: 256,
  },
  {
    key: "max-concurrency",
    schema: int(0),
    arg: "N",
    description:
      "most generation requests sent to the upstream at once; size it to Ollama's parallel slots " +
      "(OLLAMA_NUM_PARALLEL x models loaded); 0 = unlimited",
    default: 4,
  },
  {
    key: "max-queue",
    schema: int(0),
    arg: "N",
    description: "most requests waiting for a slot; beyond it, 503 with Retry-After",
    default: 100,
  },
  {
    key: "queue-timeout",
    schema: duration,
    arg: "DURATION",
    description: "longest wait for a slot; then 503 with Retry-After",
    default: "2m",
  },
  {
    key: "api-key",
    schema: apiKeys,
    arg: "NAME=SECRET",
    description:
      "require this API key (Authorization: Bearer SECRET or x-api-key); SECRET may be sha256:<hex>; repeatable; " +
      "the NAME labels usage in metrics",
    default: "",
    repeatable: true,
  },
  {
    key: "key-limit",
    schema: keyLimits,
    arg: "NAME:rpm=N,tpm=N",
    description: "requests and/or tokens per minute for a key; beyond them, 429 with Retry-After; repeatable",
    default: "",
    repeatable: true,
  },
  {
    key: "admin-key",
    schema: keyNames,
    arg: "NAME",
    description:
      "name of an api-key that may see the dashboard's data; repeatable; none: every configured key may",
    default: "",
    repeatable: true,
  },
  {
    key: "upstream-api-key",
    schema: text,
    arg: "TOKEN",
    description:
      "sent to the upstream as Authorization: Bearer TOKEN (clients' own Authorization is never forwarded)",
    default: "",
  },
  {
    key: "cors-origin",
    schema: origins,
    arg: "ORIGIN",
    description: "allow browser pages from this origin (or *) to call the API; repeatable; none: CORS off",
    default: "",
    repeatable: true,
  },
  {
    key: "header-timeout",
    schema: duration,
    arg: "DURATION",
    description: "time a client has to send its request headers (slowloris guard)",
    default: "30s",
  },
  {
    key: "request-timeout",
    schema: duration,
    arg: "DURATION",
    description: "time a client has to send its whole request, body included",
    default: "5m",
  },
  {
    key: "client-write-timeout",
    schema: duration,
    arg: "DURATION",
    description:
      "longest a client may leave a response unread (connection open, not reading) before the request is " +
      "aborted and its slot freed",
    default: "5m",
  },
  {
    key: "json-max-depth",
    schema: int(2),
    arg: "N",
    description: "deepest nesting of arrays and objects accepted in a JSON body; deeper: 400",
    default: 64,
  },
  {
    key: "poll-interval",
    schema: duration,
    arg: "DURATION",
    description:
      "how often the upstream's /api/version, /api/tags and /api/ps are polled for the model metrics",
    default: "5s",
  },
  {
    key: "metrics-learned-models",
    schema: int(0),
    arg: "N",
    description:
      "most model names /api/tags does not list that get their own model label once served (e.g. :cloud models); more: other; 0: only listed models",
    default: DEFAULT_MAX_LEARNED,
  },
  {
    key: "metrics-prefix",
    schema: prefix,
    arg: "PREFIX",
    description: "prefix of every metric name; clawdbot_qwen3_gateway gives the seed tutorial's exact names",
    default: "llmgate",
  },
  {
    key: "metrics-listen",
    schema: optionalListen,
    arg: "HOST:PORT",
    description:
      "serve /metrics on this separate listener only (for a public API port); empty: on the main listener",
    default: "",
  },
  {
    key: "metrics-token",
    schema: text,
    arg: "TOKEN",
    description: "require Authorization: Bearer TOKEN on /metrics; empty: no token",
    default: "",
  },
  {
    key: "metrics-buckets",
    schema: bucketMap,
    arg: "NAME=B1,B2,...",
    description: "histogram bucket bounds for one metric (name without prefix); repeatable, or ';'-separated",
    default: "",
    repeatable: true,
  },
  {
    key: "ui",
    schema: bool,
    description: "serve the dashboard (/ui/), the chat playground, /status.json and /widget.js",
    offDescription:
      "do not serve the dashboard (/ui/), the chat playground, /status.json or /widget.js (they answer 404)",
    default: true,
  },
  {
    key: "log-level",
    schema: oneOf(["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const),
    arg: "LEVEL",
    description: "log verbosity: fatal, error, warn, info, debug, trace or silent",
    default: "info",
  },
  {
    key: "log-format",
    schema: oneOf(["auto", "json", "pretty"] as const),
    arg: "FORMAT",
    description:
      "json: one JSON object per line; pretty: readable lines; auto: pretty when stdout is a terminal, else json",
    default: "auto",
  },
] as const satisfies readonly KeySpec[];

export type ServeKey = (typeof SERVE_KEYS)[number]["key"];

export function envName(key: string): string {
  return `LLMGATE_${key.toUpperCase().replaceAll("-", "_")}`;
}
