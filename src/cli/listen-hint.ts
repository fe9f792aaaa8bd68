// `--port 8080` and `--host 0.0.0.0` are what people type first; llmgate takes one --listen HOST:PORT instead.

import { Option } from "commander";

/** Hidden flags that exist only to point at --listen; see listenHint. */
export function listenHintOptions(): Option[] {
  return [new Option("--port <PORT>").hideHelp(), new Option("--host <HOST>").hideHelp()];
}

/**
 * The usage message for --port and/or --host, with the --listen value that means the same (the other half
 * from `fallback`, the listen address in effect by default); undefined when neither was given.
 */
export function listenHint(
  given: { port?: unknown; host?: unknown },
  fallback: { host: string; port: number },
): string | undefined {
  if (given.port === undefined && given.host === undefined) return undefined;
  const host = typeof given.host === "string" && given.host !== "" ? given.host : fallback.host;
  const port = typeof given.port === "string" && given.port !== "" ? given.port : String(fallback.port);
  const flags = [given.host !== undefined ? "--host" : "", given.port !== undefined ? "--port" : ""]
    .filter(Boolean)
    .join(" and ");
  const hostPart = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  return `unknown option ${flags}: the address is one option, --listen HOST:PORT; use --listen ${hostPart}:${port}`;
}
