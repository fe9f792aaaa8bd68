// Go's typed JSON decoding into Ollama's request structs: unknown keys dropped, keys matched ignoring case, Go's error texts.

/**
 * The Go type of a field, as far as decoding needs it. `go` is the type name Go prints in
 * `json: cannot unmarshal …` errors. A `custom` type stands for a Go type with its own `UnmarshalJSON`
 * (Ollama's `Duration`, `ThinkValue`): its error aborts decoding at once, as in Go.
 */
export type GoType =
  | { t: "string"; go?: string }
  | { t: "bool" }
  | { t: "int" }
  | { t: "float"; go: string }
  | { t: "any" }
  | { t: "map"; go: string }
  | { t: "slice"; go: string; elem: GoType }
  | { t: "struct"; go: string; name: string; fields: Record<string, GoType> }
  | { t: "custom"; decode: (value: unknown) => { value: unknown } | { error: string } };

export type GoStruct = Extract<GoType, { t: "struct" }>;

export const goString: GoType = { t: "string" };
export const goBool: GoType = { t: "bool" };
export const goInt: GoType = { t: "int" };
export const goAny: GoType = { t: "any" };
export const goOptions: GoType = { t: "map", go: "map[string]interface {}" };

class HardError extends Error {}

interface Context {
  struct: string;
  path: string[];
  firstTypeError: string | undefined;
}

function jsonKind(value: unknown): string {
  if (typeof value === "string") return "string";
  if (typeof value === "number") return "number";
  if (typeof value === "boolean") return "bool";
  if (Array.isArray(value)) return "array";
  return "object";
}

function goName(type: GoType): string {
  switch (type.t) {
    case "string":
      return type.go ?? "string";
    case "bool":
    case "int":
      return type.t;
    case "any":
      return "interface {}";
    case "custom":
      return "custom";
    default:
      return type.go;
  }
}

/** Records Go's `UnmarshalTypeError`; like Go, decoding goes on and the first such error is reported. */
function typeError(ctx: Context, value: unknown, type: GoType, valueText?: string): undefined {
  if (ctx.firstTypeError !== undefined) return undefined;
  const what = valueText ?? jsonKind(value);
  ctx.firstTypeError =
    ctx.path.length === 0
      ? `json: cannot unmarshal ${what} into Go value of type ${goName(type)}`
      : `json: cannot unmarshal ${what} into Go struct field ${ctx.struct}.${ctx.path.join(".")} of type ${goName(type)}`;
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function decodeValue(value: unknown, type: GoType, ctx: Context): unknown {
  // JSON null leaves a Go value at its zero value, whatever the type.
  if (value === null || value === undefined) return undefined;
  switch (type.t) {
    case "string":
      return typeof value === "string" ? value : typeError(ctx, value, type);
    case "bool":
      return typeof value === "boolean" ? value : typeError(ctx, value, type);
    case "int":
      if (typeof value !== "number") return typeError(ctx, value, type);
      return Number.isInteger(value) ? value : typeError(ctx, value, type, `number ${value}`);
    case "float":
      return typeof value === "number" ? value : typeError(ctx, value, type);
    case "any":
      return value;
    case "map":
      return isObject(value) ? value : typeError(ctx, value, type);
    case "slice":
      if (!Array.isArray(value)) return typeError(ctx, value, type);
      return value.map((item) => decodeValue(item, type.elem, ctx));
    case "struct":
      return isObject(value) ? decodeFields(value, type, ctx) : typeError(ctx, value, type);
    case "custom": {
      const result = type.decode(value);
      if ("error" in result) throw new HardError(result.error);
      return result.value;
    }
    default: {
      const exhaustive: never = type;
      return exhaustive;
    }
  }
}

function decodeFields(value: Record<string, unknown>, type: GoStruct, ctx: Context): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const outer = ctx.struct;
  for (const [key, item] of Object.entries(value)) {
    // Go prefers an exact key match and falls back to a case-insensitive one.
    let name: string | undefined = Object.hasOwn(type.fields, key) ? key : undefined;
    if (name === undefined) {
      const lower = key.toLowerCase();
      name = Object.keys(type.fields).find((field) => field.toLowerCase() === lower);
    }
    if (name === undefined) continue;
    const fieldType = type.fields[name] as GoType;
    ctx.struct = type.name;
    ctx.path.push(name);
    const decoded = decodeValue(item, fieldType, ctx);
    ctx.path.pop();
    ctx.struct = outer;
    if (decoded !== undefined) out[name] = decoded;
  }
  return out;
}

/**
 * Decodes a parsed JSON value into `type` the way `json.Unmarshal` would, returning the known fields only
 * (absent or null fields left out) or Go's error message. Callers cast the result to the interface that
 * mirrors `type`; this function is what makes that cast true.
 */
export function decodeGo(
  value: unknown,
  type: GoStruct,
): { value: Record<string, unknown> } | { error: string } {
  const ctx: Context = { struct: type.name, path: [], firstTypeError: undefined };
  try {
    const decoded = decodeValue(value, type, ctx);
    if (ctx.firstTypeError !== undefined) return { error: ctx.firstTypeError };
    return { value: (decoded as Record<string, unknown> | undefined) ?? {} };
  } catch (err) {
    if (err instanceof HardError) return { error: err.message };
    throw err;
  }
}
