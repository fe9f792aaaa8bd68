// Line charts as inline SVG strings for the HTML report: no script, no external resource, every text escaped.

export interface XYSeries {
  name: string;
  /** [x, y]; a null y leaves a gap. */
  points: readonly (readonly [number, number | null])[];
}

export interface ChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly XYSeries[];
  /** Category names for x = 0, 1, 2…: the x axis then shows these instead of numbers. */
  categories?: readonly string[];
  width?: number;
  height?: number;
}

const COLORS = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#ca8a04", "#db2777"];
const DASHES = [undefined, "9 4", "2 3", "12 3 3 3", "5 5", "1 6", "14 6", "6 2 1 2"] as const;
const MARKERS = ["circle", "square", "triangle", "diamond", "triangle-down", "plus", "cross", "bar"] as const;

export type MarkerShape = (typeof MARKERS)[number];

/** How one series is drawn: no two of the first eight share a colour, dash pattern or marker. */
export interface SeriesStyle {
  color: string;
  /** stroke-dasharray; undefined for a solid line. */
  dash: string | undefined;
  marker: MarkerShape;
  /** Line width: earlier series are wider, so a later line drawn over one leaves its edges showing. */
  width: number;
  /** Marker radius: earlier series larger, so markers at the same point nest instead of hiding each other. */
  markerSize: number;
}

export function seriesStyle(index: number): SeriesStyle {
  return {
    color: COLORS[index % COLORS.length] ?? "#000000",
    dash: DASHES[index % DASHES.length],
    marker: MARKERS[index % MARKERS.length] ?? "circle",
    width: Math.max(1.5, 4.5 - index * 0.75),
    markerSize: Math.max(2.5, 6 - index * 0.75),
  };
}

/** A hollow marker of the series' shape centred on (x, y); `title` becomes its tooltip. */
export function markerSvg(style: SeriesStyle, x: number, y: number, title?: string): string {
  const r = style.markerSize;
  const paint = `fill="#ffffff" fill-opacity="0.6" stroke="${style.color}" stroke-width="1.6"`;
  const tip = title === undefined ? "" : `<title>${escapeXml(title)}</title>`;
  const at = (dx: number, dy: number) => `${fixed(x + dx)} ${fixed(y + dy)}`;
  const path = (d: string, fill = true) =>
    `<path d="${d}" ${fill ? paint : `fill="none" stroke="${style.color}" stroke-width="2"`}>${tip}</path>`;
  switch (style.marker) {
    case "circle":
      return `<circle cx="${fixed(x)}" cy="${fixed(y)}" r="${r}" ${paint}>${tip}</circle>`;
    case "square":
      return path(`M${at(-r, -r)}L${at(r, -r)}L${at(r, r)}L${at(-r, r)}Z`);
    case "triangle":
      return path(`M${at(0, -r * 1.2)}L${at(r * 1.1, r * 0.8)}L${at(-r * 1.1, r * 0.8)}Z`);
    case "triangle-down":
      return path(`M${at(0, r * 1.2)}L${at(r * 1.1, -r * 0.8)}L${at(-r * 1.1, -r * 0.8)}Z`);
    case "diamond":
      return path(`M${at(0, -r * 1.3)}L${at(r * 1.3, 0)}L${at(0, r * 1.3)}L${at(-r * 1.3, 0)}Z`);
    case "plus":
      return path(`M${at(-r * 1.2, 0)}L${at(r * 1.2, 0)}M${at(0, -r * 1.2)}L${at(0, r * 1.2)}`, false);
    case "cross":
      return path(`M${at(-r, -r)}L${at(r, r)}M${at(r, -r)}L${at(-r, r)}`, false);
    case "bar":
      return path(
        `M${at(-r * 1.3, -r * 0.5)}L${at(r * 1.3, -r * 0.5)}L${at(r * 1.3, r * 0.5)}L${at(-r * 1.3, r * 0.5)}Z`,
      );
  }
}

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** Round tick values from 0 to at least `max`: steps of 1, 2 or 5 × 10^k, about five of them. */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0, 1];
  const raw = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  const ticks: number[] = [];
  for (let v = 0; v < max + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  if ((ticks[ticks.length - 1] ?? 0) < max) ticks.push(Number((ticks.length * step).toPrecision(12)));
  return ticks;
}

function label(value: number): string {
  if (value === 0) return "0";
  const abs = Math.abs(value);
  if (abs >= 1e6) return `${(value / 1e6).toPrecision(3)}M`;
  if (abs >= 1e4) return `${(value / 1e3).toPrecision(3)}k`;
  return Number(value.toPrecision(4)).toString();
}

const fixed = (n: number) => n.toFixed(1);

/** Legend entries laid out left to right, wrapping into rows that fit the chart's width. */
export function legendLayout(
  names: readonly string[],
  left: number,
  right: number,
): { x: number; row: number }[] {
  const out: { x: number; row: number }[] = [];
  let x = left;
  let row = 0;
  for (const name of names) {
    const w = 44 + name.length * 6.5;
    if (x > left && x + w > right) {
      x = left;
      row++;
    }
    out.push({ x, row });
    x += w;
  }
  return out;
}

const LEGEND_ROW = 16;

