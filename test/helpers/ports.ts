// Loopback ports for tests: one that is free now, which is also one that nothing listens on (an Ollama down).

import { createServer } from "node:net";

/** A loopback port free at the time of asking (bound, then released); nothing listens on it afterwards. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === "object") resolve(address.port);
        else reject(new Error("could not determine a free port"));
      });
    });
  });
}
