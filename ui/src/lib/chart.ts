// A uPlot time-series chart that follows the page's theme and its card's size, fed whole columns on each refresh.

import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export type Column = (number | null)[];

export interface SeriesSpec {
  label: string;
  color: string;
  /** Formats a value for the legend. */
  format: (v: number | null) => string;
  /** Dashed line (limits, secondary measures). */
  dash?: number[];
  /** Shade the area under the line. */
  fill?: boolean;
  /** Connect points across seconds without data (quantiles exist only where requests finished). */
  spanGaps?: boolean;
  /** Second y-axis (e.g. memory beside CPU). */
  scale?: "y" | "y2";
}

export interface ChartSpec {
  series: SeriesSpec[];
  /** Axis tick labels. */
  axis: (v: number) => string;
  axis2?: (v: number) => string;
  /** Lowest top of the y range, so a flat zero line sits at the bottom instead of the middle. */
  minTop?: number;
  minTop2?: number;
}

const SYNC_KEY = "llmgate";

/** 24-hour wall-clock labels; seconds only when the ticks are less than a minute apart. */
function clockLabel(epochS: number, incrS: number): string {
  const d = new Date(epochS * 1000);
  const hm = `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
  return incrS < 60 ? `${hm}:${String(d.getSeconds()).padStart(2, "0")}` : hm;
}

let measurer: CanvasRenderingContext2D | null | undefined;

function measure(font: string, labels: readonly string[]): number {
  measurer ??= document.createElement("canvas").getContext("2d");
  if (!measurer) return 48;
  measurer.font = font;
  let widest = 0;
  for (const label of labels) widest = Math.max(widest, measurer.measureText(label).width);
  return Math.ceil(widest);
}

function latest(column: ArrayLike<number | null | undefined> | undefined): number | null {
  if (!column) return null;
  for (let i = column.length - 1; i >= 0; i--) {
    const v = column[i];
    if (v !== null && v !== undefined) return v;
  }
  return null;
}

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

function range(minTop: number) {
  return (_u: uPlot, _min: number | null, max: number | null): uPlot.Range.MinMax => {
    const top = max === null || !Number.isFinite(max) ? minTop : Math.max(minTop, max * 1.15);
    return [0, top];
  };
}

export class Chart {
  readonly #el: HTMLElement;
  readonly #spec: ChartSpec;
  #plot: uPlot | undefined;
  #data: uPlot.AlignedData = [[]];
  readonly #resize: ResizeObserver;

  constructor(el: HTMLElement, spec: ChartSpec) {
    this.#el = el;
    this.#spec = spec;
    this.#data = [[], ...spec.series.map(() => [])];
    this.#build();
    this.#resize = new ResizeObserver(() => this.#fit());
    this.#resize.observe(el);
  }

  /** Replaces the data: x in epoch seconds, one column per series. */
  update(t: number[], columns: Column[]): void {
    this.#data = [t, ...columns] as uPlot.AlignedData;
    const plot = this.#plot;
    if (!plot) return;
    plot.setData(this.#data);
    // Without a cursor on the chart the legend shows each series' latest value.
    if (plot.cursor.idx === null || plot.cursor.idx === undefined)
      plot.setLegend({ idx: null as unknown as number });
  }

  /** Rebuilds with the current theme's colours (after a light/dark switch). */
  restyle(): void {
    this.#plot?.destroy();
    this.#build();
  }

  #size(): { width: number; height: number } {
    const height = Number.parseFloat(cssVar("--chart-height")) || 180;
    return { width: Math.max(200, Math.floor(this.#el.clientWidth)), height };
  }

  #fit(): void {
    const size = this.#size();
    if (this.#plot && (this.#plot.width !== size.width || this.#plot.height !== size.height))
      this.#plot.setSize(size);
  }

  #build(): void {
    const text = cssVar("--muted");
    const grid = cssVar("--grid");
    const font = `${cssVar("--axis-font-size") || "11px"} ${cssVar("--font")}`;
    const spec = this.#spec;
    const axis = (format: (v: number) => string, scale: string, side?: number): uPlot.Axis => ({
      scale,
      ...(side !== undefined ? { side } : {}),
      stroke: text,
      font,
      // As wide as the longest tick label in this font (a wall screen's larger type included).
      size: (_u, values) => measure(font, values ?? []) + 14,
      gap: 6,
      grid: { show: scale === "y", stroke: grid, width: 1 },
      ticks: { show: false },
      values: (_u, splits) => splits.map((v) => (v === null ? "" : format(v))),
    });
    const opts: uPlot.Options = {
      ...this.#size(),
      padding: [10, 6, 0, 0],
      cursor: { sync: { key: SYNC_KEY }, points: { size: 7 } },
      legend: { live: true },
      scales: {
        x: { time: true },
        y: { range: range(spec.minTop ?? 1) },
        ...(spec.axis2 ? { y2: { range: range(spec.minTop2 ?? 1) } } : {}),
      },
      axes: [
        {
          stroke: text,
          font,
          grid: { stroke: grid, width: 1 },
          ticks: { show: false },
          size: 28,
          // Room for a "00:00:00" label and a gap, so time labels never run into each other.
          space: () => measure(font, ["00:00:00"]) + 10,
          values: (_u, splits, _axis, _space, incr) => splits.map((v) => clockLabel(v, incr)),
        },
        axis(spec.axis, "y"),
        ...(spec.axis2 ? [axis(spec.axis2, "y2", 1)] : []),
      ],
      series: [
        { value: (_u, v) => (v === null ? "now" : clockLabel(v, 1)) },
        ...spec.series.map(
          (s, i): uPlot.Series => ({
            label: s.label,
            stroke: s.color,
            width: 2,
            scale: s.scale ?? "y",
            spanGaps: s.spanGaps === true,
            value: (u, v, _sidx, idx) => s.format(idx === null ? latest(u.data[i + 1]) : v),
            ...(s.dash ? { dash: s.dash } : {}),
            ...(s.fill ? { fill: `${s.color}26` } : {}),
          }),
        ),
      ],
    };
    this.#plot = new uPlot(opts, this.#data, this.#el);
  }
}
