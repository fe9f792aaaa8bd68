// The chat playground: streams replies through the gateway's own /v1/chat/completions and times each one.

import "./styles.css";
import type { StatusData } from "../../src/dashboard/api-types.js";
import { playgroundModels } from "../../src/dashboard/playground-models.js";
import { AuthError, askForKey, errorMessage, getJson, send } from "./lib/api.js";
import { byId, fill, h } from "./lib/dom.js";
import * as f from "./lib/format.js";

interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

/** An OpenAI chat.completion.chunk, as far as the playground reads it. */
interface Chunk {
  choices?: {
    delta?: { content?: string | null; reasoning?: string | null; reasoning_content?: string | null };
  }[];
  usage?: { prompt_tokens: number; completion_tokens: number } | null;
  error?: { message?: string; code?: string };
}

const MODEL_KEY = "llmgate.playground.model";

const history: ChatMessage[] = [];
let running: AbortController | undefined;

const modelSelect = byId<HTMLSelectElement>("model");
const input = byId<HTMLTextAreaElement>("input");
const sendButton = byId<HTMLButtonElement>("send");
const messages = byId("messages");

async function loadModels(): Promise<void> {
  try {
    const list = await getJson<{ data: { id: string }[] }>("../v1/models");
    const { ids, selected } = playgroundModels(
      list.data.map((m) => m.id),
      localStorage.getItem(MODEL_KEY),
    );
    fill(
      modelSelect,
      ...(ids.length === 0 ? [h("option", { value: "" }, "no models: pull one with ollama pull")] : []),
      ...ids.map((id) => h("option", { value: id, selected: id === selected }, id)),
    );
    modelSelect.dataset.loaded = String(ids.length);
  } catch (err) {
    if (err instanceof AuthError) {
      await askForKey(err.message);
      return loadModels();
    }
    fill(modelSelect, h("option", { value: "" }, "models unavailable"));
    showError(messages, `Could not list models: ${err instanceof Error ? err.message : String(err)}`);
  }
}

async function loadStatus(): Promise<void> {
  const pill = byId("status-pill");
  try {
    const s = await getJson<StatusData>("../status.json");
    pill.dataset.state = s.upstream.up ? "up" : "down";
    fill(
      pill,
      h("i", { class: "dot" }),
      s.upstream.up
        ? s.typical_response_s === null
          ? "upstream up"
          : `current response ≈ ${f.seconds(s.typical_response_s)}`
        : "upstream down",
    );
  } catch {
    pill.dataset.state = "unknown";
  }
}

function showError(parent: HTMLElement, message: string): void {
  parent.append(h("div", { class: "msg-error", role: "alert" }, message));
  parent.scrollTop = parent.scrollHeight;
}

function chip(label: string, value: string, attrs: Record<string, string | number> = {}): HTMLElement {
  return h("span", { class: "chip", ...attrs }, label, h("b", {}, value));
}

