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
import { admit } from "../admit.js";
import { readJson } from "../body.js";
import type { GatewayDeps } from "../deps.js";
import { openUpstream, relayGeneration } from "../relay.js";
import type { RequestContext } from "../request-context.js";

/** A unique id for a completion (Ollama's are chatcmpl-0…998 and collide). */
function completionId(prefix: string): string {
  return `${prefix}-${randomUUID().replaceAll("-", "").slice(0, 24)}`;
}

function responseContext(id: string, model: string, includeUsage: boolean): ResponseContext {
  return { id, created: Math.floor(Date.now() / 1000), model, includeUsage };
}

export async function chatCompletions(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  const req = parseChatCompletionRequest(await readJson(ctx, deps.config));
  ctx.model = req.model;
  ctx.stream = req.stream === true;
  const rc = responseContext(completionId("chatcmpl"), req.model, req.stream_options?.include_usage === true);
  const upstreamRequest = toOllamaChatRequest(req);
  await admit(ctx, deps);
  await relayGeneration(
    ctx,
    deps,
    "/api/chat",
    upstreamRequest,
    ctx.stream
      ? { kind: "sse", codec: createChatSseTranslator(rc) }
      : { kind: "json", codec: createChatAggregator(rc) },
  );
}

export async function completions(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  const req = parseCompletionRequest(await readJson(ctx, deps.config));
  ctx.model = req.model;
  ctx.stream = req.stream === true;
  const rc = responseContext(completionId("cmpl"), req.model, req.stream_options?.include_usage === true);
  const upstreamRequest = toOllamaGenerateRequest(req);
  await admit(ctx, deps);
  await relayGeneration(
    ctx,
    deps,
    "/api/generate",
    upstreamRequest,
    ctx.stream
      ? { kind: "sse", codec: createCompletionSseTranslator(rc) }
      : { kind: "json", codec: createCompletionAggregator(rc) },
  );
}

export async function embeddings(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  const req = parseEmbeddingRequest(await readJson(ctx, deps.config));
  ctx.model = req.model;
  const upstreamRequest = toOllamaEmbedRequest(req);
  await admit(ctx, deps);
  const res = await readUpstreamJson<OllamaEmbedResponse>(ctx, deps, "POST", "/api/embed", upstreamRequest);
  ctx.promptTokens = res.prompt_eval_count ?? 0;
  ctx.sendJson(200, toEmbeddingList(res, req));
  ctx.finish("completed");
}

export async function listModels(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  const tags = await readUpstreamJson<OllamaTagsResponse>(ctx, deps, "GET", "/api/tags");
  ctx.sendJson(200, toModelList(tags));
  ctx.finish("completed");
}

export async function retrieveModel(ctx: RequestContext, deps: GatewayDeps, id: string): Promise<void> {
  ctx.model = id;
  const show = await readUpstreamJson<OllamaShowResponse>(ctx, deps, "POST", "/api/show", { model: id });
  ctx.sendJson(200, toModel(show, id));
  ctx.finish("completed");
}

/** A whole JSON answer from the upstream; a body that is not JSON is a protocol error. */
async function readUpstreamJson<T>(
  ctx: RequestContext,
  deps: GatewayDeps,
  method: string,
  path: string,
  payload?: unknown,
): Promise<T> {
  const res = await openUpstream(ctx, deps, method, path, payload);
  let text: string;
  try {
    text = await res.text();
  } finally {
    ctx.markUpstreamEnd();
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new GatewayError("upstream_protocol_error", `the upstream's answer to ${path} is not JSON`);
  }
}