export function lineChart(spec: ChartSpec): string {
  const width = spec.width ?? 680;
  const legend = legendLayout(
    spec.series.map((s) => s.name),
    64,
    width - 16,
  );
  const rows = (legend[legend.length - 1]?.row ?? 0) + 1;
  const height = (spec.height ?? 300) + (rows - 1) * LEGEND_ROW;
  const m = { left: 64, right: 16, top: 40 + rows * LEGEND_ROW, bottom: 48 };
  const plotW = width - m.left - m.right;
  const plotH = height - m.top - m.bottom;
  const xs = spec.series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = spec.series.flatMap((s) => s.points.map((p) => p[1]).filter((y): y is number => y !== null));
  const categorical = spec.categories !== undefined;
  const xTicks = categorical ? (spec.categories ?? []).map((_, i) => i) : niceTicks(Math.max(0, ...xs));
  const xTop = xTicks[xTicks.length - 1] ?? 1;
  const yTicks = niceTicks(Math.max(0, ...ys));
  const yTop = yTicks[yTicks.length - 1] ?? 1;
  // Categories sit in the middle of equal slots; numbers run from 0 at the axis to the last tick at the end.
  const slots = spec.categories?.length ?? 1;
  const px = (x: number) =>
    m.left + (categorical ? ((x + 0.5) / Math.max(1, slots)) * plotW : (x / (xTop || 1)) * plotW);
  const py = (y: number) => m.top + plotH - (y / (yTop || 1)) * plotH;

  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(spec.title)}">`,
    `<title>${escapeXml(spec.title)}</title>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${m.left}" y="20" font-size="14" font-weight="600" fill="#111827">${escapeXml(spec.title)}</text>`,
  );
  for (const t of yTicks) {
    const y = fixed(py(t));
    parts.push(
      `<line x1="${m.left}" y1="${y}" x2="${m.left + plotW}" y2="${y}" stroke="#e5e7eb"/>`,
      `<text x="${m.left - 6}" y="${y}" font-size="11" fill="#4b5563" text-anchor="end" dominant-baseline="middle">${escapeXml(label(t))}</text>`,
    );
  }
  for (const t of xTicks) {
    const x = fixed(px(t));
    const text = categorical ? (spec.categories?.[t] ?? String(t)) : label(t);
    parts.push(
      `<line x1="${x}" y1="${m.top + plotH}" x2="${x}" y2="${m.top + plotH + 4}" stroke="#6b7280"/>`,
      `<text x="${x}" y="${m.top + plotH + 16}" font-size="11" fill="#4b5563" text-anchor="middle">${escapeXml(text)}</text>`,
    );
  }
  parts.push(
    `<line x1="${m.left}" y1="${m.top + plotH}" x2="${m.left + plotW}" y2="${m.top + plotH}" stroke="#6b7280"/>`,
    `<line x1="${m.left}" y1="${m.top}" x2="${m.left}" y2="${m.top + plotH}" stroke="#6b7280"/>`,
    `<text x="${m.left + plotW / 2}" y="${height - 8}" font-size="12" fill="#374151" text-anchor="middle">${escapeXml(spec.xLabel)}</text>`,
    `<text transform="translate(14 ${m.top + plotH / 2}) rotate(-90)" font-size="12" fill="#374151" text-anchor="middle">${escapeXml(spec.yLabel)}</text>`,
  );
  // Lines first, every series, then the markers on top: a later line never covers an earlier series' markers.
  // Earlier lines are wider and each has its own dash pattern, so where lines coincide all of them still show.
  const styles = spec.series.map((_, i) => seriesStyle(i));
  const lines: string[] = [];
  const markers: string[] = [];
  spec.series.forEach((s, i) => {
    const style = styles[i] ?? seriesStyle(i);
    const attrs = `data-series="${escapeXml(s.name)}" data-marker="${style.marker}"`;
    let d = "";
    let pen = false;
    for (const [x, y] of s.points) {
      if (y === null) {
        pen = false;
        continue;
      }
      d += `${pen ? "L" : "M"}${fixed(px(x))} ${fixed(py(y))}`;
      pen = true;
    }
    if (d)
      lines.push(
        `<path class="series-line" ${attrs} d="${d}" fill="none" stroke="${style.color}" stroke-width="${style.width}" stroke-linejoin="round" stroke-opacity="0.85"${style.dash ? ` stroke-dasharray="${style.dash}"` : ""}/>`,
      );
    if (s.points.length <= 40) {
      const shown = s.points.flatMap(([x, y]) => {
        if (y === null) return [];
        const where = categorical ? (spec.categories?.[x] ?? String(x)) : label(x);
        return [markerSvg(style, px(x), py(y), `${s.name} at ${where}: ${label(y)}`)];
      });
      markers.push(`<g class="series-markers" ${attrs}>${shown.join("")}</g>`);
    }
  });
  parts.push(...lines, ...markers);
  // The legend runs in rows between the title and the plot, so it never covers a line; each entry shows the
  // series' colour, dash pattern and marker.
  spec.series.forEach((s, i) => {
    const style = styles[i] ?? seriesStyle(i);
    const at = legend[i] ?? { x: m.left, row: 0 };
    const ly = 34 + at.row * LEGEND_ROW;
    parts.push(
      `<g class="legend-entry" data-series="${escapeXml(s.name)}">`,
      `<line x1="${at.x}" y1="${ly}" x2="${at.x + 30}" y2="${ly}" stroke="${style.color}" stroke-width="${Math.min(style.width, 3)}"${style.dash ? ` stroke-dasharray="${style.dash}"` : ""}/>`,
      markerSvg({ ...style, markerSize: 4 }, at.x + 15, ly),
      `<text x="${at.x + 36}" y="${ly}" font-size="11" fill="#111827" dominant-baseline="middle">${escapeXml(s.name)}</text>`,
      "</g>",
    );
  });
  parts.push("</svg>");
  return parts.join("");
}
