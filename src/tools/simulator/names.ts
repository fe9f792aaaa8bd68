// Ollama model names: `[host/][namespace/]model[:tag]` parsed, validated and displayed like types/model.Name.

export interface ModelName {
  host: string;
  namespace: string;
  model: string;
  tag: string;
}

const DEFAULT_HOST = "registry.ollama.ai";
const DEFAULT_NAMESPACE = "library";
const DEFAULT_TAG = "latest";

type Part = "host" | "namespace" | "model" | "tag";
const MAX_LEN: Record<Part, number> = { host: 350, namespace: 80, model: 80, tag: 80 };

function isAlnumOrUnderscore(c: string): boolean {
  return /[A-Za-z0-9_]/.test(c);
}

/** `isValidPart`: starts with [A-Za-z0-9_], then also `-` `_`, `.` (not in namespaces), `:` (hosts only). */
function isValidPart(kind: Part, s: string): boolean {
  if (s.length === 0 || s.length > MAX_LEN[kind]) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (i === 0) {
      if (!isAlnumOrUnderscore(c)) return false;
      continue;
    }
    if (c === "_" || c === "-") continue;
    if (c === ".") {
      if (kind === "namespace") return false;
      continue;
    }
    if (c === ":") {
      if (kind !== "host") return false;
      continue;
    }
    if (!isAlnumOrUnderscore(c)) return false;
  }
  return true;
}

/** Cuts at the last `sep`; an empty right side becomes "!" so that it fails validation, as in Go. */
function cutLast(s: string, sep: string): [string, string, boolean] {
  const i = s.lastIndexOf(sep);
  if (i < 0) return [s, "", false];
  const after = s.slice(i + sep.length);
  return [s.slice(0, i), after === "" ? "!" : after, true];
}

/** `model.ParseName`: fills host, namespace and tag with defaults; undefined when any part is invalid. */
export function parseModelName(raw: string): ModelName | undefined {
  let s = raw;
  let tag = "";
  let namespace = "";
  let host = "";
  if (s.lastIndexOf(":") > s.lastIndexOf("/")) [s, tag] = cutLast(s, ":");
  const [rest1, model, hasNamespace] = cutLast(s, "/");
  let name: string;
  if (!hasNamespace) {
    name = s;
  } else {
    name = model;
    const [rest2, ns, hasHost] = cutLast(rest1, "/");
    if (!hasHost) {
      namespace = rest1;
    } else {
      namespace = ns;
      const scheme = rest2.indexOf("://");
      host = scheme >= 0 ? rest2.slice(scheme + 3) : rest2;
    }
  }
  const parsed: ModelName = {
    host: host || DEFAULT_HOST,
    namespace: namespace || DEFAULT_NAMESPACE,
    model: name,
    tag: tag || DEFAULT_TAG,
  };
  const valid =
    isValidPart("host", parsed.host) &&
    isValidPart("namespace", parsed.namespace) &&
    isValidPart("model", parsed.model) &&
    isValidPart("tag", parsed.tag);
  return valid ? parsed : undefined;
}

/** `Name.String()`: the fully qualified form, e.g. `registry.ollama.ai/library/qwen3:32b`. */
export function fullName(n: ModelName): string {
  return `${n.host}/${n.namespace}/${n.model}:${n.tag}`;
}

/** `Name.DisplayShortest()`: default host and namespace dropped, the tag always kept (`qwen3:latest`). */
export function displayShortest(n: ModelName): string {
  if (n.host.toLowerCase() !== DEFAULT_HOST) return `${n.host}/${n.namespace}/${n.model}:${n.tag}`;
  if (n.namespace.toLowerCase() !== DEFAULT_NAMESPACE) return `${n.namespace}/${n.model}:${n.tag}`;
  return `${n.model}:${n.tag}`;
}

/** The key under which installed models are matched: Ollama compares names ignoring case. */
export function nameKey(n: ModelName): string {
  return fullName(n).toLowerCase();
}

export type ModelRef =
  | { kind: "ok"; name: ModelName; cloud: boolean }
  | { kind: "required" } // empty after trimming: ErrModelRequired
  | { kind: "conflict"; message: string }
  | { kind: "invalid" }; // errtypes.InvalidModelNameErrMsg

function sourceSuffix(raw: string): { base: string; source: "cloud" | "local" } | undefined {
  const i = raw.lastIndexOf(":");
  if (i < 0) return undefined;
  const suffix = raw
    .slice(i + 1)
    .trim()
    .toLowerCase();
  if (suffix === "cloud" || suffix === "local") return { base: raw.slice(0, i), source: suffix };
  return undefined;
}

/** `parseAndValidateModelRef`: trims, strips one `:local`/`:cloud` suffix, then parses the name. */
export function parseModelRef(input: string): ModelRef {
  const raw = input.trim();
  if (raw === "") return { kind: "required" };
  const suffix = sourceSuffix(raw);
  if (suffix !== undefined && sourceSuffix(suffix.base) !== undefined) {
    return { kind: "conflict", message: `use either :local or :cloud, not both: ${JSON.stringify(raw)}` };
  }
  const name = parseModelName(suffix?.base ?? raw);
  if (name === undefined) return { kind: "invalid" };
  return { kind: "ok", name, cloud: suffix?.source === "cloud" };
}
