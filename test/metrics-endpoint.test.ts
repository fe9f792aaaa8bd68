// /metrics through real sockets: formats and content types, exemplars, the bearer token, the separate listener.

import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Stack, startStack } from "./helpers/stack.js";

const PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";
const OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
/** What Prometheus 2.42 (Debian 12's) sends. */
const PROMETHEUS_2_42_ACCEPT =
  "application/openmetrics-text; version=0.0.1,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

async function chat(base: string, requestId: string, stream: boolean) {
  const res = await fetch(`${base}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-request-id": requestId },
    body: JSON.stringify({ model: "qwen3:32b", messages: [{ role: "user", content: "hi" }], stream }),
  });
  expect(res.status).toBe(200);
  expect(res.headers.get("x-request-id")).toBe(requestId);
  await res.text();
}

/** Sum of the samples named `name` (exactly) whose labels include `labels`, from Prometheus text. */
function sum(text: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of text.split("\n")) {
    const m = /^([a-z_]+)(\{.*\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    if (Object.entries(labels).every(([k, v]) => (m[2] ?? "").includes(`${k}="${v}"`))) total += Number(m[3]);
  }
  return total;
}

describe("/metrics on the main listener", () => {
  let stack: Stack;
  let metrics: string;

  beforeAll(async () => {
    stack = await startStack();
    metrics = `${stack.gateway.metricsUrl}/metrics`;
  });
  afterAll(() => stack.close());

  test("is served on the gateway's own URL", () => {
    expect(stack.gateway.metricsUrl).toBe(stack.gateway.url);
  });

  test.each([
    ["no Accept header", undefined],
    ["Accept: text/plain", "text/plain"],
    ["Accept: */*", "*/*"],
  ])("Prometheus text 0.0.4 with %s", async (_name, accept) => {
    const res = await fetch(metrics, { headers: accept ? { accept } : {} });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(PROMETHEUS);
    const body = await res.text();
    expect(body).toContain("# TYPE llmgate_requests_total counter\n");
    expect(body).not.toContain("# EOF");
    expect(body).not.toMatch(/ # \{/);
  });

  test.each([
    ["Prometheus 2.42's Accept", PROMETHEUS_2_42_ACCEPT],
    ["Accept: application/openmetrics-text", "application/openmetrics-text; version=1.0.0"],
  ])("OpenMetrics 1.0 with %s", async (_name, accept) => {
    const res = await fetch(metrics, { headers: { accept } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(OPENMETRICS);
    const body = await res.text();
    expect(body).toContain("# TYPE llmgate_requests counter\n");
    expect(body).toMatch(/\nllmgate_requests_total\{/);
    expect(body.endsWith("\n# EOF\n")).toBe(true);
  });

  test("OpenMetrics exemplars carry the request's x-request-id", async () => {
    const scrapeOpenMetrics = async () =>
      (await fetch(metrics, { headers: { accept: PROMETHEUS_2_42_ACCEPT } })).text();
    const exemplar = (name: string, id: string) =>
      new RegExp(
        `^llmgate_${name}_bucket\\{[^}]*\\} \\d+ # \\{request_id="${id}"\\} [\\d.e-]+ [\\d.]+$`,
        "m",
      );
    // One exemplar per bucket, the latest: check each request before the next one can replace it.
    await chat(stack.gateway.url, "exemplar-plain-1", false);
    await stack.nextRecord("exemplar-plain-1");
    expect(await scrapeOpenMetrics()).toMatch(exemplar("request_duration_seconds", "exemplar-plain-1"));
    await chat(stack.gateway.url, "exemplar-stream-1", true);
    await stack.nextRecord("exemplar-stream-1");
    const body = await scrapeOpenMetrics();
    expect(body).toMatch(exemplar("request_duration_seconds", "exemplar-stream-1"));
    expect(body).toMatch(exemplar("time_to_first_token_seconds", "exemplar-stream-1"));
    // Prometheus text has no exemplars.
    expect(await (await fetch(metrics)).text()).not.toContain("request_id=");
  });

  test("scrapes are not requests: not counted, not recorded", async () => {
    await chat(stack.gateway.url, "counted-1", false);
    await stack.nextRecord("counted-1");
    const records = stack.records.length;
    const before = await (await fetch(metrics)).text();
    for (let i = 0; i < 3; i++) await (await fetch(metrics)).text();
    await fetch(metrics, { method: "HEAD" });
    const after = await (await fetch(metrics)).text();
    expect(stack.records.length).toBe(records);
    expect(sum(after, "llmgate_requests_total")).toBe(sum(before, "llmgate_requests_total"));
    expect(after).not.toContain('path="/metrics"');
  });

  test("HEAD: the headers of GET, no body", async () => {
    const res = await fetch(metrics, { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(PROMETHEUS);
    expect(Number(res.headers.get("content-length"))).toBeGreaterThan(0);
    expect(await res.text()).toBe("");
  });

  test("other methods: 405 with Allow", async () => {
    const res = await fetch(metrics, { method: "POST" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD");
  });
});

describe("/metrics on its own listener, behind a token", () => {
  let stack: Stack;
  let metrics: string;

  beforeAll(async () => {
    stack = await startStack({
      gateway: { metricsToken: "t", metricsListen: { host: "127.0.0.1", port: 0 } },
    });
    metrics = `${stack.gateway.metricsUrl}/metrics`;
  });
  afterAll(() => stack.close());

  test.each<[string, Record<string, string>]>([
    ["no Authorization", {}],
    ["a wrong token", { authorization: "Bearer wrong" }],
    ["a longer token", { authorization: "Bearer tt" }],
    ["the token without Bearer", { authorization: "t" }],
    ["Basic", { authorization: "Basic dDp0" }],
  ])("401 with %s", async (_name, headers) => {
    const res = await fetch(metrics, { headers });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm="metrics"');
    const body = await res.text();
    expect(body).not.toContain("llmgate_");
  });

  test("200 with the token, in either format", async () => {
    const plain = await fetch(metrics, { headers: { authorization: "Bearer t" } });
    expect(plain.status).toBe(200);
    expect(plain.headers.get("content-type")).toBe(PROMETHEUS);
    expect(await plain.text()).toContain("# TYPE llmgate_requests_total counter\n");
    const om = await fetch(metrics, {
      headers: { authorization: "Bearer t", accept: PROMETHEUS_2_42_ACCEPT },
    });
    expect(om.status).toBe(200);
    expect(om.headers.get("content-type")).toBe(OPENMETRICS);
    expect((await om.text()).endsWith("# EOF\n")).toBe(true);
  });

  test("HEAD needs the token too", async () => {
    expect((await fetch(metrics, { method: "HEAD" })).status).toBe(401);
    const res = await fetch(metrics, { method: "HEAD", headers: { authorization: "Bearer t" } });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
  });

  test("the separate listener serves nothing but /metrics", async () => {
    expect(stack.gateway.metricsUrl).not.toBe(stack.gateway.url);
    const res = await fetch(`${stack.gateway.metricsUrl}/v1/models`);
    expect(res.status).toBe(404);
    await res.text();
  });

  test("the main listener answers /metrics with 404 route_not_found in the OpenAI error shape", async () => {
    const res = await fetch(`${stack.gateway.url}/metrics`, { headers: { authorization: "Bearer t" } });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const body = (await res.json()) as { error: Record<string, unknown> };
    expect(body).toEqual({
      error: {
        message: expect.stringContaining("/metrics"),
        type: "not_found_error",
        param: null,
        code: "route_not_found",
      },
    });
    // It is an ordinary (rejected) request on the main listener, so it is counted there.
    const record = await stack.nextRecord(res.headers.get("x-request-id") ?? "");
    expect(record).toMatchObject({ route: "other", status: 404, outcome: "rejected" });
    const text = await (await fetch(metrics, { headers: { authorization: "Bearer t" } })).text();
    expect(sum(text, "llmgate_requests_total", { code: "404", method: "GET", path: "other" })).toBe(1);
  });
});
