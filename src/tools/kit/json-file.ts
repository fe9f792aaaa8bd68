// JSON text laid out the way the repository's formatter (biome, 2 spaces, 110 columns) lays it out, so that the
// generated deploy/ passes `npm run lint` and stays byte-identical to what `llmgate assets` writes.
//
// The layout: objects always one member per line; arrays of scalars (or of such arrays) on one line when that
// line fits in the width, else one element per line; arrays holding objects one element per line.

const WIDTH = 110;
const INDENT = "  ";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function jsonFile(value: unknown): string {
  // Round-trip first: drops undefined members and functions exactly as JSON.stringify does.
  const data = JSON.parse(JSON.stringify(value)) as Json;
  return `${render(data, 0, 0, 0)}\n`;
}

/**
 * `used` is how many columns the text before the value takes on its line (indent and key), `after` how many
 * follow it (1 for the comma when more members follow).
 */
function render(value: Json, depth: number, used: number, after: number): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  const pad = INDENT.repeat(depth + 1);
  const close = INDENT.repeat(depth);
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    if (value.every(inlineable)) {
      const line = inline(value);
      if (used + line.length + after <= WIDTH) return line;
    }
    const items = value.map(
      (v, i) => `${pad}${render(v, depth + 1, pad.length, i < value.length - 1 ? 1 : 0)}`,
    );
    return `[\n${items.join(",\n")}\n${close}]`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return "{}";
  const members = entries.map(([k, v], i) => {
    const key = `${pad}${JSON.stringify(k)}: `;
    return `${key}${render(v, depth + 1, key.length, i < entries.length - 1 ? 1 : 0)}`;
  });
  return `{\n${members.join(",\n")}\n${close}}`;
}

/** Scalars, and arrays of them (at any depth), may share a line; an object never does. */
function inlineable(value: Json): boolean {
  return value === null || typeof value !== "object" || (Array.isArray(value) && value.every(inlineable));
}

function inline(value: Json): string {
  return Array.isArray(value) ? `[${value.map(inline).join(", ")}]` : JSON.stringify(value);
}
