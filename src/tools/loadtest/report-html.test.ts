import { describe, expect, test } from "vitest";
import { parseLoadtestFlags } from "./options.js";
import { buildReport } from "./report.js";
import { renderHtml } from "./report-html.js";
import type { Sample } from "./request.js";
import { summarise } from "./stats.js";
import { niceTicks } from "./svg-chart.js";

/** Checks that tags open and close in order and that text holds no raw `<` or stray `&`: well-formed markup. */
function assertWellFormed(markup: string): void {
  const stack: string[] = [];
  const tag = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/y;
  const entity = /&(?:amp|lt|gt|quot|#\d+);/y;
  let i = 0;
  while (i < markup.length) {
    const c = markup[i];
    if (c === "<") {
      tag.lastIndex = i;
      const m = tag.exec(markup);
      if (!m) throw new Error(`malformed tag at ${i}: ${markup.slice(i, i + 60)}`);
      const [whole, closing, name = "", , selfClosing] = m;
      if (closing) {
        const open = stack.pop();
        if (open !== name) throw new Error(`</${name}> closes <${open}> at ${i}`);
      } else if (!selfClosing) stack.push(name);
      i += whole.length;
    } else if (c === "&") {
      entity.lastIndex = i;
      const m = entity.exec(markup);
      if (!m) throw new Error(`stray & at ${i}: ${markup.slice(i, i + 20)}`);
      i += m[0].length;
    } else i++;
  }
  if (stack.length) throw new Error(`unclosed: ${stack.join(", ")}`);
}

function report(stream: boolean) {
  const options = parseLoadtestFlags({
    url: "http://127.0.0.1:1/v1",
    model: 'evil<script>alert("x")</script>&co',
    concurrency: "1,4",
    stream,
  });
  const sample = (latencyMs: number): Sample => ({
    startMs: 0,
    latencyMs,
    ...(stream ? { ttftMs: latencyMs / 10 } : {}),
    promptTokens: 200,
    completionTokens: 64,
  });
  const levels = [1, 4].map((concurrency) => {
    const samples = [
      ...Array.from({ length: 30 }, (_, i) => sample(100 * concurrency + i)),
      { startMs: 0, latencyMs: 3, error: "http_503" as const, errorMessage: "<b>overloaded</b> & more" },
    ];
    return {
      summary: summarise(concurrency, samples, 1000),
      budget: { kind: "requests" as const, requests: 31 },
      samples,
    };
  });
  return buildReport(options, levels, new Date(0), new Date(1000));
}

describe("renderHtml", () => {
  test.each([true, false])("stream=%s: one well-formed, self-contained page with its charts", (stream) => {
    const html = renderHtml(report(stream));
    expect(html.startsWith("<!doctype html>\n")).toBe(true);
    assertWellFormed(html.slice("<!doctype html>\n".length));
    const svgs = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
    expect(svgs.length).toBe(stream ? 5 : 4);
    for (const svg of svgs) assertWellFormed(svg);
    // Self-contained: no script and nothing fetched (the SVG namespace is a name, not a fetch).
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\bsrc=|\bhref=|url\(|@import/i);
    expect(html.replaceAll('xmlns="http://www.w3.org/2000/svg"', "")).not.toMatch(
      /https?:\/\/(?!127\.0\.0\.1:1\/)/,
    );
  });

  test("charts sit in a grid that fills the page's width, several per row on a wide screen", () => {
    const html = renderHtml(report(true));
    const css = html.match(/<style>([\s\S]*?)<\/style>/)?.[1] ?? "";
    expect(css).toMatch(
      /\.charts\{display:grid;grid-template-columns:repeat\(auto-fill,minmax\(min\(100%,\d+rem\),1fr\)\)/,
    );
    expect(css).toMatch(/\.charts svg\{[^}]*width:100%;height:auto/);
    expect(css).toMatch(/body\{[^}]*max-width:2400px/);
    const grid = html.match(/<div class="charts">\n([\s\S]*?)\n<\/div>/)?.[1] ?? "";
    expect(grid.match(/<svg /g)?.length).toBe(5);
  });

  test.each([
    ["Latency by concurrency", ["P50", "P95", "P99"]],
    ["Time to first token by concurrency", ["P50", "P95"]],
    ["Tokens per second in all", ["total"]],
    ["Tokens per second per stream", ["P50", "mean"]],
    ["Latency distribution (CDF) per level", ["concurrency 1", "concurrency 4"]],
  ])("%s: every series drawn, in a style of its own, with a legend entry", (title, names) => {
    const html = renderHtml(report(true));
    const svg =
      (html.match(/<svg[\s\S]*?<\/svg>/g) ?? []).find((c) => c.includes(`<title>${title}</title>`)) ?? "";
    const lines = [
      ...svg.matchAll(/<path class="series-line" data-series="([^"]*)" data-marker="([^"]*)"[^>]*\/>/g),
    ];
    expect(lines.map((l) => l[1])).toEqual(names);
    const style = (l: RegExpMatchArray) =>
      [
        l[2],
        l[0].match(/stroke="([^"]*)"/)?.[1],
        l[0].match(/stroke-dasharray="([^"]*)"/)?.[1] ?? "solid",
      ].join();
    const styles = lines.map(style);
    expect(new Set(styles).size).toBe(names.length);
    for (const part of [0, 1, 2])
      expect(new Set(styles.map((s) => s.split(",")[part])).size).toBe(names.length);
    for (const name of names) {
      expect(svg).toContain(`<g class="series-markers" data-series="${name}"`);
      expect(svg).toContain(`<g class="legend-entry" data-series="${name}">`);
    }
  });

  test("client-controlled text is escaped", () => {
    const html = renderHtml(report(true));
    expect(html).toContain("evil&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;co");
    expect(html).toContain("&lt;b&gt;overloaded&lt;/b&gt; &amp; more");
    expect(html).not.toContain("<b>overloaded");
  });
});

describe("niceTicks", () => {
  test.each([
    [9, [0, 2, 4, 6, 8, 10]],
    [100, [0, 20, 40, 60, 80, 100]],
    [0.37, [0, 0.1, 0.2, 0.3, 0.4]],
    [0, [0, 1]],
  ])("up to %s: %j", (max, ticks) => {
    expect(niceTicks(max)).toEqual(ticks);
  });
});
