// The dashboard over real sockets: routes, assets and caching, keys, CORS on /status.json, --no-ui, and the config keys.

import { execFileSync } from "node:child_process";
import { afterEach, describe, expect, test } from "vitest";
import { parseApiKey } from "../src/auth/api-keys.js";
import { loadServeConfig } from "../src/config/serve-config.js";
import type { DashboardData, StatusData } from "../src/dashboard/api-types.js";
import { CLI, type CliProcess, runCli } from "./helpers/cli.js";
import { freePort } from "./helpers/ports.js";
import { Scrape } from "./helpers/scrape.js";
import { type Stack, startStack } from "./helpers/stack.js";

const stacks: Stack[] = [];
const clis: CliProcess[] = [];
afterEach(async () => {
  for (const s of stacks.splice(0)) await s.close();
  for (const p of clis.splice(0)) if (p.child.exitCode === null) p.child.kill("SIGKILL");
});

async function stack(options: Parameters<typeof startStack>[0] = {}): Promise<Stack> {
  const s = await startStack(options);
  stacks.push(s);
  return s;
}

const HTML = { accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8" };

function keys(...specs: string[]) {
  return specs.map((spec) => {
    const key = parseApiKey(spec);
    if (typeof key === "string") throw new Error(key);
    return key;
  });
}

function chat(url: string, content: string, headers: Record<string, string> = {}) {
  return fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ model: "qwen3:32b", messages: [{ role: "user", content }], stream: true }),
  });
}

