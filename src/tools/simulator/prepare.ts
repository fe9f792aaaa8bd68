// Checks a decoded chat/generate request in Ollama's order and turns it into a job: model, options, planned answer.

import type { OllamaThink, OllamaTool } from "../../ollama/types.js";
import { type CatalogModel, hasCapability } from "./catalog.js";
import type { Endpoint, Piece } from "./chunks.js";
import { tokenLogprob } from "./chunks.js";
import type { SimContext } from "./context.js";
import { parseDirectives } from "./directives.js";
import { checkOptions } from "./model-options.js";
import { parseModelRef } from "./names.js";
import { buildPlan, type OutputFormat, type Plan } from "./plan.js";
import { hash32 } from "./prng.js";
import type { ChatIn, GenerateIn } from "./requests.js";
import { toolToCall } from "./turn.js";

export const DEFAULT_NUM_CTX = 4096;

export interface Failure {
  status: number;
  message: string;
}

/** A request that passed every check: what to schedule and what to answer. */
export interface Job {
  endpoint: Endpoint;
  requestModel: string;
  model: CatalogModel;
  stream: boolean;
  keepAliveMs: number;
  numCtx: number;
  /** Empty messages or prompt: load the model and answer done_reason "load". */
  loadOnly: boolean;
  /** A bad `format` fails only when the request runs, after the load, as a 500. */
  formatError: string | undefined;
  plan: Plan;
  pieces: Piece[];
  weights: number[];
  /** Whether the request had tools: only then does a non-streamed answer carry tool_calls. */
  hadTools: boolean;
  /** /api/generate without raw mode returns `context`. */
  withContext: boolean;
  textSeed: number;
}

export type Prepared = { failure: Failure } | { unload: CatalogModel } | { job: Job };

/** Resolves the requested name against the installed models, with each endpoint's status for a bad name. */
function resolveModel(ctx: SimContext, raw: string, endpoint: Endpoint): CatalogModel | Failure {
  const ref = parseModelRef(raw);
  const notFound = { status: 404, message: `model '${raw}' not found` };
  switch (ref.kind) {
    case "required":
      return endpoint === "chat" ? { status: 400, message: "model is required" } : notFound;
    case "conflict":
      return { status: 400, message: ref.message };
    case "invalid":
      return { status: 400, message: "invalid model name" };
    case "ok":
      // `:cloud` would be proxied to ollama.com; the simulator has no cloud, so such a model is not here.
      return (ref.cloud ? undefined : ctx.catalog.find(ref.name)) ?? notFound;
  }
}

function isFailure(value: CatalogModel | Failure): value is Failure {
  return "status" in value;
}

/** Thinking-capable models think unless told not to; others refuse a truthy `think` (false is fine). */
function resolveThink(
  model: CatalogModel,
  think: OllamaThink | undefined,
  requestModel: string,
): { think: Exclude<OllamaThink, false> | undefined } | Failure {
  if (hasCapability(model, "thinking"))
    return { think: think === undefined ? true : think === false ? undefined : think };
  if (think !== undefined && think !== false) {
    return { status: 400, message: `${JSON.stringify(requestModel)} does not support thinking` };
  }
  return { think: undefined };
}

/** `format`: "json", a schema object, or unset (null, ""); anything else is reported when the request runs. */
function parseFormat(value: unknown): { format: OutputFormat; error?: string } {
  if (value === undefined || value === "") return { format: { kind: "text" } };
  if (value === "json") return { format: { kind: "json" } };
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    return { format: { kind: "schema", schema: value as Record<string, unknown> } };
  }
  const raw = JSON.stringify(JSON.stringify(value));
  return {
    format: { kind: "text" },
    error: `invalid format: ${raw}; expected "json" or a valid JSON Schema object`,
  };
}

function drawFaults(ctx: SimContext) {
  const o = ctx.options;
  const r = ctx.faults;
  // Always four draws, so one request's outcome never shifts the draws of the next.
  return {
    fail: r.next() < o.failRate,
    midstream: r.next() < o.midstreamFailRate,
    hang: r.next() < o.hangRate,
    position: r.next(),
  };
}

/** Pieces in stream order: thinking, then the tool call or the content tokens. */
function piecesOf(
  plan: Plan,
  logprobs: boolean,
  topLogprobs: number,
  seed: number,
): { pieces: Piece[]; weights: number[] } {
  const pieces: Piece[] = [];
  const weights: number[] = [];
  for (const text of plan.thinking) {
    pieces.push({ kind: "thinking", text });
    weights.push(1);
  }
  if (plan.toolCalls !== undefined) {
    pieces.push({ kind: "tool", toolCalls: plan.toolCalls });
    weights.push(plan.toolCallTokens);
  }
  plan.content.forEach((text, i) => {
    pieces.push(
      logprobs
        ? { kind: "content", text, logprobs: [tokenLogprob(text, i, seed, topLogprobs)] }
        : { kind: "content", text },
    );
    weights.push(1);
  });
  return { pieces, weights };
}

interface CommonChecks {
  model: CatalogModel;
  think: Exclude<OllamaThink, false> | undefined;
  numPredict: number;
  stop: string[];
  numCtx: number;
  optionSeed: number | undefined;
}

