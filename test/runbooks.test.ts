// The alerts' runbook links open: a kit generated for a running gateway links every alert to a page it serves.

import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parse } from "yaml";
import { ALERT_NAMES } from "../src/tools/kit/alert-rules.js";
import { generateKit, KIT_PATHS } from "../src/tools/kit/kit.js";
import { ALERT_KEYS, resolveKitOptions } from "../src/tools/kit/options.js";
import { RUNBOOKS } from "../src/tools/kit/runbooks.js";
import { type Stack, startStack } from "./helpers/stack.js";

interface RulesFile {
  groups: { rules: { alert: string; annotations: { runbook_url: string } }[] }[];
}

/** The alert rules of a kit generated with the default settings but this scrape target. */
function runbookUrls(target: string): Map<string, string> {
  const kit = generateKit(resolveKitOptions({ targets: [target] }));
  const text = kit.find((f) => f.path === KIT_PATHS.alertRules)?.content ?? "";
  const rules = (parse(text) as RulesFile).groups.flatMap((g) => g.rules);
  return new Map(rules.map((r) => [r.alert, r.annotations.runbook_url]));
}

/** What the page must say: the alert's name as its heading and its first step (as plain text). */
function expectRunbook(html: string, alert: string): void {
  const key = ALERT_KEYS.find((k) => ALERT_NAMES[k] === alert);
  expect(key, alert).toBeDefined();
  if (key === undefined) return;
  expect(html).toContain(`<h1>${alert}</h1>`);
  const text = html
    .replace(/<[^>]+>/g, "")
    .replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c)));
  const firstStep = (RUNBOOKS[key].steps[0] ?? "").replace(/`|(?<!\w)_|_(?!\w)/g, "");
  expect(text).toContain(firstStep);
}

describe("runbooks served by the gateway", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      gateway: { ui: false, apiKeys: [{ name: "ops", digest: Buffer.alloc(32) }] },
    });
  });
  afterAll(() => stack.close());

  test("every runbook_url of a kit targeting this gateway is absolute and opens that alert's runbook", async () => {
    const urls = runbookUrls(new URL(stack.gateway.url).host);
    expect([...urls.keys()].sort()).toEqual(Object.values(ALERT_NAMES).sort());
    for (const [alert, url] of urls) {
      expect(url.startsWith(`${stack.gateway.url}/runbooks/`), url).toBe(true);
      // No API key, no dashboard: a link in a notification opens anyway.
      const res = await fetch(url);
      expect(res.status, url).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expectRunbook(await res.text(), alert);
    }
  });

  test("the index lists every alert; unknown names are 404 in the API's error shape; not counted", async () => {
    const index = await fetch(`${stack.gateway.url}/runbooks/`);
    expect(index.status).toBe(200);
    const html = await index.text();
    for (const name of Object.values(ALERT_NAMES)) expect(html).toContain(`<h2>${name}</h2>`);
    const bare = await fetch(`${stack.gateway.url}/runbooks`, { redirect: "manual" });
    expect(bare.status).toBe(301);
    expect(bare.headers.get("location")).toBe("runbooks/");
    const missing = await fetch(`${stack.gateway.url}/runbooks/LlmgateNope`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe("route_not_found");
    const post = await fetch(`${stack.gateway.url}/runbooks/LlmgateDown`, { method: "POST" });
    expect(post.status).toBe(405);
    expect(stack.records).toEqual([]);
  });
});

test("with metrics on their own listener, the runbooks are served there too (the address Prometheus scrapes)", async () => {
  const stack = await startStack({ gateway: { metricsListen: { host: "127.0.0.1", port: 0 } } });
  try {
    const urls = runbookUrls(new URL(stack.gateway.metricsUrl).host);
    const url = urls.get("LlmgateUpstreamDown") ?? "";
    expect(url).toBe(`${stack.gateway.metricsUrl}/runbooks/LlmgateUpstreamDown`);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expectRunbook(await res.text(), "LlmgateUpstreamDown");
  } finally {
    await stack.close();
  }
});