describe("pages and assets", () => {
  test("a browser at / is sent to the dashboard; Ollama clients still get Ollama's answer", async () => {
    const { gateway } = await stack();
    const browser = await fetch(`${gateway.url}/`, { headers: HTML, redirect: "manual" });
    expect(browser.status).toBe(302);
    expect(browser.headers.get("location")).toBe("ui/");
    const ollama = await fetch(`${gateway.url}/`);
    expect(ollama.status).toBe(200);
    expect(await ollama.text()).toBe("Ollama is running");
    const head = await fetch(`${gateway.url}/`, { method: "HEAD", headers: HTML });
    expect(head.status).toBe(200);
    const bare = await fetch(`${gateway.url}/ui`, { redirect: "manual" });
    expect(bare.status).toBe(301);
    expect(bare.headers.get("location")).toBe("ui/");
  });

  test("pages: HTML revalidated by ETag, locked to this origin; assets: hashed, immutable, gzipped", async () => {
    const { gateway } = await stack();
    const page = await fetch(`${gateway.url}/ui/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page.headers.get("cache-control")).toBe("no-cache");
    expect(page.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(page.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    const etag = page.headers.get("etag") as string;
    const html = await page.text();
    expect(html).not.toMatch(/(?:src|href)="(?:https?:)?\/\//); // nothing from elsewhere: no CDN
    const again = await fetch(`${gateway.url}/ui/`, { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);

    const scripts = [...html.matchAll(/(?:src|href)="(assets\/[^"]+)"/g)].map((m) => m[1] as string);
    expect(scripts.some((s) => s.endsWith(".js"))).toBe(true);
    expect(scripts.some((s) => s.endsWith(".css"))).toBe(true);
    for (const asset of scripts) {
      const res = await fetch(`${gateway.url}/ui/${asset}`, { headers: { "accept-encoding": "gzip" } });
      expect(res.status, asset).toBe(200);
      expect(res.headers.get("content-type")).toBe(
        asset.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8",
      );
      expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      expect(res.headers.get("content-encoding")).toBe("gzip");
      expect((await res.text()).length).toBeGreaterThan(1000); // fetch decodes the gzip
    }
    const playground = await fetch(`${gateway.url}/ui/playground`);
    expect(playground.status).toBe(200);
    expect(await playground.text()).toContain("Playground");

    const widget = await fetch(`${gateway.url}/widget.js`);
    expect(widget.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(widget.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
    expect(widget.headers.get("cache-control")).toBe("public, max-age=300");

    const missing = await fetch(`${gateway.url}/ui/assets/nope.js`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: "route_not_found" } });
    const post = await fetch(`${gateway.url}/ui/`, { method: "POST" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
  });
});

describe("data", () => {
  test("the dashboard's data agrees with /metrics, and looking at it is not counted as traffic", async () => {
    const { gateway } = await stack();
    for (const content of ["hi [sim:tokens=5]", "hi [sim:tokens=9]", "hi [sim:fail]"])
      await (await chat(gateway.url, content)).text();
    const before = await Scrape.from(gateway.url);
    const data = (await (await fetch(`${gateway.url}/ui/api/dashboard?window=900`)).json()) as DashboardData;
    await fetch(`${gateway.url}/status.json`);
    await fetch(`${gateway.url}/ui/`);
    const after = await Scrape.from(gateway.url);
    expect(after.sum("llmgate_requests_total")).toBe(before.sum("llmgate_requests_total"));
    expect(data.window).toEqual({ seconds: 900, step: 3, range: 10 });
    expect(data.totals.requests).toBe(before.sum("llmgate_requests_total"));
    expect(data.totals.errors5xx).toBe(
      before
        .series("llmgate_requests_total")
        .reduce((n, s) => (s.labels.code?.startsWith("5") ? n + s.value : n), 0),
    );
    expect(data.totals.completionTokens).toBe(before.sum("llmgate_completion_tokens_total"));
    expect(data.totals.streams.completed).toBe(before.sum("llmgate_streams_total", { outcome: "completed" }));
    expect(data.totals.ttft.count).toBe(before.sum("llmgate_time_to_first_token_seconds_count"));
    expect(data.recent.map((r) => r.status)).toEqual([502, 200, 200]);
    expect(data.upstream).toMatchObject({ up: true, version: "0.12.3" });
    expect(data.upstream.models.map((m) => m.name)).toContain("qwen3:32b");
    expect(data.now.concurrencyLimit).toBe(4);
    expect(data.gateway.history).toMatchObject({ seconds: 3600, recent: 200 });
  });

  test("health probes failing with Ollama down count in /metrics only, not on the dashboard or /status.json", async () => {
    const { gateway } = await stack({ gateway: { upstream: `http://127.0.0.1:${await freePort()}` } });
    for (let i = 0; i < 20; i++) expect((await fetch(`${gateway.url}/readyz`)).status).toBe(503);
    for (let i = 0; i < 5; i++) expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
    const status = (await (await fetch(`${gateway.url}/status.json`)).json()) as StatusData;
    expect(status).toMatchObject({ status: "down", upstream: { up: false }, requests: 0, error_ratio: null });
    const data = (await (await fetch(`${gateway.url}/ui/api/dashboard`)).json()) as DashboardData;
    expect(data.totals).toMatchObject({ requests: 0, errors5xx: 0, errorRatio: null });
    expect(data.totals.lastMinute.requestsPerS).toBe(0);
    expect(data.series.requestsPerS.every((v) => v === 0 || v === null)).toBe(true);
    expect(data.series.errorRatio.every((v) => v === null)).toBe(true);
    expect(data.recent).toEqual([]);
    // The seed's series for the probes are unchanged, and scrapes themselves are not requests.
    const first = await Scrape.from(gateway.url);
    expect(first.sum("llmgate_requests_total", { path: "/readyz", code: "503", method: "GET" })).toBe(20);
    expect(first.sum("llmgate_requests_total", { path: "/healthz", code: "200", method: "GET" })).toBe(5);
    const second = await Scrape.from(gateway.url);
    expect(second.sum("llmgate_requests_total")).toBe(25);
  });

  test("?window is clamped to [60 s, the history]", async () => {
    const { gateway } = await stack();
    const window = async (q: string) =>
      ((await (await fetch(`${gateway.url}/ui/api/dashboard${q}`)).json()) as DashboardData).window.seconds;
    expect(await window("")).toBe(300);
    expect(await window("?window=5")).toBe(60);
    expect(await window("?window=99999")).toBe(3600);
    expect(await window("?window=abc")).toBe(300);
  });

  test("/status.json: health and typical latency, readable by the configured origins only", async () => {
    const { gateway } = await stack({ gateway: { corsOrigins: ["http://chat.example"] } });
    await (await chat(gateway.url, "hi [sim:tokens=4]")).text();
    const allowed = await fetch(`${gateway.url}/status.json`, { headers: { origin: "http://chat.example" } });
    expect(allowed.headers.get("access-control-allow-origin")).toBe("http://chat.example");
    const status = (await allowed.json()) as StatusData;
    expect(status).toMatchObject({ status: "ok", upstream: { up: true }, requests: 1, window_s: 300 });
    expect(status.typical_response_s).toBe(status.ttft_p50_s);
    expect(status.typical_response_s).toBeGreaterThan(0);
    const other = await fetch(`${gateway.url}/status.json`, { headers: { origin: "http://evil.example" } });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
    const preflight = await fetch(`${gateway.url}/ui/api/dashboard`, {
      method: "OPTIONS",
      headers: {
        origin: "http://chat.example",
        "access-control-request-method": "GET",
        "access-control-request-headers": "authorization",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-headers")).toContain("authorization");
  });
});

describe("access", () => {
  test("with keys, the data needs an admin key; pages load (to ask for one) and /status.json stays public", async () => {
    const { gateway } = await stack({
      gateway: { apiKeys: keys("ops=ops-secret-1", "app=app-secret-2"), adminKeys: ["ops"] },
    });
    const data = (headers: Record<string, string> = {}) =>
      fetch(`${gateway.url}/ui/api/dashboard`, { headers });
    const none = await data();
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toBe("Bearer");
    expect(await none.json()).toMatchObject({
      error: { code: "missing_api_key", type: "authentication_error" },
    });
    const wrong = await data({ authorization: "Bearer nope-nope-nope" });
    expect(wrong.status).toBe(401);
    const app = await data({ authorization: "Bearer app-secret-2" });
    expect(app.status).toBe(403);
    expect(await app.json()).toMatchObject({
      error: { type: "permission_error", message: expect.stringContaining("admin") },
    });
    const ops = await data({ authorization: "Bearer ops-secret-1" });
    expect(ops.status).toBe(200);
    expect(((await ops.json()) as DashboardData).gateway.keys).toBe(true);
    expect((await fetch(`${gateway.url}/ui/`)).status).toBe(200);
    expect((await fetch(`${gateway.url}/status.json`)).status).toBe(200);
  });

  test("without admin-key, any configured key may see the data", async () => {
    const { gateway } = await stack({ gateway: { apiKeys: keys("app=app-secret-2") } });
    const res = await fetch(`${gateway.url}/ui/api/dashboard`, {
      headers: { authorization: "Bearer app-secret-2" },
    });
    expect(res.status).toBe(200);
  });

  test("ui: false turns every dashboard path off; / is Ollama's again for browsers too", async () => {
    const { gateway } = await stack({ gateway: { ui: false } });
    expect(gateway.dashboard).toBeUndefined();
    for (const path of ["/ui/", "/ui/api/dashboard", "/status.json", "/widget.js"]) {
      const res = await fetch(`${gateway.url}${path}`);
      expect(res.status, path).toBe(404);
      expect(await res.json()).toMatchObject({ error: { code: "route_not_found" } });
    }
    const root = await fetch(`${gateway.url}/`, { headers: HTML, redirect: "manual" });
    expect(root.status).toBe(200);
    expect(await root.text()).toBe("Ollama is running");
  });
});

describe("configuration", () => {
  test("ui defaults to on; LLMGATE_UI=false turns it off; admin-key must name a configured key", () => {
    expect(loadServeConfig({ env: {} })).toMatchObject({ ui: true, adminKeys: [] });
    expect(loadServeConfig({ env: { LLMGATE_UI: "false" } }).ui).toBe(false);
    expect(
      loadServeConfig({ env: { LLMGATE_API_KEY: "ops=ops-secret-1", LLMGATE_ADMIN_KEY: "ops" } }).adminKeys,
    ).toEqual(["ops"]);
    expect(() =>
      loadServeConfig({ env: { LLMGATE_API_KEY: "ops=ops-secret-1", LLMGATE_ADMIN_KEY: "bob" } }),
    ).toThrow(/admin-key: "bob" is not the name of a configured api-key/);
    expect(() => loadServeConfig({ env: { LLMGATE_ADMIN_KEY: "not a name" } })).toThrow(/admin-key/);
  });

  test("cors-origin, which governs who may read /status.json, is accepted from flags and the environment", () => {
    expect(
      loadServeConfig({ env: { LLMGATE_CORS_ORIGIN: "https://chat.example.com/;*" } }).corsOrigins,
    ).toEqual(["https://chat.example.com", "*"]);
    expect(loadServeConfig({ flags: { "cors-origin": ["http://127.0.0.1:5555"] } }).corsOrigins).toEqual([
      "http://127.0.0.1:5555",
    ]);
    expect(() => loadServeConfig({ env: { LLMGATE_CORS_ORIGIN: "https://chat.example.com/path" } })).toThrow(
      /cors-origin/,
    );
  });

  test("the CLI: --no-ui turns the pages off, and the environment still applies when no flag is given", async () => {
    const help = execFileSync(process.execPath, [CLI, "serve", "--help"], { encoding: "utf8" });
    expect(help).toContain("--no-ui");
    expect(help).not.toMatch(/^\s+--ui\b/m); // the positive twin only keeps the default undefined
    const off = runCli(["serve", "--no-ui", "--listen", "127.0.0.1:0", "--upstream", "http://127.0.0.1:9"]);
    clis.push(off);
    const envOff = runCli(["serve", "--listen", "127.0.0.1:0", "--upstream", "http://127.0.0.1:9"], {
      LLMGATE_UI: "false",
    });
    clis.push(envOff);
    const on = runCli(["serve", "--listen", "127.0.0.1:0", "--upstream", "http://127.0.0.1:9"]);
    clis.push(on);
    const url = async (p: CliProcess) =>
      (await p.waitForLog((l) => typeof l.msg === "string" && l.msg.startsWith("llmgate listening")))
        .url as string;
    expect((await fetch(`${await url(off)}/ui/`)).status).toBe(404);
    expect((await fetch(`${await url(envOff)}/ui/`)).status).toBe(404);
    expect((await fetch(`${await url(on)}/ui/`)).status).toBe(200);
    for (const p of [off, envOff, on]) {
      p.child.kill("SIGTERM");
      expect(await p.exited).toBe(0);
    }
  });
});
