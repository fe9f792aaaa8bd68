// Number formatting for tiles, axes, legends and tables: short, unit-bearing, tabular.

const DASH = "–";

/** Seconds as "850 ms", "1.24 s", "2 m 05 s". */
export function seconds(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return DASH;
  if (v === 0) return "0";
  if (v < 0.001 && v > 0) return `${(v * 1e6).toFixed(0)} µs`;
  if (v < 1) return `${(v * 1000).toFixed(v < 0.01 ? 2 : v < 0.1 ? 1 : 0)} ms`;
  if (v < 60) return `${v.toFixed(v < 10 ? 2 : 1)} s`;
  const m = Math.floor(v / 60);
  const s = Math.round(v - m * 60);
  if (m < 60) return `${m} m ${String(s).padStart(2, "0")} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, "0")} m`;
}

/** Milliseconds in, the same style out. */
export function millis(v: number | null | undefined): string {
  return v === null || v === undefined ? DASH : seconds(v / 1000);
}

/** A rate or count with sensible precision: 0, 0.25, 3.4, 12, 1.2k. */
export function num(v: number | null | undefined, unit = ""): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return DASH;
  const abs = Math.abs(v);
  let text: string;
  if (abs >= 1e6) text = `${(v / 1e6).toFixed(1)}M`;
  else if (abs >= 1e4) text = `${(v / 1e3).toFixed(abs >= 1e5 ? 0 : 1)}k`;
  else if (abs >= 100 || Number.isInteger(v)) text = Math.round(v).toLocaleString("en-US");
  else if (abs >= 10) text = v.toFixed(1);
  else if (abs >= 0.01 || v === 0) text = v.toFixed(2);
  else text = v.toPrecision(2);
  return unit ? `${text} ${unit}` : text;
}

export function int(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? DASH : Math.round(v).toLocaleString("en-US");
}

/** A ratio as a percentage: 0 %, 0.4 %, 12 %. */
export function percent(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return DASH;
  const p = v * 100;
  return `${p === 0 ? "0" : p < 10 ? p.toFixed(1) : p.toFixed(0)} %`;
}

/** Bytes in binary units: 512 B, 1.5 KiB, 18.6 GiB. */
export function bytes(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return DASH;
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let n = v;
  let u = 0;
  while (n >= 1024 && u < units.length - 1) {
    n /= 1024;
    u++;
  }
  return `${u === 0 ? n.toFixed(0) : n.toFixed(n < 10 ? 1 : 0)} ${units[u]}`;
}

/** A countdown: "4:05", "1:02:03". */
export function countdown(totalSeconds: number): string {
  const s = Math.max(0, Math.round(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${sec}` : `${m}:${sec}`;
}

/** Local wall-clock time of an epoch-ms instant, "14:03:27". */
export function clock(ms: number): string {
  return new Date(ms).toLocaleTimeString("en-GB", { hour12: false });
}

/** "5 s ago", "3 min ago". */
export function ago(ms: number, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 90) return `${s} s ago`;
  if (s < 5400) return `${Math.round(s / 60)} min ago`;
  return `${Math.round(s / 3600)} h ago`;
}

/** "45 s", "1 min", "5 min", "1 h". */
export function windowLabel(windowS: number): string {
  if (windowS < 60) return `${Math.max(0, Math.round(windowS))} s`;
  return windowS >= 3600 && windowS % 3600 === 0 ? `${windowS / 3600} h` : `${Math.round(windowS / 60)} min`;
}
