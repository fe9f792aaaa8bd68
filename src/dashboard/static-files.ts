// The browser assets built into dist/ui: loaded into memory once, served with their type, validators and caching.

import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import { extname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

export interface StaticFile {
  body: Buffer;
  /** Present when gzip saves space. */
  gzip?: Buffer;
  etag: string;
  type: string;
  cacheControl: string;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".json": "application/json",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
};

/**
 * Where the bundle is: dist/ui beside dist/dashboard when running the build; from the sources (tests run
 * src/ directly) the build's dist/ui at the repository root.
 */
export function defaultUiDir(): string | undefined {
  for (const candidate of ["../ui/", "../../dist/ui/"]) {
    const dir = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(join(dir, "index.html"))) return dir;
  }
  return undefined;
}

/**
 * Reads every file under `dir`, keyed by its path relative to it ("index.html", "assets/app-X1Y2.js").
 * Files under assets/ carry a content hash in their name and are cached for a year; pages are revalidated
 * on every load (ETag), so a new build is picked up at once; anything else may be cached for 5 minutes.
 */
export function loadStaticFiles(dir: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) {
        const name = relative(dir, path).split(sep).join("/");
        const body = readFileSync(path);
        const type = TYPES[extname(name)] ?? "application/octet-stream";
        const gzip =
          body.length > 1024 && /^(text|application\/json|image\/svg)/.test(type)
            ? gzipSync(body)
            : undefined;
        files.set(name, {
          body,
          ...(gzip && gzip.length < body.length ? { gzip } : {}),
          etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`,
          type,
          cacheControl: name.startsWith("assets/")
            ? "public, max-age=31536000, immutable"
            : extname(name) === ".html"
              ? "no-cache"
              : "public, max-age=300",
        });
      }
    }
  };
  walk(dir);
  return files;
}

/** Answers GET/HEAD with the file: 304 when the client's copy is current, gzip when the client takes it. */
export function sendStatic(
  req: IncomingMessage,
  res: ServerResponse,
  file: StaticFile,
  headers: OutgoingHttpHeaders = {},
): void {
  const common: OutgoingHttpHeaders = {
    "cache-control": file.cacheControl,
    etag: file.etag,
    vary: "Accept-Encoding",
    "x-content-type-options": "nosniff",
    ...headers,
  };
  const match = req.headers["if-none-match"];
  if (match?.split(",").some((tag) => tag.trim().replace(/^W\//, "") === file.etag)) {
    res.writeHead(304, common).end();
    return;
  }
  const gzip = file.gzip !== undefined && /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
  const body = gzip ? (file.gzip as Buffer) : file.body;
  res.writeHead(200, {
    ...common,
    "content-type": file.type,
    "content-length": body.length,
    ...(gzip ? { "content-encoding": "gzip" } : {}),
  });
  res.end(req.method === "HEAD" ? undefined : body);
}
