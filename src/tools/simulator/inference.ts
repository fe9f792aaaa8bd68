// POST /api/chat and /api/generate: decode, check (prepare.ts), schedule, then stream or buffer the planned answer.

import type { IncomingMessage, ServerResponse } from "node:http";
import { readJson } from "./body.js";
import { type Endpoint, finalObject, linePrefix, loadObject, pieceTail } from "./chunks.js";
import type { RequestScope, SimContext } from "./context.js";
import { failureMessage, MIDSTREAM_ERROR } from "./directives.js";
import { decodeSpan, type Pacing, streamPieces } from "./emit.js";
import { goStringify } from "./go-json.js";
import { JSON_TYPE, NDJSON_TYPE, STREAM_ERROR_TYPE, sendError, sendJson } from "./http-io.js";
import { contextTokens } from "./plan.js";
import { type Job, prepareChat, prepareGenerate } from "./prepare.js";
import { hash32, Rng } from "./prng.js";
import { type ChatIn, decodeChat, decodeGenerate, type GenerateIn } from "./requests.js";
import { QueueFullError } from "./scheduler.js";
import { AbortedError, createdAt, monoMs, msToNs, sleep, untilAborted } from "./time.js";

export function makeInferenceHandler(endpoint: Endpoint) {
  return async (
    ctx: SimContext,
    req: IncomingMessage,
    res: ServerResponse,
    scope: RequestScope,
  ): Promise<void> => {
    const body = await readJson(req, res, scope);
    if (body === undefined) return;
    const decoded = endpoint === "chat" ? decodeChat(body) : decodeGenerate(body);
    if ("error" in decoded) {
      sendError(res, 400, decoded.error);
      scope.settle("failed");
      return;
    }
    const prepared =
      endpoint === "chat"
        ? prepareChat(ctx, decoded.value as ChatIn)
        : prepareGenerate(ctx, decoded.value as GenerateIn);
    if ("failure" in prepared) {
      sendError(res, prepared.failure.status, prepared.failure.message);
      scope.settle("failed");
      return;
    }
    if ("unload" in prepared) {
      ctx.scheduler.expire(prepared.unload);
      sendJson(res, 200, loadObject(endpoint, decoded.value.model, createdAt(), "unload"));
      scope.settle("completed");
      return;
    }
    await runJob(ctx, prepared.job, res, scope);
  };
}

async function runJob(ctx: SimContext, job: Job, res: ServerResponse, scope: RequestScope): Promise<void> {
  const { signal } = scope;
  const t0 = monoMs();
  const fail = (status: number, message: string, contentType = JSON_TYPE) => {
    sendError(res, status, message, contentType);
    scope.settle("failed");
  };
  // Errors raised while the runner works switch a stream's content type to plain application/json (§9.3).
  const runnerFail = (status: number, message: string) =>
    fail(status, message, job.stream ? STREAM_ERROR_TYPE : JSON_TYPE);

  let lease: Awaited<ReturnType<SimContext["scheduler"]["load"]>>;
  try {
    lease = await ctx.scheduler.load(job.model, job.keepAliveMs, job.numCtx, signal);
  } catch (err) {
    if (err instanceof QueueFullError) fail(503, err.message);
    else if (!(err instanceof AbortedError)) throw err;
    return;
  }
  const loadedAt = monoMs();
  try {
    if (job.loadOnly) {
      sendJson(res, 200, loadObject(job.endpoint, job.requestModel, createdAt(), "load"));
      scope.settle("completed");
      return;
    }
    if (job.formatError !== undefined) {
      runnerFail(500, job.formatError);
      return;
    }
    await lease.slot(signal);
    const plan = job.plan;
    if (plan.delayMs > 0) await sleep(plan.delayMs, signal);
    if (plan.failStatus !== undefined) {
      runnerFail(plan.failStatus, failureMessage(plan.failStatus));
      return;
    }
    if (plan.hangAfter === 0) {
      await untilAborted(signal);
      return;
    }
    const promptStart = monoMs();
    await sleep((plan.promptTokens / ctx.options.prefillTps) * 1000, signal);
    const promptMs = monoMs() - promptStart;

    const count = Math.min(
      job.pieces.length,
      plan.failAfter ?? Number.POSITIVE_INFINITY,
      plan.hangAfter ?? Number.POSITIVE_INFINITY,
    );
    if (count === 0 && plan.failAfter === 0) {
      runnerFail(500, MIDSTREAM_ERROR);
      return;
    }
    const pacing: Pacing = {
      tokenMs: 1000 / ctx.options.decodeTps,
      jitter: ctx.options.jitter,
      rng: new Rng(hash32("pace", job.textSeed ^ ctx.counters.requests)),
    };
    const decodeStart = monoMs();
    if (job.stream) {
      const tails = job.pieces.map((piece) => pieceTail(job.endpoint, piece));
      await streamPieces({
        res,
        signal,
        prefix: linePrefix(job.requestModel),
        tails,
        weights: job.weights,
        count,
        pacing,
        onStall: (stalled) => {
          ctx.counters.stalled += stalled ? 1 : -1;
        },
      });
    } else {
      await sleep(decodeSpan(pacing, job.weights, count), signal);
    }
    if (signal.aborted) return;
    const decodeMs = monoMs() - decodeStart;

    if (plan.failAfter === count) {
      if (job.stream && res.headersSent) {
        res.end(`{"error":${JSON.stringify(MIDSTREAM_ERROR)}}\n`);
        scope.settle("failed");
      } else {
        fail(500, MIDSTREAM_ERROR);
      }
      return;
    }
    if (plan.hangAfter === count) {
      await untilAborted(signal);
      return;
    }
    const evalCount = plan.thinking.length + plan.content.length + plan.toolCallTokens;
    const metrics = {
      total_duration: msToNs(monoMs() - t0),
      load_duration: msToNs(loadedAt - t0),
      prompt_eval_count: plan.promptTokens,
      prompt_eval_duration: msToNs(promptMs),
      eval_count: evalCount,
      eval_duration: msToNs(decodeMs),
    };
    const final = finalObject({
      endpoint: job.endpoint,
      model: job.requestModel,
      createdAt: createdAt(),
      doneReason: plan.doneReason,
      metrics,
      ...(job.withContext ? { context: contextTokens(job.textSeed, plan.promptTokens + evalCount) } : {}),
      ...(job.stream ? {} : { aggregate: aggregateOf(job) }),
    });
    if (job.stream) {
      if (!res.headersSent) res.writeHead(200, { "Content-Type": NDJSON_TYPE });
      res.end(`${goStringify(final)}\n`);
    } else {
      sendJson(res, 200, final);
    }
    scope.settle("completed");
  } catch (err) {
    if (err instanceof QueueFullError) fail(503, err.message);
    else if (!(err instanceof AbortedError)) throw err;
  } finally {
    lease.release();
  }
}

function aggregateOf(job: Job) {
  const logprobs = job.pieces.flatMap((p) => (p.kind === "content" && p.logprobs ? p.logprobs : []));
  return {
    content: job.plan.content.join(""),
    thinking: job.plan.thinking.join(""),
    toolCalls: job.hadTools ? (job.plan.toolCalls ?? []) : [],
    logprobs,
  };
}
