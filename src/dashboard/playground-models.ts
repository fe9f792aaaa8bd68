// The playground's model list: chat models first, embedding models last and never picked by default.

import { looksLikeEmbedding } from "../ollama/model-names.js";

/**
 * The ids in the order the playground lists them (sorted, embedding models last) and the one to select:
 * the remembered model when it is still offered, else the first, so the page does not start on a model
 * that cannot chat. `selected` is undefined only when there are no models.
 */
export function playgroundModels(
  ids: readonly string[],
  remembered: string | null,
): { ids: string[]; selected: string | undefined } {
  const sorted = [...ids].sort();
  const ordered = [...sorted.filter((id) => !looksLikeEmbedding(id)), ...sorted.filter(looksLikeEmbedding)];
  const selected = remembered !== null && ordered.includes(remembered) ? remembered : ordered[0];
  return { ids: ordered, selected };
}