export function prepareChat(ctx: SimContext, req: ChatIn): Prepared {
  if (req.top_logprobs !== undefined && (req.top_logprobs < 0 || req.top_logprobs > 20)) {
    return { failure: { status: 400, message: "top_logprobs must be between 0 and 20" } };
  }
  const model = resolveModel(ctx, req.model, "chat");
  if (isFailure(model)) return { failure: model };
  if (req.messages.length === 0 && req.keep_alive === 0) return { unload: model };
  const think = resolveThink(model, req.think, req.model);
  if ("status" in think) return { failure: think };
  if (!hasCapability(model, "completion")) {
    return { failure: { status: 400, message: `${JSON.stringify(req.model)} does not support chat` } };
  }
  const tools = req.tools ?? [];
  if (tools.length > 0 && !hasCapability(model, "tools")) {
    return { failure: { status: 400, message: `${model.full} does not support tools` } };
  }
  const checks = commonChecks(model, think.think, req.options);
  if ("status" in checks) return { failure: checks };

  const lastUser = [...req.messages].reverse().find((m) => m.role === "user")?.content ?? "";
  let promptChars = tools.length > 0 ? JSON.stringify(tools).length : 0;
  let seedText = model.display;
  for (const m of req.messages) {
    promptChars += m.content.length + (m.thinking?.length ?? 0);
    if (m.tool_calls) promptChars += JSON.stringify(m.tool_calls).length;
    seedText += `\u0000${m.role}\u0001${m.content}`;
  }
  const toolIndex = toolToCall(req.messages, tools.length);
  const callTool: OllamaTool | undefined = toolIndex === undefined ? undefined : tools[toolIndex];
  return {
    job: makeJob(ctx, "chat", req, checks, {
      loadOnly: req.messages.length === 0,
      promptChars,
      seedText,
      userText: lastUser,
      callTool,
      hadTools: tools.length > 0,
      withContext: false,
    }),
  };
}

export function prepareGenerate(ctx: SimContext, req: GenerateIn): Prepared {
  if (req.top_logprobs !== undefined && (req.top_logprobs < 0 || req.top_logprobs > 20)) {
    return { failure: { status: 400, message: "top_logprobs must be between 0 and 20" } };
  }
  const model = resolveModel(ctx, req.model, "generate");
  if (isFailure(model)) return { failure: model };
  if (req.prompt === "" && req.keep_alive === 0) return { unload: model };
  if (req.raw && (req.template || req.system || (req.context?.length ?? 0) > 0)) {
    return { failure: { status: 400, message: "raw mode does not support template, system, or context" } };
  }
  const think = resolveThink(model, req.think, req.model);
  if ("status" in think) return { failure: think };
  if (!hasCapability(model, "completion")) {
    return { failure: { status: 400, message: `${JSON.stringify(req.model)} does not support generate` } };
  }
  if (req.suffix && !hasCapability(model, "insert")) {
    return { failure: { status: 400, message: `${model.full} does not support insert` } };
  }
  const checks = commonChecks(model, think.think, req.options);
  if ("status" in checks) return { failure: checks };
  const promptChars = req.prompt.length + (req.system?.length ?? 0) + (req.suffix?.length ?? 0);
  return {
    job: makeJob(ctx, "generate", req, checks, {
      loadOnly: req.prompt === "",
      promptChars,
      seedText: `${model.display}\u0000${req.system ?? ""}\u0001${req.prompt}\u0002${req.suffix ?? ""}`,
      userText: req.prompt,
      callTool: undefined,
      hadTools: false,
      withContext: !req.raw,
    }),
  };
}

/** Options are checked after capabilities, as in scheduleRunner; a wrong type is a 500. */
function commonChecks(
  model: CatalogModel,
  think: Exclude<OllamaThink, false> | undefined,
  options: Record<string, unknown> | undefined,
): CommonChecks | Failure {
  const checked = checkOptions(options);
  if ("error" in checked) return { status: 500, message: checked.error };
  const o = checked.value;
  return {
    model,
    think,
    numPredict: o.numPredict,
    stop: o.stop,
    numCtx: Math.min(o.numCtx ?? DEFAULT_NUM_CTX, model.contextLength),
    optionSeed: o.seed,
  };
}

interface JobText {
  loadOnly: boolean;
  promptChars: number;
  seedText: string;
  userText: string;
  callTool: OllamaTool | undefined;
  hadTools: boolean;
  withContext: boolean;
}

function makeJob(
  ctx: SimContext,
  endpoint: Endpoint,
  req: ChatIn | GenerateIn,
  checks: CommonChecks,
  text: JobText,
): Job {
  const { format, error } = parseFormat(req.format);
  const textSeed = hash32(text.seedText, (ctx.options.seed ^ (checks.optionSeed ?? 0)) >>> 0);
  const plan = buildPlan({
    promptChars: text.promptChars,
    textSeed,
    userText: text.userText,
    directives: parseDirectives(text.userText),
    think: checks.think,
    format,
    callTool: text.callTool,
    numPredict: checks.numPredict,
    stop: checks.stop,
    faults: drawFaults(ctx),
  });
  const { pieces, weights } = piecesOf(plan, req.logprobs === true, req.top_logprobs ?? 0, textSeed);
  return {
    endpoint,
    requestModel: req.model,
    model: checks.model,
    stream: req.stream !== false,
    keepAliveMs: req.keep_alive ?? ctx.defaultKeepAliveMs,
    numCtx: checks.numCtx,
    loadOnly: text.loadOnly,
    formatError: error,
    plan,
    pieces,
    weights,
    hadTools: text.hadTools,
    withContext: text.withContext,
    textSeed,
  };
}
