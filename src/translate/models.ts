// /api/tags and /api/show → /v1/models and /v1/models/{model}.
import type { OllamaShowResponse, OllamaTagsResponse } from "../ollama/types.js";
import type { Model, ModelList } from "../openai/responses.js";

/** The installed models, newest first as Ollama lists them; `data: []` (not null) when there are none. */
export function toModelList(tags: OllamaTagsResponse): ModelList {
  const models = Array.isArray(tags.models) ? tags.models : [];
  return {
    object: "list",
    data: models.map((m) => {
      const id = m.model || m.name;
      return { id, object: "model", created: unixSeconds(m.modified_at), owned_by: ownerOf(id) };
    }),
  };
}

/** `id` is echoed exactly as the client asked for it. */
export function toModel(show: OllamaShowResponse, id: string): Model {
  return { id, object: "model", created: unixSeconds(show.modified_at), owned_by: ownerOf(id) };
}

/**
 * The namespace of `[host/][namespace/]model[:tag]`, as Ollama reports it: `library` for plain names,
 * `user` for `user/model` and `host/user/model`.
 */
export function ownerOf(name: string): string {
  const parts = name.split("/");
  return parts.length < 2 ? "library" : (parts[parts.length - 2] ?? "library");
}

/** RFC 3339 → unix seconds; 0 for a missing or unreadable time. */
function unixSeconds(time: string | undefined): number {
  const ms = time === undefined ? Number.NaN : Date.parse(time);
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : 0;
}
