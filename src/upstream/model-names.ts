// Canonical Ollama model names: every spelling Ollama would match to one model maps to one string (lookup key, metric label).

/** Ollama's default host and namespace, which its short display form leaves out. Longest first. */
const DEFAULT_PREFIXES = ["registry.ollama.ai/library/", "library/"] as const;

/**
 * Normalises `name` the way Ollama matches installed models (see shared/reference/ollama-api.md §0):
 * trimmed, lower-cased, the default `registry.ollama.ai/library/` or `library/` prefix removed, and
 * `:latest` added when there is no tag. A tag is a `:` after the last `/`, so the port in
 * `host:port/ns/model` is not one. Pure and total: it never throws and does not validate the name;
 * an empty (or blank) input returns "".
 */
export function canonicalModelName(name: string): string {
  let s = name.trim().toLowerCase();
  if (s === "") return "";
  for (const prefix of DEFAULT_PREFIXES) {
    if (s.startsWith(prefix)) {
      s = s.slice(prefix.length);
      break;
    }
  }
  return s.lastIndexOf(":") > s.lastIndexOf("/") ? s : `${s}:latest`;
}
