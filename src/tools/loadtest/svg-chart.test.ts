// The chart's drawing rules: distinct series styles, legend rows that fit, every series drawn and never hidden.

import { describe, expect, test } from "vitest";
import { legendLayout, lineChart, markerSvg, seriesStyle } from "./svg-chart.js";

describe("seriesStyle", () => {
  const first8 = Array.from({ length: 8 }, (_, i) => seriesStyle(i));

  test.each([
    ["colour", (i: number) => first8[i]?.color],
    ["dash pattern", (i: number) => first8[i]?.dash ?? "solid"],
    ["marker", (i: number) => first8[i]?.marker],
  ])("the first eight series differ in %s", (_, pick) => {
    expect(new Set(first8.map((_, i) => pick(i))).size).toBe(8);
  });

  test.each([
    [0, 4.5, 6],
    [1, 3.75, 5.25],
    [3, 2.25, 3.75],
    [7, 1.5, 2.5],
    [20, 1.5, 2.5],
  ])(
    "series %i: line width %f, marker size %f (earlier ones larger, so they show around later ones)",
    (i, width, size) => {
      expect(seriesStyle(i)).toMatchObject({ width, markerSize: size });
    },
  );
});

describe("markerSvg", () => {
  test.each(Array.from({ length: 8 }, (_, i) => [seriesStyle(i).marker, i] as const))(
    "%s is one element in the series' colour, with its tooltip",
    (_, i) => {
      const style = seriesStyle(i);
      const svg = markerSvg(style, 10, 20, "P95 at 4: 120");
      expect(svg).toMatch(/^<(circle|path) [^>]*>.*<\/(circle|path)>$/);
      expect(svg).toContain(`stroke="${style.color}"`);
      expect(svg).toContain("<title>P95 at 4: 120</title>");
    },
  );
});

describe("legendLayout", () => {
  test.each<[string, string[], number, { x: number; row: number }[]]>([
    [
      "one row",
      ["P50", "P95"],
      600,
      [
        { x: 64, row: 0 },
        { x: 127.5, row: 0 },
      ],
    ],
    [
      "wraps when the next entry would pass the right edge",
      ["concurrency 1", "concurrency 2", "concurrency 4"],
      300,
      [
        { x: 64, row: 0 },
        { x: 64, row: 1 },
        { x: 64, row: 2 },
      ],
    ],
    ["an entry wider than the chart still gets its own row", ["x".repeat(100)], 200, [{ x: 64, row: 0 }]],
  ])("%s", (_, names, right, layout) => {
    expect(legendLayout(names, 64, right)).toEqual(layout);
  });
});

describe("lineChart", () => {
  const series = ["P50", "P95", "P99"].map((name, i) => ({
    name,
    // P95 and P99 coincide at every point: both must stay visible.
    points: [0, 1, 2].map((x) => [x, i === 0 ? 100 : 200] as const),
  }));
  const svg = lineChart({ title: "t", xLabel: "x", yLabel: "y", categories: ["1", "2", "4"], series });

  test("every series has a line, markers and a legend entry, each drawn in its own style", () => {
    for (const [i, s] of series.entries()) {
      const style = seriesStyle(i);
      const line =
        svg.match(new RegExp(`<path class="series-line" data-series="${s.name}"[^>]*/>`))?.[0] ?? "";
      expect(line).toContain(`stroke="${style.color}"`);
      expect(line).toContain(`stroke-width="${style.width}"`);
      if (style.dash) expect(line).toContain(`stroke-dasharray="${style.dash}"`);
      else expect(line).not.toContain("stroke-dasharray");
      expect(svg).toContain(
        `<g class="series-markers" data-series="${s.name}" data-marker="${style.marker}">`,
      );
      expect(svg).toContain(`<g class="legend-entry" data-series="${s.name}">`);
    }
  });

  test("all lines come before any marker, so no later line covers an earlier series' markers", () => {
    const lastLine = svg.lastIndexOf('class="series-line"');
    const firstMarker = svg.indexOf('class="series-markers"');
    expect(lastLine).toBeGreaterThan(0);
    expect(firstMarker).toBeGreaterThan(lastLine);
  });

  test("a wrapped legend makes room above the plot instead of covering it", () => {
    const many = Array.from({ length: 8 }, (_, i) => ({
      name: `concurrency ${2 ** i}`,
      points: [[i, i] as const],
    }));
    const tall = lineChart({ title: "t", xLabel: "x", yLabel: "y", series: many });
    const rows = legendLayout(
      many.map((s) => s.name),
      64,
      680 - 16,
    ).at(-1)?.row;
    expect(rows).toBeGreaterThan(0);
    expect(tall).toContain(`viewBox="0 0 680 ${300 + (rows ?? 0) * 16}"`);
  });
});
