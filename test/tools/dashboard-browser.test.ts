// The dashboard, playground and widget in a real browser (Debian's Chromium) against `serve` + `simulate`, with screenshots.

import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { StatusData } from "../../src/dashboard/api-types.js";
import { histogramQuantile } from "../../src/dashboard/histogram-quantile.js";
import { artifact, launchChromium, newContext } from "../helpers/browser.js";
import { type CliProcess, runCli } from "../helpers/cli.js";
import { Scrape } from "../helpers/scrape.js";

const MODELS = ["qwen3:32b", "llama3.2:3b"];
const OPS_KEY = "ops-secret-0001";
const APP_KEY = "app-secret-0002";

const processes: CliProcess[] = [];
const servers: Server[] = [];
let browser: Browser;
let sim: string;
/** The open gateway (no keys) whose cors-origin lists `allowedOrigin`. */
let open: string;
/** The gateway with API keys; only "ops" is an admin key. */
let keyed: string;
let allowedOrigin: string;
let refusedOrigin: string;

function start(args: string[]): CliProcess {
  const p = runCli(args);
  processes.push(p);
  return p;
}

async function urlOf(p: CliProcess, prefix: string): Promise<string> {
  const line = await p.waitForLog((l) => typeof l.msg === "string" && l.msg.startsWith(prefix), 20_000);
  return line.url as string;
}

/** A second web server on another port: another origin, embedding the widget of the open gateway. */
async function pageServer(html: (origin: string) => string): Promise<string> {
  const server = createServer((_req, res) => {
    const address = server.address() as AddressInfo;
    const body = html(`http://127.0.0.1:${address.port}`);
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(body);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const widgetPage = () => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Chat</title>
<style>body{font:15px system-ui,sans-serif;margin:40px;color:#222}.bar{display:flex;gap:16px;align-items:center}</style></head>
<body><h1>Some chat frontend</h1>
<div class="bar">English: <script src="${open}/widget.js"></script></div>
<p class="bar">中文: <script src="${open}/widget.js" data-lang="zh"></script></p>
</body></html>`;

async function chat(
  base: string,
  content: string,
  model = MODELS[0] as string,
  stream = true,
): Promise<number> {
  const res = await fetch(`${base}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model, messages: [{ role: "user", content }], stream }),
  });
  await res.text();
  return res.status;
}

/** A few seconds of mixed traffic: streams and not, two models, a failure before and one after HTTP 200. */
async function traffic(base: string, seconds: number): Promise<void> {
  const end = Date.now() + seconds * 1000;
  let i = 0;
  const worker = async (w: number) => {
    while (Date.now() < end) {
      const n = i++;
      const model = MODELS[n % 3 === 0 ? 1 : 0] as string;
      await chat(
        base,
        `request ${n} from worker ${w} [sim:tokens=${15 + ((n * 7) % 40)}]`,
        model,
        n % 4 !== 3,
      );
      await new Promise((r) => setTimeout(r, 80 + ((n * 37) % 200)));
    }
  };
  await Promise.all([0, 1, 2, 3].map(worker));
  expect(await chat(base, "this one fails [sim:fail]")).toBe(502);
  expect(await chat(base, "this one fails late [sim:midstream-fail]")).toBe(200);
}

/** histogram_quantile over every series of a histogram in a scrape. */
function scrapeQuantile(scrape: Scrape, name: string, q: number): number | null {
  const byLe = new Map<string, number>();
  for (const s of scrape.series(`${name}_bucket`)) {
    const le = s.labels.le as string;
    byLe.set(le, (byLe.get(le) ?? 0) + s.value);
  }
  const bounds = [...byLe.keys()]
    .filter((le) => le !== "+Inf")
    .map(Number)
    .sort((a, b) => a - b);
  const cumulative = [...bounds.map((b) => byLe.get(String(b)) ?? 0), byLe.get("+Inf") ?? 0];
  return histogramQuantile(
    q,
    bounds,
    cumulative.map((c, i) => c - (i === 0 ? 0 : (cumulative[i - 1] as number))),
  );
}

async function readValue(page: Page, selector: string): Promise<number> {
  const text = await page.locator(selector).first().getAttribute("data-value");
  return text === null || text === "" ? Number.NaN : Number(text);
}

