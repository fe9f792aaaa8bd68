// Ollama's request structs (api.ChatRequest, GenerateRequest, EmbedRequest, …) as Go decodes them, plus `options` checking.

import type { OllamaThink, OllamaTool, OllamaToolCall } from "../../ollama/types.js";
import {
  decodeGo,
  type GoStruct,
  type GoType,
  goAny,
  goBool,
  goInt,
  goOptions,
  goString,
} from "./go-decode.js";
import { decodeKeepAlive, type KeepAliveMs } from "./go-duration.js";

const THINK_CHOICES = '("high", "medium", "low", "max", true, or false)';

/** `api.ThinkValue.UnmarshalJSON`. */
function decodeThink(value: unknown): { value: OllamaThink } | { error: string } {
  if (typeof value === "boolean") return { value };
  if (typeof value === "string") {
    if (value === "high" || value === "medium" || value === "low" || value === "max") return { value };
    return { error: `invalid think value: ${JSON.stringify(value)} (must be ${THINK_CHOICES.slice(1, -1)})` };
  }
  return { error: `think must be a boolean or string ${THINK_CHOICES}` };
}

const keepAlive: GoType = { t: "custom", decode: decodeKeepAlive };
const think: GoType = { t: "custom", decode: decodeThink };
const images: GoType = { t: "slice", go: "[]api.ImageData", elem: { t: "string", go: "api.ImageData" } };

const toolCall: GoType = {
  t: "struct",
  go: "api.ToolCall",
  name: "ToolCall",
  fields: {
    id: goString,
    function: {
      t: "struct",
      go: "api.ToolCallFunction",
      name: "ToolCallFunction",
      fields: { index: goInt, name: goString, arguments: { t: "map", go: "api.ToolCallFunctionArguments" } },
    },
  },
};

const message: GoType = {
  t: "struct",
  go: "api.Message",
  name: "Message",
  fields: {
    role: goString,
    content: goString,
    thinking: goString,
    images,
    tool_calls: { t: "slice", go: "[]api.ToolCall", elem: toolCall },
    tool_name: goString,
    tool_call_id: goString,
  },
};

const tool: GoType = {
  t: "struct",
  go: "api.Tool",
  name: "Tool",
  fields: {
    type: goString,
    function: {
      t: "struct",
      go: "api.ToolFunction",
      name: "ToolFunction",
      fields: {
        name: goString,
        description: goString,
        parameters: { t: "map", go: "api.ToolFunctionParameters" },
      },
    },
  },
};

const CHAT: GoStruct = {
  t: "struct",
  go: "api.ChatRequest",
  name: "ChatRequest",
  fields: {
    model: goString,
    messages: { t: "slice", go: "[]api.Message", elem: message },
    stream: goBool,
    format: goAny,
    keep_alive: keepAlive,
    tools: { t: "slice", go: "api.Tools", elem: tool },
    options: goOptions,
    think,
    truncate: goBool,
    shift: goBool,
    logprobs: goBool,
    top_logprobs: goInt,
  },
};

const GENERATE: GoStruct = {
  t: "struct",
  go: "api.GenerateRequest",
  name: "GenerateRequest",
  fields: {
    model: goString,
    prompt: goString,
    suffix: goString,
    system: goString,
    template: goString,
    context: { t: "slice", go: "[]int", elem: goInt },
    stream: goBool,
    raw: goBool,
    format: goAny,
    keep_alive: keepAlive,
    images,
    options: goOptions,
    think,
    truncate: goBool,
    shift: goBool,
    logprobs: goBool,
    top_logprobs: goInt,
  },
};

const EMBED: GoStruct = {
  t: "struct",
  go: "api.EmbedRequest",
  name: "EmbedRequest",
  fields: {
    model: goString,
    input: goAny,
    truncate: goBool,
    dimensions: goInt,
    keep_alive: keepAlive,
    options: goOptions,
  },
};

const EMBEDDINGS: GoStruct = {
  t: "struct",
  go: "api.EmbeddingRequest",
  name: "EmbeddingRequest",
  fields: { model: goString, prompt: goString, keep_alive: keepAlive, options: goOptions },
};

