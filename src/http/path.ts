// The one path a request is routed and forwarded by: percent-decoded once, with no dot segments or empty segments.

/**
 * Decodes `raw` (the path part of the request target) so that `/api/%63hat` is routed, limited and accounted as
 * the `/api/chat` the upstream would decode it to. Returns undefined for what no client needs and an upstream
 * might read differently: bad percent-encoding, NUL, backslashes, `.`/`..` segments, `//`. The root `/` is kept.
 */
export function canonicalPath(raw: string): string | undefined {
  if (!raw.startsWith("/")) return undefined;
  let path: string;
  try {
    path = raw.includes("%") ? decodeURIComponent(raw) : raw;
  } catch {
    return undefined;
  }
  if (path.includes("\0") || path.includes("\\") || path.includes("//")) return undefined;
  for (const segment of path.split("/")) if (segment === "." || segment === "..") return undefined;
  return path;
}

/** The canonical path as it goes upstream: encoded again, with `?` and `#` inside it kept as path characters. */
export function encodePath(path: string): string {
  return encodeURI(path).replace(/\?/g, "%3F").replace(/#/g, "%23");
}
