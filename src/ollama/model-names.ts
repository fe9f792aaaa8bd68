// What a model's name says about it, for the places that have only the name (/v1/models carries no capabilities).

/**
 * Whether a model is an embedding model by its name: Ollama's library names most with "embed"
 * (nomic-embed-text, mxbai-embed-large, snowflake-arctic-embed, qwen3-embedding) and the rest by family
 * (all-minilm, bge-m3, bge-large, paraphrase-multilingual). A namespace (`user/bge-m3`) is allowed.
 */
export function looksLikeEmbedding(model: string): boolean {
  return /embed|(^|\/)(all-minilm|bge-|paraphrase-)/i.test(model);
}
