// One line a person can act on when `llmgate serve` cannot open its listening socket.

export interface Listeners {
  listen: { host: string; port: number };
  metricsListen: { host: string; port: number } | null;
}

/**
 * The message for a listen error (address in use, no permission, address not on this machine), naming the
 * flag that sets the address; undefined for any other error, which the caller reports in full.
 */
export function listenFailureMessage(err: unknown, listeners: Listeners): string | undefined {
  const e = err as NodeJS.ErrnoException & { address?: string; port?: number };
  if (e === null || typeof e !== "object" || e.syscall !== "listen") return undefined;
  const metrics = listeners.metricsListen;
  const isMetrics = metrics !== null && e.port === metrics.port && e.port !== listeners.listen.port;
  const where = isMetrics ? metrics : listeners.listen;
  const flag = isMetrics ? "--metrics-listen" : "--listen";
  const address = `${where.host.includes(":") ? `[${where.host}]` : where.host}:${where.port}`;
  switch (e.code) {
    case "EADDRINUSE":
      return `llmgate: ${address} is already in use (another llmgate or Ollama?); choose another with ${flag}`;
    case "EACCES":
      return `llmgate: no permission to listen on ${address} (ports below 1024 need privileges); choose another with ${flag}`;
    case "EADDRNOTAVAIL":
      return `llmgate: ${where.host} is not an address of this machine; choose another with ${flag}`;
    default:
      return undefined;
  }
}
