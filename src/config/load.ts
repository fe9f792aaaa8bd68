// Builds the one validated config from defaults, a YAML file, LLMGATE_* variables and flags (in rising precedence).

import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { envName, type KeySpec } from "./keys.js";

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
 * Throws ConfigError for an unknown key in the file or environment, an unreadable file, or a bad value.
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
    for (const [key, value] of Object.entries(readConfigFile(file))) {
      if (!known.has(key))
        throw new ConfigError(
          `config error: unknown key "${key}" in ${file}; known keys: ${[...known].join(", ")}`,
        );
      raw[key] = value;
      origin[key] = file;
    }
  }

  const envNames = new Map(specs.map((s) => [envName(s.key), s.key]));
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith("LLMGATE_") || value === undefined || ENV_RESERVED.has(name)) continue;
    const key = envNames.get(name);
    if (!key)
      throw new ConfigError(
        `config error: unknown environment variable ${name}; known: ${[...envNames.keys()].join(", ")}`,
      );
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

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new ConfigError(`config error: cannot read config file ${path}: ${(err as Error).message}`);
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (err) {
    throw new ConfigError(`config error: ${path} is not valid YAML: ${(err as Error).message}`);
  }
  if (data === null || data === undefined) return {};
  if (typeof data !== "object" || Array.isArray(data))
    throw new ConfigError(`config error: ${path} must be a YAML mapping of key: value`);
  return data as Record<string, unknown>;
}
