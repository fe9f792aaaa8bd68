// Label values bounded by construction: whatever a client sends, these functions return one of a known, small set.

/** The HTTP methods that keep their own label value. */
export const METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"] as const;
export type MethodLabel = (typeof METHODS)[number] | "other";
const METHOD_SET: ReadonlySet<string> = new Set(METHODS);

/** Known HTTP method or "other". */
export function methodLabel(method: string): MethodLabel {
  return METHOD_SET.has(method) ? (method as MethodLabel) : "other";
}

/** Ollama's done_reason values; anything else (a future reason, or none) is "other". */
export const DONE_REASONS = ["stop", "length", "load", "unload"] as const;
export type DoneReasonLabel = (typeof DONE_REASONS)[number] | "other";
const REASON_SET: ReadonlySet<string> = new Set(DONE_REASONS);

export function doneReasonLabel(reason: string | undefined): DoneReasonLabel {
  return reason !== undefined && REASON_SET.has(reason) ? (reason as DoneReasonLabel) : "other";
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

export type CodeLabel = `${number}` | "other";

/** Status codes as numbers in text; a status outside 100..599 (none should exist) is "other". */
export function codeLabel(status: number): CodeLabel {
  return status >= 100 && status <= 599 ? `${status}` : "other";
}