/** One reply: sends the conversation, reads the SSE stream, and records when its tokens arrived. */
async function ask(text: string): Promise<void> {
  const model = modelSelect.value;
  if (!model) {
    modelSelect.focus();
    return;
  }
  localStorage.setItem(MODEL_KEY, model);
  byId("chat-empty").hidden = true;
  history.push({ role: "user", content: text });
  messages.append(h("div", { class: "msg user" }, h("div", { class: "msg-body" }, text)));

  const body = h("div", { class: "msg-body" });
  const reasoning = h("pre", {});
  const thinking = h("details", { hidden: true }, h("summary", {}, "Thinking"), reasoning);
  const timings = h("div", { class: "timings" });
  const reply = h(
    "div",
    { class: "msg assistant", "data-state": "streaming" },
    h("div", { class: "msg-model" }, model),
    thinking,
    body,
    timings,
  );
  messages.append(reply);
  messages.scrollTop = messages.scrollHeight;

  const system = byId<HTMLTextAreaElement>("system").value.trim();
  const maxTokens = Number(byId<HTMLInputElement>("max-tokens").value);
  const controller = new AbortController();
  running = controller;
  setRunning(true);

  const t0 = performance.now();
  // Two "first token" moments: any output (reasoning included, the gateway's time_to_first_token_seconds), and
  // the first answer text (what a user of a thinking model waits for before the reply bubble fills).
  let first: number | undefined;
  let firstAnswer: number | undefined;
  let last: number | undefined;
  let content = "";
  let deltas = 0;
  let usage: Chunk["usage"];
  let failure: string | undefined;
  let requestId: string | null = null;
  try {
    const res = await send("../v1/chat/completions", {
      method: "POST",
      signal: controller.signal,
      headers: { "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify({
        model,
        messages: [...(system ? [{ role: "system", content: system }] : []), ...history],
        stream: true,
        stream_options: { include_usage: true },
        ...(maxTokens > 0 ? { max_tokens: Math.floor(maxTokens) } : {}),
      }),
    });
    requestId = res.headers.get("x-request-id");
    if (!res.ok || !res.body) throw new Error(await errorMessage(res));
    for await (const event of sseEvents(res.body)) {
      if (event === "[DONE]") break;
      const chunk = JSON.parse(event) as Chunk;
      if (chunk.error) {
        failure = chunk.error.message ?? "the stream failed";
        break;
      }
      if (chunk.usage) usage = chunk.usage;
      const delta = chunk.choices?.[0]?.delta;
      const think = delta?.reasoning ?? delta?.reasoning_content ?? "";
      const piece = delta?.content ?? "";
      if (think === "" && piece === "") continue;
      const now = performance.now();
      first ??= now;
      last = now;
      deltas++;
      if (think) {
        thinking.hidden = false;
        reasoning.textContent += think;
      }
      if (piece) {
        firstAnswer ??= now;
        content += piece;
        body.textContent = content;
      }
      messages.scrollTop = messages.scrollHeight;
    }
  } catch (err) {
    if (err instanceof AuthError) {
      reply.remove();
      history.pop();
      setRunning(false);
      await askForKey(err.message);
      return ask(text);
    }
    failure = controller.signal.aborted ? "stopped" : err instanceof Error ? err.message : String(err);
  } finally {
    running = undefined;
    setRunning(false);
  }
  const end = performance.now();
  reply.dataset.state = failure ? "failed" : "done";
  if (content === "" && !failure) body.textContent = "(no text)";
  if (content !== "") history.push({ role: "assistant", content });
  if (failure && failure !== "stopped")
    reply.append(h("div", { class: "msg-error", role: "alert" }, failure));

  // Tokens per second over the stream as this browser saw it: tokens after the first, over the time
  // between the first and the last (the gateway's time per output token, inverted).
  const tokens = usage?.completion_tokens ?? deltas;
  const tps =
    first !== undefined && last !== undefined && last > first && tokens > 1
      ? (tokens - 1) / ((last - first) / 1000)
      : null;
  const ttftMs = first === undefined ? null : first - t0;
  const answerMs = firstAnswer === undefined ? null : firstAnswer - t0;
  reply.dataset.ttftMs = ttftMs === null ? "" : String(ttftMs);
  reply.dataset.firstAnswerMs = answerMs === null ? "" : String(answerMs);
  reply.dataset.tokensPerS = tps === null ? "" : String(tps);
  reply.dataset.totalMs = String(end - t0);
  reply.dataset.tokens = String(tokens);
  fill(
    timings,
    chip("first token", f.millis(ttftMs), {
      "data-timing": "ttft",
      title:
        "time to first token, reasoning included: what the gateway's time_to_first_token_seconds measures",
    }),
    chip("first answer token", f.millis(answerMs), {
      "data-timing": "first-answer",
      title: "time until the first token of the answer itself, after any reasoning",
    }),
    chip("speed", tps === null ? "–" : `${tps.toFixed(1)} tok/s`, { "data-timing": "tps" }),
    chip("total", f.millis(end - t0), { "data-timing": "total" }),
    chip(
      "tokens",
      usage ? `${f.int(usage.prompt_tokens)} → ${f.int(usage.completion_tokens)}` : f.int(tokens),
      {
        "data-timing": "tokens",
      },
    ),
    requestId ? h("span", { class: "chip mono", title: "x-request-id" }, requestId.slice(0, 8)) : null,
  );
  messages.scrollTop = messages.scrollHeight;
  void loadStatus();
}

/** The data of each server-sent event (WHATWG HTML, "Server-sent events"), for LF, CR and CRLF line ends. */
async function* sseEvents(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let data: string[] = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    const lines = buffer.split(/\r\n|\r|\n/);
    buffer = lines.pop() ?? "";
    for (const line of lines) {
      if (line === "") {
        if (data.length > 0) yield data.join("\n");
        data = [];
      } else if (line.startsWith("data:")) data.push(line.slice(line.startsWith("data: ") ? 6 : 5));
    }
  }
  if (data.length > 0) yield data.join("\n");
}

function setRunning(on: boolean): void {
  sendButton.textContent = on ? "Stop" : "Send";
  sendButton.classList.toggle("stop", on);
  sendButton.type = on ? "button" : "submit";
}

function main(): void {
  byId<HTMLFormElement>("composer").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text || running) return;
    input.value = "";
    void ask(text);
  });
  sendButton.addEventListener("click", () => {
    if (running) running.abort();
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      byId<HTMLFormElement>("composer").requestSubmit();
    }
  });
  byId("clear").addEventListener("click", () => {
    running?.abort();
    history.length = 0;
    fill(messages, byId("chat-empty"));
    byId("chat-empty").hidden = false;
  });
  // Room for the options beside the chat on a large screen; folded away on a phone.
  if (window.matchMedia("(min-width: 721px)").matches) byId<HTMLDetailsElement>("options").open = true;
  void loadModels();
  void loadStatus();
  window.setInterval(() => void loadStatus(), 15_000);
}

main();