beforeAll(async () => {
  allowedOrigin = await pageServer(widgetPage);
  refusedOrigin = await pageServer(widgetPage);
  const simulator = start([
    "simulate",
    "--listen",
    "127.0.0.1:0",
    ...MODELS.flatMap((m) => ["--model", m]),
    "--decode-tps",
    "90",
    "--prefill-tps",
    "3000",
    "--load-ms",
    "300",
    "--parallel",
    "3",
  ]);
  sim = await urlOf(simulator, "simulator listening");
  const common = [
    "--upstream",
    sim,
    "--listen",
    "127.0.0.1:0",
    "--poll-interval",
    "1s",
    "--log-level",
    "warn",
  ];
  const [a, b] = [
    start(["serve", ...common, "--cors-origin", allowedOrigin, "--log-level", "info"]),
    start([
      "serve",
      ...common,
      "--log-level",
      "info",
      "--api-key",
      `ops=${OPS_KEY}`,
      "--api-key",
      `app=${APP_KEY}`,
      "--admin-key",
      "ops",
    ]),
  ];
  [open, keyed] = await Promise.all([
    urlOf(a as CliProcess, "llmgate listening"),
    urlOf(b as CliProcess, "llmgate listening"),
  ]);
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  for (const p of processes) if (p.child.exitCode === null) p.child.kill("SIGTERM");
  await Promise.all(processes.map((p) => p.exited));
  for (const s of servers) s.close();
});

