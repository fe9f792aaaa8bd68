// Builds the one validated config from defaults, a YAML file, LLMGATE_* variables and flags (in rising precedence).

import { readFileSync } from "node:fs";
import { isMap, isScalar, LineCounter, type Node, parseDocument } from "yaml";
import { z } from "zod";
import { envName, type KeySpec } from "./keys.js";
import { closest } from "./suggest.js";

/** A config problem; the message names the key and where its value came from. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

export interface ConfigSources {
  /** Values given as flags, by key; undefined entries were not given. */
  flags?: Record<string, unknown>;
  /** Usually process.env. LLMGATE_CONFIG names the config file when no file is given. */
  env?: Record<string, string | undefined>;
  /** Path of a YAML config file. */
  file?: string;
}

/** Environment variables that are not config keys but are allowed under the LLMGATE_ prefix. */
const ENV_RESERVED = new Set(["LLMGATE_CONFIG"]);

/**
 * Merges and validates. Every key ends up with a typed value; the result maps key to value.
 * Throws ConfigError for an unknown key in the file or environment (suggesting the closest known one), an
 * unreadable or invalid file (with the line and column), or a bad value (naming where it came from; for the
 * file, its line and column). File keys may be written with `_` for `-` (`first_byte_timeout`).
 */
export function resolveConfig(specs: readonly KeySpec[], sources: ConfigSources): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  const origin: Record<string, string> = {};
  const known = new Set(specs.map((s) => s.key));

  for (const spec of specs) {
    raw[spec.key] = spec.default;
    origin[spec.key] = "default";
  }

  const env = sources.env ?? {};
  const file = sources.file ?? env.LLMGATE_CONFIG;
  if (file) {
    const seen = new Map<string, string>();
    for (const entry of readConfigFile(file)) {
      const where = `${file}:${entry.line}:${entry.col}`;
      const key = entry.key.replaceAll("_", "-");
      if (!known.has(key)) {
        const hint = closest(entry.key, known);
        throw new ConfigError(
          `config error: ${where}: unknown key "${entry.key}"; ` +
            (hint ? `did you mean "${hint}"?` : `known keys: ${[...known].join(", ")}`),
        );
      }
      const earlier = seen.get(key);
      if (earlier !== undefined)
        throw new ConfigError(
          `config error: ${where}: "${entry.key}" sets ${key} again (first set at ${earlier})`,
        );
      seen.set(key, where);
      raw[key] = entry.value;
      origin[key] =
        entry.valueAt === undefined ? where : `${file}:${entry.valueAt.line}:${entry.valueAt.col}`;
    }
  }

  const envNames = new Map(specs.map((s) => [envName(s.key), s.key]));
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith("LLMGATE_") || value === undefined || ENV_RESERVED.has(name)) continue;
    const key = envNames.get(name);
    if (!key) {
      const hint = closest(name, envNames.keys());
      throw new ConfigError(
        `config error: unknown environment variable ${name}; ` +
          (hint ? `did you mean ${hint}?` : `known: ${[...envNames.keys(), ...ENV_RESERVED].join(", ")}`),
      );
    }
    raw[key] = value;
    origin[key] = name;
  }

  for (const [key, value] of Object.entries(sources.flags ?? {})) {
    if (value === undefined || !known.has(key)) continue;
    raw[key] = value;
    origin[key] = `--${key}`;
  }

  const schema = z.object(Object.fromEntries(specs.map((s) => [s.key, s.schema])));
  const result = schema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? "?");
      return `  ${key} (from ${origin[key] ?? "?"}): ${issue.message}`;
    });
    throw new ConfigError(`config error:\n${lines.join("\n")}`);
  }
  return result.data;
}

interface Position {
  line: number;
  col: number;
}

/** One top-level `key: value` of the config file, with where the key (and its value) start. */
interface FileEntry extends Position {
  key: string;
  value: unknown;
  valueAt?: Position;
}

function readConfigFile(path: string): FileEntry[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new ConfigError(`config error: cannot read config file ${path}: ${(err as Error).message}`);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const problem = doc.errors[0];
  if (problem) {
    const at = lineCounter.linePos(problem.pos[0]);
    throw new ConfigError(
      `config error: ${path}:${at.line}:${at.col}: not valid YAML: ${problem.message}\n${excerpt(text, at)}`,
    );
  }
  const contents = doc.contents;
  if (contents === null || (isScalar(contents) && contents.value === null)) return [];
  if (!isMap(contents)) {
    const at = lineCounter.linePos(contents.range?.[0] ?? 0);
    throw new ConfigError(`config error: ${path}:${at.line}:${at.col}: must be a YAML mapping of key: value`);
  }
  return contents.items.map((pair) => {
    const keyNode = pair.key as Node | null;
    const valueNode = pair.value as Node | null;
    const at = lineCounter.linePos(keyNode?.range?.[0] ?? 0);
    const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode?.toJSON?.() ?? "");
    const entry: FileEntry = { key, value: valueNode ? valueNode.toJS(doc) : null, ...at };
    if (valueNode?.range) entry.valueAt = lineCounter.linePos(valueNode.range[0]);
    return entry;
  });
}

/** The offending line with a caret under the column, as compilers show it. */
function excerpt(text: string, at: Position): string {
  const line = text.split(/\r?\n/)[at.line - 1] ?? "";
  return `  ${line}\n  ${" ".repeat(Math.max(0, at.col - 1))}^`;
}
