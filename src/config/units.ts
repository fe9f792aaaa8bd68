// Parsers for the human units config values use: durations ("90s", "10m", "1h30m", "250ms") and sizes ("32MiB").

const DURATION_PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
const DURATION_WHOLE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Go-style duration to milliseconds. A bare number (from YAML) is seconds, like Ollama's keep_alive.
 * Returns undefined for anything else, so the caller can name the offending key.
 */
export function parseDurationMs(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? value * 1000 : undefined;
  if (typeof value !== "string") return undefined;
  const text = value.trim();
  if (/^\d+(?:\.\d+)?$/.test(text)) return Number(text) * 1000;
  if (!DURATION_WHOLE.test(text)) return undefined;
  let total = 0;
  for (const match of text.matchAll(DURATION_PART))
    total += Number(match[1]) * (UNIT_MS[match[2] ?? ""] ?? 0);
  return total;
}

const SIZE = /^(\d+(?:\.\d+)?)\s*(B|KB|KiB|MB|MiB|GB|GiB)?$/i;
const SIZE_FACTOR: Record<string, number> = {
  b: 1,
  kb: 1000,
  kib: 1024,
  mb: 1000 ** 2,
  mib: 1024 ** 2,
  gb: 1000 ** 3,
  gib: 1024 ** 3,
};

/** "32MiB", "500KB", "1048576" or a number of bytes; undefined when unparseable. */
export function parseSizeBytes(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isInteger(value) && value >= 0 ? value : undefined;
  if (typeof value !== "string") return undefined;
  const match = SIZE.exec(value.trim());
  if (!match) return undefined;
  const factor = SIZE_FACTOR[(match[2] ?? "b").toLowerCase()] ?? 1;
  return Math.floor(Number(match[1]) * factor);
}

/** "HOST:PORT" (IPv6 as "[::1]:18789"); a bare port means the loopback address. */
export function parseListen(value: unknown): { host: string; port: number } | undefined {
  const text = typeof value === "number" ? String(value) : value;
  if (typeof text !== "string") return undefined;
  const match =
    /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text.trim()) ??
    /^()()(\d{1,5})$/.exec(text.trim());
  if (!match) return undefined;
  const port = Number(match[3]);
  if (port > 65535) return undefined;
  const host = match[1] || match[2] || "127.0.0.1";
  return { host, port };
}

const BINARY = [
  ["GiB", 1024 ** 3],
  ["MiB", 1024 ** 2],
  ["KiB", 1024],
] as const;
const DECIMAL = [
  ["GB", 1000 ** 3],
  ["MB", 1000 ** 2],
  ["KB", 1000],
] as const;

/**
 * A byte count as a person writes it, in the units parseSizeBytes reads: "32 MiB", "500 KB" when exact,
 * else binary units with one decimal ("1.5 MiB"); below 1 KiB, "N bytes".
 */
export function formatBytes(bytes: number): string {
  for (const [unit, factor] of [...BINARY, ...DECIMAL])
    if (bytes >= factor && bytes % factor === 0) return `${bytes / factor} ${unit}`;
  for (const [unit, factor] of BINARY)
    if (bytes >= factor) return `${(bytes / factor).toFixed(1).replace(/\.0$/, "")} ${unit}`;
  return bytes === 1 ? "1 byte" : `${bytes} bytes`;
}
