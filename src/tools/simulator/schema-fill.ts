// Values that satisfy a JSON schema, for structured output (`format`) and for tool-call arguments.

import type { Rng } from "./prng.js";

type Schema = Record<string, unknown>;

function asSchema(value: unknown): Schema {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Schema) : {};
}

function typeOf(schema: Schema): string | undefined {
  const type = schema.type;
  if (typeof type === "string") return type;
  if (Array.isArray(type)) return type.find((t): t is string => typeof t === "string" && t !== "null");
  if (schema.properties !== undefined) return "object";
  if (schema.items !== undefined) return "array";
  return undefined;
}

export interface FillOptions {
  rng: Rng;
  /** A word to use for strings. */
  word: string;
  /** Fill only `required` properties when the schema lists them (tool arguments); otherwise all of them. */
  requiredOnly: boolean;
}

/** A value valid for `schema` as far as type, enum, const and nesting go; depth is bounded against cycles. */
export function fillSchema(schemaValue: unknown, options: FillOptions, depth = 0): unknown {
  const schema = asSchema(schemaValue);
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if (schema.const !== undefined) return schema.const;
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(alternatives) && alternatives.length > 0) {
    const usable = alternatives.find((alt) => asSchema(alt).type !== "null") ?? alternatives[0];
    return fillSchema(usable, options, depth);
  }
  switch (typeOf(schema)) {
    case "integer":
      return options.rng.range(1, 100);
    case "number":
      return Math.round(options.rng.next() * 10000) / 100;
    case "boolean":
      return true;
    case "null":
      return null;
    case "array":
      return depth > 4 ? [] : [fillSchema(schema.items, options, depth + 1)];
    case "object": {
      const out: Record<string, unknown> = {};
      if (depth > 4) return out;
      const properties = asSchema(schema.properties);
      const required = Array.isArray(schema.required)
        ? schema.required.filter((r): r is string => typeof r === "string")
        : undefined;
      const keys = options.requiredOnly && required !== undefined ? required : Object.keys(properties);
      for (const key of keys) out[key] = fillSchema(properties[key], options, depth + 1);
      return out;
    }
    default:
      return options.word;
  }
}

/** JSON as a model writes it under a grammar: `{"key": "value", "n": 3}`, spaces after `:` and `,`. */
export function modelJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(modelJson).join(", ")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${modelJson(v)}`);
    return `{${entries.join(", ")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
