// Turns zod validation failures into one GatewayError whose message and `param` name the offending field.
import type * as z from "zod";
import { GatewayError } from "../errors/gateway-error.js";

/**
 * `params` of a custom issue for a field OpenAI defines but the gateway cannot honour: the request fails with
 * 400 `unsupported_parameter` instead of `invalid_request`.
 */
export const UNSUPPORTED = { gatewayCode: "unsupported_parameter" } as const;

/**
 * Parses `body` with `schema`. On failure throws GatewayError("invalid_request" | "unsupported_parameter")
 * for the first issue, with `param` = the field path (`messages[1].content`) and a message that starts with it.
 */
export function parseOrThrow<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body, { error: describeIssue });
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (issue === undefined) throw new GatewayError("invalid_request", "invalid request body");
  const leaf = deepestIssue(issue, []);
  const param = leaf.path.length === 0 ? null : formatPath(leaf.path);
  const code = isUnsupported(leaf.issue) ? "unsupported_parameter" : "invalid_request";
  return throwError(code, `${param ?? "request body"}: ${leaf.issue.message}`, param);
}

function throwError(
  code: "invalid_request" | "unsupported_parameter",
  message: string,
  param: string | null,
): never {
  throw new GatewayError(code, message, { param });
}

/** `["messages", 1, "content"]` → `messages[1].content`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out;
}

interface Leaf {
  issue: z.core.$ZodIssue;
  path: PropertyKey[];
}

/**
 * A union reports one list of issues per branch. The branch that got furthest into the input is the one the
 * client meant: the deepest path wins, and at equal depth a branch whose type matched (its issue is not
 * `invalid_type`) wins. If every branch failed on the type of the value itself, the union's own message
 * ("expected string or array of content parts") is the useful one.
 */
function deepestIssue(issue: z.core.$ZodIssue, prefix: PropertyKey[]): Leaf {
  const path = [...prefix, ...issue.path];
  if (issue.code !== "invalid_union") return { issue, path };
  let best: z.core.$ZodIssue | undefined;
  let bestScore = 0;
  for (const branch of issue.errors) {
    const first = branch[0];
    if (first === undefined) continue;
    const score = first.path.length * 2 + (first.code === "invalid_type" ? 0 : 1);
    if (score > bestScore) {
      best = first;
      bestScore = score;
    }
  }
  return best === undefined ? { issue, path } : deepestIssue(best, path);
}

function isUnsupported(issue: z.core.$ZodIssue): boolean {
  return issue.code === "custom" && issue.params?.gatewayCode === UNSUPPORTED.gatewayCode;
}

/** The error map used for every parse: short, field-free messages (the path is prefixed by parseOrThrow). */
function describeIssue(issue: z.core.$ZodRawIssue): string | undefined {
  const input = issue.input;
  switch (issue.code) {
    case "invalid_type":
      if (input === undefined) return "is required";
      if (issue.expected === "int" && typeof input === "number") return `expected integer, got ${input}`;
      return `expected ${issue.expected === "record" ? "object" : issue.expected}, got ${typeName(input)}`;
    case "invalid_value":
      return `expected ${listValues(issue.values)}, got ${JSON.stringify(input)}`;
    case "too_small":
      if (issue.origin === "array") return `must contain at least ${issue.minimum} item(s)`;
      if (issue.origin === "string") return "must not be empty";
      return `must be ${issue.inclusive ? ">=" : ">"} ${issue.minimum}, got ${JSON.stringify(input)}`;
    case "too_big":
      if (issue.origin === "array") return `must contain at most ${issue.maximum} item(s)`;
      return `must be ${issue.inclusive ? "<=" : "<"} ${issue.maximum}, got ${JSON.stringify(input)}`;
    case "invalid_union": {
      const key = issue.discriminator;
      if (typeof key !== "string") return undefined;
      const value = isRecord(input) ? input[key] : undefined;
      if (value === undefined) return "is required";
      const options: readonly unknown[] = Array.isArray(issue.options) ? issue.options : [];
      return `expected ${listValues(options)}, got ${JSON.stringify(value)}`;
    }
    default:
      return undefined;
  }
}

function listValues(values: readonly unknown[]): string {
  const shown = values.map((v) => JSON.stringify(v));
  return shown.length === 1 ? (shown[0] ?? "") : `one of ${shown.join(" | ")}`;
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Schema-level message for a union: "is required" when the field is missing, otherwise `expected <what>`.
 * Used as `z.union([...], { error: expected("string or array of strings") })`.
 */
export function expected(what: string): (issue: z.core.$ZodRawIssue) => string {
  return (issue) =>
    issue.input === undefined ? "is required" : `expected ${what}, got ${typeName(issue.input)}`;
}
