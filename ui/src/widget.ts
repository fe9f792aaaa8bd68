// The embeddable status widget: <script src="https://gateway/widget.js" async></script> shows "current response ≈ N s".
//
// It reads the gateway's /status.json from the page's origin, so the gateway must list that origin in
// cors-origin; when the browser refuses the read, the widget stays hidden and says why in the console.
// Options, as data- attributes on the script tag: data-lang ("en", "zh"; default: the page's language),
// data-target (a CSS selector to render into; default: right after the script), data-refresh (seconds,
// at least 5; default 15), data-label (a text with {s} for the seconds, e.g. "≈ {s} s to first word").

import type { StatusData } from "../../src/dashboard/api-types.js";

type Lang = "en" | "zh";

const TEXT: Record<Lang, { typical: (s: string) => string; idle: string; down: string; unit: string }> = {
  en: {
    typical: (s) => `current response ≈ ${s} s`,
    idle: "ready · no recent requests",
    down: "service unavailable",
    unit: "s",
  },
  zh: {
    typical: (s) => `当前响应约${s}秒`,
    idle: "空闲 · 暂无请求",
    down: "服务暂不可用",
    unit: "秒",
  },
};

const STYLE = `
:host { all: initial; display: inline-block; }
:host([hidden]) { display: none; }
.w { display: inline-flex; align-items: center; gap: 7px; padding: 4px 11px 4px 9px; border-radius: 999px;
  font: 500 13px/1.3 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK SC", sans-serif;
  color: #1f2937; background: #f3f4f6; border: 1px solid #e5e7eb; white-space: nowrap; }
.d { width: 8px; height: 8px; border-radius: 50%; background: #10b981; box-shadow: 0 0 0 3px rgb(16 185 129 / 0.2); }
.w[data-state="degraded"] .d { background: #f59e0b; box-shadow: 0 0 0 3px rgb(245 158 11 / 0.2); }
.w[data-state="down"] .d { background: #ef4444; box-shadow: 0 0 0 3px rgb(239 68 68 / 0.2); }
.w[data-state="idle"] .d { background: #9ca3af; box-shadow: none; }
@media (prefers-color-scheme: dark) {
  .w { color: #e5e7eb; background: #1f2937; border-color: #374151; }
}`;

function language(script: HTMLScriptElement | null): Lang {
  const given = script?.dataset.lang ?? document.documentElement.lang ?? navigator.language;
  return /^zh\b/i.test(given || navigator.language) ? "zh" : "en";
}

/** 0.35, 1.2, 14: two significant digits below ten seconds. */
function seconds(v: number): string {
  return v < 1 ? v.toFixed(2) : v < 10 ? v.toFixed(1) : v.toFixed(0);
}

function start(): void {
  const script = document.currentScript as HTMLScriptElement | null;
  const src = script?.src ?? "";
  if (!src) return;
  const statusUrl = new URL("status.json", src).href;
  const lang = language(script);
  const text = TEXT[lang];
  const label = script?.dataset.label;
  const refreshS = Math.max(5, Number(script?.dataset.refresh) || 15);

  const host = document.createElement("span");
  host.setAttribute("data-llmgate-widget", "");
  host.hidden = true;
  const root = host.attachShadow({ mode: "open" });
  const style = document.createElement("style");
  style.textContent = STYLE;
  const box = document.createElement("span");
  box.className = "w";
  box.setAttribute("role", "status");
  const dot = document.createElement("span");
  dot.className = "d";
  const words = document.createElement("span");
  box.append(dot, words);
  root.append(style, box);

  const target = script?.dataset.target ? document.querySelector(script.dataset.target) : null;
  if (target) target.append(host);
  else if (script?.parentNode) script.parentNode.insertBefore(host, script.nextSibling);
  else document.body.append(host);

  const show = (state: string, message: string, value?: number) => {
    host.hidden = false;
    host.dataset.state = state;
    if (value === undefined) delete host.dataset.seconds;
    else host.dataset.seconds = String(value);
    box.dataset.state = state;
    words.textContent = message;
  };

  const update = async () => {
    try {
      const res = await fetch(statusUrl, { mode: "cors", credentials: "omit", cache: "no-store" });
      if (!res.ok) throw new Error(`${statusUrl} answered ${res.status}`);
      const s = (await res.json()) as StatusData;
      if (s.status === "down") show("down", text.down);
      else if (s.typical_response_s === null) show("idle", text.idle);
      else {
        const n = seconds(s.typical_response_s);
        show(s.status, label ? label.replaceAll("{s}", n) : text.typical(n), s.typical_response_s);
      }
    } catch (err) {
      // A refused CORS read looks like a network error from here; the console says what to check.
      host.hidden = true;
      host.dataset.state = "unavailable";
      console.warn(
        `llmgate widget: cannot read ${statusUrl} (${err instanceof Error ? err.message : String(err)}). ` +
          `If the gateway is up, add this page's origin (${location.origin}) to its cors-origin.`,
      );
    }
  };
  void update();
  window.setInterval(() => void update(), refreshS * 1000);
}

start();
