// Reads the URL of an `image_url` content part: only base64 data URIs are accepted; the gateway never fetches a URL.

export type ImageUrlResult = { ok: true; base64: string } | { ok: false; message: string };

// `data:image/<subtype>;base64,` or the type-less `data:;base64,` that Ollama also accepts.
const DATA_URI_PREFIX = /^data:(?:image\/[a-z0-9.+-]+)?;base64,/i;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const REMOTE = /^https?:\/\//i;

/**
 * `ok` with the standard-base64 payload (the data-URI prefix removed), or the reason it is refused:
 * an http(s) URL (fetching it would let clients make the gateway request arbitrary URLs: SSRF), or a
 * malformed data URI / base64 payload.
 */
export function parseImageUrl(url: string): ImageUrlResult {
  if (REMOTE.test(url)) {
    return {
      ok: false,
      message:
        "image URLs are not supported (the gateway does not fetch URLs); send a data:image/...;base64, URI",
    };
  }
  const prefix = DATA_URI_PREFIX.exec(url);
  if (prefix === null) return { ok: false, message: "expected a data:image/<type>;base64,<data> URI" };
  const base64 = url.slice(prefix[0].length);
  if (base64.length % 4 !== 0 || !BASE64.test(base64)) {
    return { ok: false, message: "the data URI does not carry valid standard base64" };
  }
  return { ok: true, base64 };
}