describe("dashboard", () => {
  test("fills its charts from live traffic, without reloading, and its numbers agree with /metrics", async () => {
    const context = await newContext(browser, "desktop", "light");
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${open}/`);
    expect(new URL(page.url()).pathname).toBe("/ui/");
    await page.locator("#connection[data-state=live]").waitFor();
    // A page with no traffic yet says how to send some.
    await expect.poll(() => page.locator("#notice").isVisible()).toBe(true);
    const firstGenerated = await page.locator("#main").getAttribute("data-generated-at");

    await traffic(open, 12);

    // The page polls every 2 s: once it has caught up with the last request, both sides are at rest.
    let scrape = await Scrape.from(open);
    await expect
      .poll(
        async () => {
          scrape = await Scrape.from(open);
          return (await readValue(page, "[data-value-of=requests]")) === scrape.sum("llmgate_requests_total");
        },
        { timeout: 15_000, interval: 500 },
      )
      .toBe(true);
    expect(await page.locator("#main").getAttribute("data-generated-at")).not.toBe(firstGenerated);
    expect(page.url()).toBe(`${open}/ui/`); // updated in place, never reloaded

    const fivexx = scrape
      .series("llmgate_requests_total")
      .reduce((n, s) => (s.labels.code?.startsWith("5") ? n + s.value : n), 0);
    expect(fivexx).toBeGreaterThan(0);
    expect(await readValue(page, "[data-value-of=errors5xx]")).toBe(fivexx);
    expect(await readValue(page, "[data-tile=errors] .tile-value")).toBeCloseTo(
      fivexx / scrape.sum("llmgate_requests_total"),
      9,
    );
    expect(await readValue(page, "[data-value-of=completionTokens]")).toBe(
      scrape.sum("llmgate_completion_tokens_total"),
    );
    expect(await readValue(page, "[data-value-of=streamsCompleted]")).toBe(
      scrape.sum("llmgate_streams_total", { outcome: "completed" }),
    );
    expect(await readValue(page, "[data-tile=streams] .tile-value")).toBe(
      scrape.sum("llmgate_streams_total") - scrape.sum("llmgate_streams_total", { outcome: "completed" }),
    );
    const quantiles: [string, string, number][] = [
      ["[data-tile=latency] .tile-value", "llmgate_request_duration_seconds", 0.5],
      ["[data-value-of=latencyP95]", "llmgate_request_duration_seconds", 0.95],
      ["[data-tile=ttft] .tile-value", "llmgate_time_to_first_token_seconds", 0.5],
      ["[data-value-of=ttftP95]", "llmgate_time_to_first_token_seconds", 0.95],
      ["[data-value-of=decodeP50]", "llmgate_decode_tokens_per_second", 0.5],
      ["[data-value-of=overheadP50]", "llmgate_gateway_overhead_seconds", 0.5],
    ];
    for (const [selector, metric, q] of quantiles)
      expect(await readValue(page, selector), selector).toBeCloseTo(
        scrapeQuantile(scrape, metric, q) as number,
        9,
      );
    // The rate tiles say the span their value is computed over, and the value is over that span: all the
    // traffic happened within the last minute, so rate × span gives back the totals.
    for (const [tile, label, total] of [
      ["rps", "Requests / s", scrape.sum("llmgate_requests_total")],
      ["tokens", "Output tokens / s", scrape.sum("llmgate_completion_tokens_total")],
    ] as const) {
      await expect
        .poll(
          async () => {
            const span = Number(
              await page.locator(`[data-tile=${tile}] .tile-span`).getAttribute("data-seconds"),
            );
            return Math.round((await readValue(page, `[data-tile=${tile}] .tile-value`)) * span);
          },
          { timeout: 10_000, interval: 250 },
        )
        .toBe(total);
      const span = Number(await page.locator(`[data-tile=${tile}] .tile-span`).getAttribute("data-seconds"));
      expect(span).toBeGreaterThan(0);
      expect(span).toBeLessThanOrEqual(60);
      expect(await page.locator(`[data-tile=${tile}] .tile-label`).textContent()).toBe(
        `${label} (last ${span === 60 ? "1 min" : `${span} s`})`,
      );
    }
    expect(await page.locator("[data-tile=rps] .tile-sub").textContent()).toMatch(
      /^[\d,]+ requests in 5 min$/,
    );
    expect(await page.locator("[data-tile=tokens] .tile-sub").textContent()).toMatch(
      /^[\d,]+ out in 5 min · decode P50 /,
    );
    // What is shown is what the data says, formatted.
    expect(await page.locator("[data-value-of=requests]").textContent()).toBe(
      scrape.sum("llmgate_requests_total").toLocaleString("en-US"),
    );

    // Every chart received data points.
    for (const chart of [
      "requests",
      "errors",
      "latency",
      "ttft",
      "tokens",
      "concurrency",
      "streams",
      "overhead",
      "process",
    ]) {
      const card = page.locator(`[data-chart=${chart}]`);
      expect(Number(await card.getAttribute("data-points")), chart).toBeGreaterThan(0);
      expect(await card.locator("canvas").count(), chart).toBe(1);
    }
    // The upstream, its models and what is loaded; the recent requests with the failures.
    await expect.poll(() => page.locator("[data-upstream=up]").count()).toBe(1);
    for (const model of MODELS) await page.locator(`.loaded [data-model="${model}"]`).waitFor();
    expect(await page.locator(".loaded .countdown").first().textContent()).toMatch(/^unloads in \d+:\d\d$/);
    expect(await page.locator("#recent tbody tr").count()).toBeGreaterThan(10);
    expect(await page.locator("#recent td.status.s5xx").count()).toBeGreaterThan(0);
    expect(await page.locator("#notice").isVisible()).toBe(false);
    expect(errors).toEqual([]);

    // The window selector asks for another window; the choice is remembered.
    await page.locator("[data-window='900']").click();
    await expect.poll(() => page.locator("[data-window='900']").getAttribute("aria-checked")).toBe("true");
    await page.locator("[data-window='300']").click();

    await page.screenshot({ path: artifact("dashboard", "dashboard-desktop-light.png"), fullPage: true });
    await context.close();

    for (const [viewport, scheme] of [
      ["desktop", "dark"],
      ["phone", "light"],
      ["phone", "dark"],
      ["wall", "dark"],
    ] as const) {
      const ctx = await newContext(browser, viewport, scheme);
      const p = await ctx.newPage();
      await p.goto(`${open}/ui/`);
      await p.locator("#connection[data-state=live]").waitFor();
      await expect
        .poll(async () => Number(await p.locator("[data-chart=requests]").getAttribute("data-points")))
        .toBeGreaterThan(0);
      await p.waitForTimeout(300); // let the charts draw after their first data
      await p.screenshot({
        path: artifact("dashboard", `dashboard-${viewport}-${scheme}.png`),
        fullPage: viewport !== "wall",
      });
      await ctx.close();
    }
  }, 120_000);
});

describe("playground", () => {
  test("streams a reply through /v1/chat/completions and shows its time to first token, speed and total", async () => {
    for (const [viewport, scheme] of [
      ["desktop", "light"],
      ["phone", "dark"],
    ] as const) {
      const context = await newContext(browser, viewport, scheme);
      const page = await context.newPage();
      await page.goto(`${open}/ui/playground`);
      await expect.poll(() => page.locator("#model option").count()).toBe(MODELS.length);
      await page.locator("#model").selectOption(MODELS[0] as string);
      await page.locator("#options").evaluate((d) => {
        (d as unknown as { open: boolean }).open = true;
      });
      await page.locator("#system").fill("You are terse.");
      await page.locator("#input").fill("Explain what a gateway does. [sim:tokens=60] [sim:think-tokens=8]");
      await page.locator("#input").press("Enter");
      const reply = page.locator(".msg.assistant").last();
      await reply.locator("xpath=self::*[@data-state='done']").waitFor({ timeout: 30_000 });
      const ttft = Number(await reply.getAttribute("data-ttft-ms"));
      const tps = Number(await reply.getAttribute("data-tokens-per-s"));
      const total = Number(await reply.getAttribute("data-total-ms"));
      expect(ttft).toBeGreaterThan(0);
      expect(total).toBeGreaterThan(ttft);
      expect(tps).toBeGreaterThan(0);
      expect(Number(await reply.getAttribute("data-tokens"))).toBeGreaterThanOrEqual(60);
      // Two first-token times: any output (reasoning included, like the gateway's TTFT), and the answer's.
      const firstAnswer = Number(await reply.getAttribute("data-first-answer-ms"));
      expect(firstAnswer).toBeGreaterThan(ttft); // 8 reasoning tokens came first
      expect(await reply.locator("[data-timing=ttft]").textContent()).toMatch(
        /^first token\d+(\.\d+)? (ms|s)$/,
      );
      expect(await reply.locator("[data-timing=first-answer]").textContent()).toMatch(
        /^first answer token\d+(\.\d+)? (ms|s)$/,
      );
      expect(await reply.locator("[data-timing=tps] b").textContent()).toMatch(/^\d+\.\d tok\/s$/);
      expect(await reply.locator("[data-timing=total] b").textContent()).toMatch(/^\d+(\.\d+)? (ms|s)$/);
      expect((await reply.locator(".msg-body").textContent())?.length).toBeGreaterThan(20);
      expect(await reply.locator("details").isVisible()).toBe(true); // the reasoning, folded
      // A second turn carries the conversation.
      await page.locator("#input").fill("And in one word? [sim:tokens=3] [sim:think-tokens=0]");
      await page.locator("#input").press("Enter");
      const second = page.locator(".msg.assistant[data-state=done]").nth(1);
      await second.waitFor({ timeout: 30_000 });
      // Without reasoning the first token is the answer's.
      expect(await second.getAttribute("data-first-answer-ms")).toBe(
        await second.getAttribute("data-ttft-ms"),
      );
      await page.screenshot({
        path: artifact("dashboard", `playground-${viewport}-${scheme}.png`),
        fullPage: false,
      });
      await context.close();
    }
  }, 90_000);
});

describe("widget", () => {
  test("renders 'current response ≈ N s' on an allowed origin, and is refused on another", async () => {
    const status = (await (await fetch(`${open}/status.json`)).json()) as StatusData;
    expect(status.typical_response_s).not.toBeNull();

    const context = await newContext(browser, "desktop", "light");
    const page = await context.newPage();
    await page.goto(`${allowedOrigin}/`);
    const widgets = page.locator("[data-llmgate-widget]");
    await expect
      .poll(() => widgets.evaluateAll((els) => els.map((e) => e.getAttribute("data-state"))))
      .toEqual(["ok", "ok"]);
    const texts = await widgets.evaluateAll((els) =>
      els.map((e) => e.shadowRoot?.querySelector("[role=status]")?.textContent ?? ""),
    );
    expect(texts[0]).toMatch(/^current response ≈ \d+(\.\d\d?)? s$/);
    expect(texts[1]).toMatch(/^当前响应约\d+(\.\d\d?)?秒$/);
    const shown = Number(await widgets.first().getAttribute("data-seconds"));
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(30);
    await page.setViewportSize({ width: 640, height: 240 });
    await page.screenshot({ path: artifact("dashboard", "widget-allowed-origin.png") });
    await context.close();

    const refusedContext = await newContext(browser, "desktop", "dark");
    const refused = await refusedContext.newPage();
    const warnings: string[] = [];
    refused.on("console", (m) => {
      if (m.type() === "warning") warnings.push(m.text());
    });
    await refused.goto(`${refusedOrigin}/`);
    const hidden = refused.locator("[data-llmgate-widget]");
    await expect
      .poll(() => hidden.evaluateAll((els) => els.map((e) => e.getAttribute("data-state"))))
      .toEqual(["unavailable", "unavailable"]);
    expect(await hidden.first().isVisible()).toBe(false);
    expect(warnings.some((w) => w.includes("cors-origin") && w.includes(refusedOrigin))).toBe(true);
    // The browser refused the read because the gateway did not allow this origin.
    const read = await refused.evaluate(async (url) => {
      try {
        await fetch(url);
        return "read";
      } catch {
        return "refused";
      }
    }, `${open}/status.json`);
    expect(read).toBe("refused");
    await refused.setViewportSize({ width: 640, height: 240 });
    await refused.screenshot({ path: artifact("dashboard", "widget-refused-origin.png") });
    await refusedContext.close();
  }, 60_000);
});

describe("access", () => {
  test("with API keys the pages show no data until an admin key is given, then remember it", async () => {
    const context = await newContext(browser, "desktop", "dark");
    const page = await context.newPage();
    const denied: number[] = [];
    page.on("response", (r) => {
      if (r.url().includes("/ui/api/") && r.status() >= 400) denied.push(r.status());
    });
    await page.goto(`${keyed}/`);
    const dialog = page.locator("#key-dialog");
    await dialog.locator("input").waitFor();
    expect(await dialog.evaluate((d) => (d as unknown as { open: boolean }).open)).toBe(true);
    expect(await page.locator("body.locked").count()).toBe(1);
    expect(await page.locator("[data-tile=rps] .tile-value").textContent()).toBe("–");
    expect(await page.locator("#recent tbody tr").count()).toBe(0);
    expect(denied).toContain(401);
    await page.screenshot({ path: artifact("dashboard", "dashboard-key-required.png") });

    // A key that may use the API but is not an admin key is refused too.
    await dialog.locator("input").fill(APP_KEY);
    await dialog.locator("button[type=submit]").click();
    await expect.poll(() => dialog.locator("[data-key-error]").textContent()).toContain("admin");
    expect(denied).toContain(403);
    expect(await dialog.evaluate((d) => (d as unknown as { open: boolean }).open)).toBe(true);

    await dialog.locator("input").fill(OPS_KEY);
    await dialog.locator("button[type=submit]").click();
    await page.locator("#connection[data-state=live]").waitFor();
    expect(await dialog.evaluate((d) => (d as unknown as { open: boolean }).open)).toBe(false);
    expect(await page.locator("body.locked").count()).toBe(0);
    expect(await page.locator("[data-value-of=requests]").count()).toBe(1);

    // Kept in localStorage: a reload, and the playground, need no second prompt.
    await page.reload();
    await page.locator("#connection[data-state=live]").waitFor();
    expect(await page.locator("#key-dialog[open]").count()).toBe(0);
    await page.goto(`${keyed}/ui/playground`);
    await expect.poll(() => page.locator("#model option").count()).toBe(MODELS.length);
    await context.close();

    // The playground without a key asks for one before it can list the models.
    const fresh = await newContext(browser, "phone", "light");
    const playground = await fresh.newPage();
    await playground.goto(`${keyed}/ui/playground`);
    await playground.locator("#key-dialog input").waitFor();
    expect(await playground.locator("#model option").first().textContent()).toBe("loading…");
    await fresh.close();
  }, 60_000);
});