const SHOW: GoStruct = {
  t: "struct",
  go: "api.ShowRequest",
  name: "ShowRequest",
  fields: {
    model: goString,
    system: goString,
    template: goString,
    verbose: goBool,
    options: goOptions,
    name: goString,
  },
};

export interface MessageIn {
  role: string;
  content: string;
  thinking?: string;
  images?: string[];
  tool_calls?: OllamaToolCall[];
  tool_name?: string;
  tool_call_id?: string;
}

interface Common {
  model: string;
  stream?: boolean;
  /** The raw `format` value: "json", a schema object, or anything else (rejected when the request runs). */
  format?: unknown;
  keep_alive?: KeepAliveMs;
  options?: Record<string, unknown>;
  think?: OllamaThink;
  logprobs?: boolean;
  top_logprobs?: number;
}

export interface ChatIn extends Common {
  messages: MessageIn[];
  tools?: OllamaTool[];
}

export interface GenerateIn extends Common {
  prompt: string;
  suffix?: string;
  system?: string;
  template?: string;
  context?: number[];
  raw?: boolean;
  images?: string[];
}

export interface EmbedIn {
  model: string;
  input?: unknown;
  truncate?: boolean;
  dimensions?: number;
  keep_alive?: KeepAliveMs;
  options?: Record<string, unknown>;
}

export interface EmbeddingsIn {
  model: string;
  prompt: string;
  keep_alive?: KeepAliveMs;
  options?: Record<string, unknown>;
}

export interface ShowIn {
  model: string;
  name: string;
  verbose?: boolean;
}

type Decoded<T> = { value: T } | { error: string };

/** Go's base64 decoding of `ImageData`: the first bad byte is reported as Go does. */
function checkBase64(images: readonly string[] | undefined): string | undefined {
  for (const image of images ?? []) {
    const bad = image.search(/[^A-Za-z0-9+/=]|=[^=]/);
    if (bad >= 0) return `illegal base64 data at input byte ${image[bad] === "=" ? bad + 1 : bad}`;
    if (image.length % 4 !== 0)
      return `illegal base64 data at input byte ${image.length - (image.length % 4)}`;
  }
  return undefined;
}

export function decodeChat(body: unknown): Decoded<ChatIn> {
  const decoded = decodeGo(body, CHAT);
  if ("error" in decoded) return decoded;
  const raw = decoded.value as Partial<ChatIn>;
  const messages = (raw.messages ?? []).map((m) => {
    const msg = (m ?? {}) as Partial<MessageIn>;
    return { ...msg, role: (msg.role ?? "").toLowerCase(), content: msg.content ?? "" };
  });
  for (const m of messages) {
    const bad = checkBase64(m.images);
    if (bad !== undefined) return { error: bad };
  }
  return { value: { ...raw, model: raw.model ?? "", messages } };
}

export function decodeGenerate(body: unknown): Decoded<GenerateIn> {
  const decoded = decodeGo(body, GENERATE);
  if ("error" in decoded) return decoded;
  const raw = decoded.value as Partial<GenerateIn>;
  const bad = checkBase64(raw.images);
  if (bad !== undefined) return { error: bad };
  return { value: { ...raw, model: raw.model ?? "", prompt: raw.prompt ?? "" } };
}

export function decodeEmbed(body: unknown): Decoded<EmbedIn> {
  const decoded = decodeGo(body, EMBED);
  if ("error" in decoded) return decoded;
  const raw = decoded.value as Partial<EmbedIn>;
  return { value: { ...raw, model: raw.model ?? "" } };
}

export function decodeEmbeddings(body: unknown): Decoded<EmbeddingsIn> {
  const decoded = decodeGo(body, EMBEDDINGS);
  if ("error" in decoded) return decoded;
  const raw = decoded.value as Partial<EmbeddingsIn>;
  return { value: { ...raw, model: raw.model ?? "", prompt: raw.prompt ?? "" } };
}

export function decodeShow(body: unknown): Decoded<ShowIn> {
  const decoded = decodeGo(body, SHOW);
  if ("error" in decoded) return decoded;
  const raw = decoded.value as Partial<ShowIn>;
  return { value: { ...raw, model: raw.model ?? "", name: raw.name ?? "" } };
}
