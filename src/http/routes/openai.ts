// Handlers of the OpenAI-compatible routes: chat, completions, embeddings, models.

import { randomUUID } from "node:crypto";
import { GatewayError } from "../../errors/gateway-error.js";
import type { OllamaEmbedResponse, OllamaShowResponse, OllamaTagsResponse } from "../../ollama/types.js";
import {
  parseChatCompletionRequest,
  parseCompletionRequest,
  parseEmbeddingRequest,
} from "../../openai/index.js";
import {
  createChatAggregator,
  createChatSseTranslator,
  createCompletionAggregator,
  createCompletionSseTranslator,
  type ResponseContext,
  toEmbeddingList,
  toModel,
  toModelList,
  toOllamaChatRequest,
  toOllamaEmbedRequest,
  toOllamaGenerateRequest,
} from "../../translate/index.js";
import { readJson } from "../body.js";
import type { GatewayDeps } from "../deps.js";
import { forwardJson } from "../forward.js";
import { relayGeneration } from "../relay.js";
import { COMPLETED, type Done, type RequestContext } from "../request-context.js";

/** A unique id for a completion (Ollama's are chatcmpl-0…998 and collide). */
function completionId(prefix: string): string {
  return `${prefix}-${randomUUID().replaceAll("-", "").slice(0, 24)}`;
}

function responseContext(id: string, model: string, includeUsage: boolean): ResponseContext {
  return { id, created: Math.floor(Date.now() / 1000), model, includeUsage };
}

export async function chatCompletions(ctx: RequestContext, deps: GatewayDeps): Promise<Done> {
  const req = parseChatCompletionRequest(await readJson(ctx, deps.config));
  ctx.model = req.model;
  ctx.stream = req.stream === true;
  const rc = responseContext(completionId("chatcmpl"), req.model, req.stream_options?.include_usage === true);
  const upstreamRequest = toOllamaChatRequest(req);
  return relayGeneration(
    ctx,
    deps,
    "/api/chat",
    upstreamRequest,
    ctx.stream
      ? { kind: "sse", codec: createChatSseTranslator(rc) }
      : { kind: "json", codec: createChatAggregator(rc) },
  );
}

export async function completions(ctx: RequestContext, deps: GatewayDeps): Promise<Done> {
  const req = parseCompletionRequest(await readJson(ctx, deps.config));
  ctx.model = req.model;
  ctx.stream = req.stream === true;
  const rc = responseContext(completionId("cmpl"), req.model, req.stream_options?.include_usage === true);
  const upstreamRequest = toOllamaGenerateRequest(req);
  return relayGeneration(
    ctx,
    deps,
    "/api/generate",
    upstreamRequest,
    ctx.stream
      ? { kind: "sse", codec: createCompletionSseTranslator(rc) }
      : { kind: "json", codec: createCompletionAggregator(rc) },
  );
}

export async function embeddings(ctx: RequestContext, deps: GatewayDeps): Promise<Done> {
  const req = parseEmbeddingRequest(await readJson(ctx, deps.config));
  ctx.model = req.model;
  const upstreamRequest = toOllamaEmbedRequest(req);
  const res = await readUpstreamJson<OllamaEmbedResponse>(ctx, deps, "POST", "/api/embed", upstreamRequest);
  ctx.sendJson(200, toEmbeddingList(res, req));
  return { outcome: "completed", promptTokens: res.prompt_eval_count ?? 0 };
}

export async function listModels(ctx: RequestContext, deps: GatewayDeps): Promise<Done> {
  const tags = await readUpstreamJson<OllamaTagsResponse>(ctx, deps, "GET", "/api/tags");
  ctx.sendJson(200, toModelList(tags));
  return COMPLETED;
}

/** GET /v1/models/{model}: the id is the rest of the (once decoded) path, "/" included. */
export async function retrieveModel(ctx: RequestContext, deps: GatewayDeps): Promise<Done> {
  const id = ctx.path.slice("/v1/models/".length);
  ctx.model = id;
  const show = await readUpstreamJson<OllamaShowResponse>(ctx, deps, "POST", "/api/show", { model: id });
  ctx.sendJson(200, toModel(show, id));
  return COMPLETED;
}

/** A whole JSON answer from the upstream; a body that is not JSON is a protocol error. */
async function readUpstreamJson<T>(
  ctx: RequestContext,
  deps: GatewayDeps,
  method: string,
  path: string,
  payload?: unknown,
): Promise<T> {
  const res = await forwardJson(ctx, deps, method, path, payload);
  const text = await res.text();
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new GatewayError("upstream_protocol_error", `the upstream's answer to ${path} is not JSON`);
  }
}
