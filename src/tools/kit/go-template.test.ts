// The Go template functions the alert annotations use, as Prometheus renders them (the promtool tests check the
// same renderings against the real promtool).

import { describe, expect, test } from "vitest";
import {
  formatG,
  humanize,
  humanize1024,
  humanizeDuration,
  humanizePercentage,
  renderAnnotation,
} from "./go-template.js";

test.each([
  [0, "0"],
  [1, "1"],
  [100, "100"],
  [0.5, "0.5"],
  [1 / 3, "0.3333"],
  [2 / 3, "0.6667"],
  [1234, "1234"],
  [123456, "1.235e+05"],
  [0.0001, "0.0001"],
  [0.00001234, "1.234e-05"],
  [1e21, "1e+21"],
  [-2.5, "-2.5"],
  [Number.NaN, "NaN"],
  [Number.POSITIVE_INFINITY, "+Inf"],
])("%%.4g of %d is %s", (value, text) => {
  expect(formatG(value)).toBe(text);
});

describe("humanize functions", () => {
  test.each([
    [humanize, 0, "0"],
    [humanize, 5, "5"],
    [humanize, 240, "240"],
    [humanize, 1500, "1.5k"],
    [humanize, 2_000_000, "2M"],
    [humanize, 0.002, "2m"],
    [humanize1024, 1, "1"],
    [humanize1024, 1536, "1.5ki"],
    [humanize1024, 2 * 1024 ** 3, "2Gi"],
    [humanizePercentage, 1, "100%"],
    [humanizePercentage, 0.05, "5%"],
    [humanizePercentage, 0.1234, "12.34%"],
    [humanizeDuration, 0, "0s"],
    [humanizeDuration, 1.5, "1.5s"],
    [humanizeDuration, 20, "20s"],
    [humanizeDuration, 60, "1m 0s"],
    [humanizeDuration, 3600, "1h 0m 0s"],
    [humanizeDuration, 90061, "1d 1h 1m 1s"],
    [humanizeDuration, 0.002, "2ms"],
    [humanizeDuration, 0.0000015, "1.5us"],
  ])("%o(%d) = %s", (fn, value, text) => {
    expect(fn(value)).toBe(text);
  });
});

describe("renderAnnotation", () => {
  test("labels and piped values", () => {
    expect(
      renderAnnotation(
        '{{ $labels.instance }}: {{ $value | humanizePercentage }}, {{$value | printf "%.0f"}} of {{ $labels.missing }}x',
        { instance: "gw:1" },
        2.5,
      ),
    ).toBe("gw:1: 250%, 2 of x");
  });

  test("a form the renderer cannot predict throws at generation time", () => {
    expect(() => renderAnnotation("{{ $value }}", {}, 1)).toThrow(/not supported/);
    expect(() => renderAnnotation("{{ $value | title }}", {}, 1)).toThrow(/not supported/);
  });
});
