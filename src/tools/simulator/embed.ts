// POST /api/embed and the legacy POST /api/embeddings: Ollama's checks, scheduling, and normalised vectors.

import type { IncomingMessage, ServerResponse } from "node:http";
import { readJson } from "./body.js";
import { type CatalogModel, hasCapability } from "./catalog.js";
import type { RequestScope, SimContext } from "./context.js";
import { goStringify } from "./go-json.js";
import { JSON_TYPE, sendError, sendJson } from "./http-io.js";
import { checkOptions } from "./model-options.js";
import { parseModelRef } from "./names.js";
import { DEFAULT_NUM_CTX } from "./prepare.js";
import { decodeEmbed, decodeEmbeddings } from "./requests.js";
import { type Lease, QueueFullError } from "./scheduler.js";
import { AbortedError, monoMs, msToNs, sleep } from "./time.js";
import { embedText, float32Matrix, truncateDims } from "./vectors.js";

const NOT_EMBEDDING = "this model does not support embeddings";

interface Failure {
  status: number;
  message: string;
}

/** Model lookup as the embed handlers do it: a bad name falls back to `fallback`, a missing model is a %q 404. */
function findModel(ctx: SimContext, raw: string, fallback: Failure): CatalogModel | Failure {
  const ref = parseModelRef(raw);
  if (ref.kind === "conflict") return { status: 400, message: ref.message };
  if (ref.kind === "invalid") return { status: 400, message: "invalid model name" };
  if (ref.kind === "required") return fallback;
  const model = ref.cloud ? undefined : ctx.catalog.find(ref.name);
  return model ?? { status: 404, message: `model ${JSON.stringify(raw)} not found, try pulling it first` };
}

function tokensOf(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

type Work = (lease: Lease, loadMs: number) => Promise<void>;

/** Loads the model, runs `work` while holding it, and always releases it; queue-full and aborts end here. */
async function withModel(
  ctx: SimContext,
  model: CatalogModel,
  keepAliveMs: number | undefined,
  res: ServerResponse,
  scope: RequestScope,
  work: Work,
): Promise<void> {
  const t0 = monoMs();
  let lease: Lease | undefined;
  try {
    const numCtx = Math.min(DEFAULT_NUM_CTX, model.contextLength);
    lease = await ctx.scheduler.load(model, keepAliveMs ?? ctx.defaultKeepAliveMs, numCtx, scope.signal);
    await work(lease, monoMs() - t0);
  } catch (err) {
    if (err instanceof QueueFullError) {
      sendError(res, 503, err.message);
      scope.settle("failed");
    } else if (!(err instanceof AbortedError)) throw err;
  } finally {
    lease?.release();
  }
}

/** Holds a slot for the prompt-processing time of `tokens`. */
async function prefill(ctx: SimContext, lease: Lease, tokens: number, signal: AbortSignal): Promise<void> {
  await lease.slot(signal);
  await sleep((tokens / ctx.options.prefillTps) * 1000, signal);
}

export async function handleEmbed(
  ctx: SimContext,
  req: IncomingMessage,
  res: ServerResponse,
  scope: RequestScope,
) {
  const fail = (f: Failure) => {
    sendError(res, f.status, f.message);
    scope.settle("failed");
  };
  const body = await readJson(req, res, scope);
  if (body === undefined) return;
  const decoded = decodeEmbed(body);
  if ("error" in decoded) return fail({ status: 400, message: decoded.error });
  const request = decoded.value;
  const notFound = { status: 404, message: `model '${request.model}' not found` };
  if (parseModelRef(request.model).kind !== "ok")
    return fail(findModel(ctx, request.model, notFound) as Failure);

  let inputs: string[] = [];
  if (typeof request.input === "string") {
    if (request.input !== "") inputs = [request.input];
  } else if (Array.isArray(request.input)) {
    if (!request.input.every((v): v is string => typeof v === "string")) {
      return fail({ status: 400, message: "invalid input type" });
    }
    inputs = request.input;
  } else if (request.input !== undefined) {
    return fail({ status: 400, message: "invalid input type" });
  }

  const model = findModel(ctx, request.model, notFound);
  if ("status" in model) return fail(model);
  const options = checkOptions(request.options);
  if ("error" in options) return fail({ status: 500, message: options.error });

  const t0 = monoMs();
  await withModel(ctx, model, request.keep_alive, res, scope, async (lease, loadMs) => {
    if (inputs.length === 0) {
      sendJson(res, 200, { model: request.model, embeddings: [] });
      scope.settle("completed");
      return;
    }
    if (!hasCapability(model, "embedding")) return fail({ status: 400, message: NOT_EMBEDDING });
    const counts = inputs.map(tokensOf);
    if (request.truncate === false && counts.some((n) => n > model.contextLength)) {
      return fail({ status: 400, message: "the input length exceeds the context length" });
    }
    const tokens = counts.reduce((a, b) => a + b, 0);
    await prefill(ctx, lease, tokens, scope.signal);
    const vectors = inputs.map((text) =>
      truncateDims(embedText(text, model.embeddingLength, ctx.options.seed), request.dimensions),
    );
    // Written by hand to keep Go's float32 formatting; field order and omitempty as in api.EmbedResponse.
    let text = `{"model":${goStringify(request.model)},"embeddings":${float32Matrix(vectors)}`;
    const total = msToNs(monoMs() - t0);
    const load = msToNs(loadMs);
    if (total > 0) text += `,"total_duration":${total}`;
    if (load > 0) text += `,"load_duration":${load}`;
    text += `,"prompt_eval_count":${tokens}}`;
    res.writeHead(200, { "Content-Type": JSON_TYPE, "Content-Length": Buffer.byteLength(text) });
    res.end(text);
    scope.settle("completed");
  });
}

/** The legacy endpoint: `{"model","prompt"}` in, `{"embedding":[float64…]}` out; an empty prompt just loads. */
export async function handleEmbeddings(
  ctx: SimContext,
  req: IncomingMessage,
  res: ServerResponse,
  scope: RequestScope,
) {
  const fail = (f: Failure) => {
    sendError(res, f.status, f.message);
    scope.settle("failed");
  };
  const body = await readJson(req, res, scope);
  if (body === undefined) return;
  const decoded = decodeEmbeddings(body);
  if ("error" in decoded) return fail({ status: 400, message: decoded.error });
  const request = decoded.value;
  const model = findModel(ctx, request.model, { status: 400, message: "model is required" });
  if ("status" in model) return fail(model);
  const options = checkOptions(request.options);
  if ("error" in options) return fail({ status: 500, message: options.error });

  await withModel(ctx, model, request.keep_alive, res, scope, async (lease) => {
    if (request.prompt === "") {
      sendJson(res, 200, { embedding: [] });
      scope.settle("completed");
      return;
    }
    if (!hasCapability(model, "embedding")) return fail({ status: 500, message: NOT_EMBEDDING });
    await prefill(ctx, lease, tokensOf(request.prompt), scope.signal);
    sendJson(res, 200, { embedding: embedText(request.prompt, model.embeddingLength, ctx.options.seed) });
    scope.settle("completed");
  });
}
