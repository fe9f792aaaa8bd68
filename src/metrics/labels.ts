// Label values bounded by construction: whatever a client sends, these functions return one of a known, small set.

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]);

/** Known HTTP method or "other". */
export function methodLabel(method: string): string {
  return METHODS.has(method) ? method : "other";
}

/** Ollama's done_reason values; anything else (a future reason, or none) is "other". */
const REASONS = new Set(["stop", "length", "load", "unload"]);

export function doneReasonLabel(reason: string | undefined): string {
  return reason !== undefined && REASONS.has(reason) ? reason : "other";
}

/** What the metrics need to know about models: which names the upstream has. */
export interface ModelDirectory {
  /** The canonical name if the upstream reports this model (any spelling), else undefined. */
  knownModel(name: string): string | undefined;
}

/**
 * The model label: the canonical name of a model the upstream reports, "" for requests that name no model,
 * "other" for anything else. A client inventing model names adds no series.
 */
export function modelLabel(directory: ModelDirectory | undefined, model: string | undefined): string {
  if (model === undefined || model === "") return "";
  return directory?.knownModel(model) ?? "other";
}

/** Status codes as numbers in text; a status outside 100..599 (none should exist) is "other". */
export function codeLabel(status: number): string {
  return status >= 100 && status <= 599 ? String(status) : "other";
}
