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

export function lineChart(spec: ChartSpec): string {
  const width = spec.width ?? 680;
  const height = spec.height ?? 300;
  const m = { left: 64, right: 16, top: 52, bottom: 48 };
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
  let legendX = m.left;
  spec.series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length] ?? "#000000";
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
    if (d) parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2"/>`);
    if (s.points.length <= 40)
      for (const [x, y] of s.points) {
        if (y === null) continue;
        const where = categorical ? (spec.categories?.[x] ?? String(x)) : label(x);
        parts.push(
          `<circle cx="${fixed(px(x))}" cy="${fixed(py(y))}" r="3.5" fill="${color}"><title>${escapeXml(`${s.name} at ${where}: ${label(y)}`)}</title></circle>`,
        );
      }
    // The legend runs in one row between the title and the plot, so it never covers a line.
    const lx = legendX;
    const ly = 34;
    legendX += 30 + s.name.length * 6.5;
    parts.push(
      `<rect x="${lx}" y="${ly}" width="12" height="3" fill="${color}"/>`,
      `<text x="${lx + 18}" y="${ly + 3}" font-size="11" fill="#111827" dominant-baseline="middle">${escapeXml(s.name)}</text>`,
    );
  });
  parts.push("</svg>");
  return parts.join("");
}
