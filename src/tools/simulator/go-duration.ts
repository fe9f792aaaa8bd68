// Go's time.ParseDuration, and Ollama's keep_alive decoding built on it (number = seconds, negative = forever).

const UNIT_NS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3, // U+00B5
  μs: 1e3, // U+03BC
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

const quote = (s: string) => JSON.stringify(s);

/** Go's `time.ParseDuration`: `"1h30m"`, `"-1.5s"`, `"0"`; the result in nanoseconds, or Go's error text. */
export function parseGoDuration(input: string): { ns: number } | { error: string } {
  const invalid = { error: `time: invalid duration ${quote(input)}` };
  let s = input;
  let negative = false;
  if (s !== "" && (s[0] === "-" || s[0] === "+")) {
    negative = s[0] === "-";
    s = s.slice(1);
  }
  if (s === "0") return { ns: 0 };
  if (s === "") return invalid;
  let total = 0;
  while (s !== "") {
    const number = /^(\d*)(\.(\d*))?/.exec(s);
    const whole = number?.[1] ?? "";
    const frac = number?.[3] ?? "";
    if (whole === "" && frac === "") return invalid;
    s = s.slice(number?.[0].length ?? 0);
    const unitMatch = /^[^\d.]+/.exec(s);
    if (unitMatch === null) return { error: `time: missing unit in duration ${quote(input)}` };
    const unit = unitMatch[0];
    const scale = UNIT_NS[unit];
    if (scale === undefined)
      return { error: `time: unknown unit ${quote(unit)} in duration ${quote(input)}` };
    s = s.slice(unit.length);
    total += Number(`${whole || "0"}.${frac || "0"}`) * scale;
  }
  if (total > 9.223372036854775e18) return invalid;
  return { ns: negative ? -total : total };
}

/** How long a model stays loaded after a request, in milliseconds; Infinity = forever, 0 = unload at once. */
export type KeepAliveMs = number;

/** Go's `reflect.TypeOf(v)` name for a decoded JSON value, as Ollama's Duration error prints it. */
function goTypeName(value: unknown): string {
  if (typeof value === "boolean") return "bool";
  if (Array.isArray(value)) return "[]interface {}";
  return "map[string]interface {}";
}

/** Ollama's `api.Duration.UnmarshalJSON`: a number of seconds or a Go duration string; negative means forever. */
export function decodeKeepAlive(value: unknown): { value: KeepAliveMs } | { error: string } {
  if (typeof value === "number") return { value: value < 0 ? Number.POSITIVE_INFINITY : value * 1000 };
  if (typeof value === "string") {
    const parsed = parseGoDuration(value);
    if ("error" in parsed) return parsed;
    return { value: parsed.ns < 0 ? Number.POSITIVE_INFINITY : parsed.ns / 1e6 };
  }
  return { error: `Unsupported type: '${goTypeName(value)}'` };
}
