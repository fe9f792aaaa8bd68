// Says what went wrong reaching the upstream in words, once: "connection refused to 127.0.0.1:11434".

type SocketError = Error & {
  code?: string;
  address?: string;
  port?: number;
  hostname?: string;
  errors?: unknown[];
  cause?: unknown;
};

const WHAT: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  EPIPE: "connection closed",
  ETIMEDOUT: "connection timed out",
  UND_ERR_CONNECT_TIMEOUT: "connection timed out",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "DNS lookup failed (temporary)",
  UND_ERR_SOCKET: "connection closed",
  UND_ERR_CLOSED: "connection closed",
};

/**
 * The innermost socket error: undici and Node wrap it in a `cause` or, when several addresses were tried
 * (happy eyeballs), in an AggregateError whose `errors` all say the same.
 */
function rootCause(err: unknown): SocketError | undefined {
  if (!err || typeof err !== "object") return undefined;
  let e = err as SocketError;
  for (let depth = 0; depth < 5; depth++) {
    if (e.code && WHAT[e.code] && (e.address || e.hostname)) return e;
    const next = e.errors?.[0] ?? e.cause;
    if (!next || typeof next !== "object") return e;
    e = next as SocketError;
  }
  return e;
}

/**
 * A short description of a failure to reach a host, e.g. "connection refused to 127.0.0.1:1" or
 * "host not found: gpu-box". Errors it does not know keep their own message, with the code said once.
 */
export function describeConnectError(err: unknown): string {
  const root = rootCause(err);
  if (!root) return String(err);
  const what = root.code ? WHAT[root.code] : undefined;
  if (what && root.code === "ENOTFOUND" && root.hostname) return `${what}: ${root.hostname}`;
  if (what && root.code === "EAI_AGAIN" && root.hostname) return `${what} for ${root.hostname}`;
  if (what && root.address) {
    const host = root.address.includes(":") ? `[${root.address}]` : root.address;
    return `${what} to ${root.port === undefined ? host : `${host}:${root.port}`}`;
  }
  if (what) return what;
  const message = root.message || String(err);
  return root.code && !message.includes(root.code) ? `${message} (${root.code})` : message;
}
