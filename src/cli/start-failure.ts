// One line a person can act on when `llmgate serve` cannot open its listening socket.

export interface Listeners {
  listen: { host: string; port: number };
  metricsListen: { host: string; port: number } | null;
}

/**
 * The message for a listen error (address in use, no permission, address not on this machine), naming the
 * flag that sets the address; undefined for any other error, which the caller reports in full.
 */
export function listenFailureMessage(
  err: unknown,
  listeners: Listeners,
  program = "llmgate",
): string | undefined {
  const e = err as NodeJS.ErrnoException & { address?: string; port?: number };
  if (e === null || typeof e !== "object" || e.syscall !== "listen") return undefined;
  const metrics = listeners.metricsListen;
  // The error names the address that failed; the two listeners may share a port on different hosts.
  // Names differ from addresses ("localhost"), so the port alone decides when the address matches neither.
  const exact = (l: { host: string; port: number }) => e.port === l.port && e.address === l.host;
  const byPort = (l: { host: string; port: number }) => e.port === l.port;
  const isMetrics =
    metrics !== null &&
    (exact(metrics) || (!exact(listeners.listen) && byPort(metrics) && !byPort(listeners.listen)));
  const where = isMetrics ? metrics : listeners.listen;
  const flag = isMetrics ? "--metrics-listen" : "--listen";
  const address = `${where.host.includes(":") ? `[${where.host}]` : where.host}:${where.port}`;
  switch (e.code) {
    case "EADDRINUSE":
      return `${program}: ${address} is already in use (another llmgate or Ollama?); choose another with ${flag}`;
    case "EACCES":
      return `${program}: no permission to listen on ${address} (ports below 1024 need privileges); choose another with ${flag}`;
    case "EADDRNOTAVAIL":
      return `${program}: ${where.host} is not an address of this machine; choose another with ${flag}`;
    default:
      return undefined;
  }
}
