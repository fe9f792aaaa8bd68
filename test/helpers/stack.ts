// Test harness: a simulator and a gateway on ephemeral loopback ports, in this process, with recorded request events.

import { defaultServeConfig, type ServeConfig } from "../../src/config/serve-config.js";
import type { RequestRecord } from "../../src/events/request-events.js";
import { type RunningGateway, startGateway } from "../../src/gateway.js";
import { createLogger } from "../../src/log/logger.js";
import {
  type RunningSimulator,
  type SimulatorOptions,
  startSimulator,
} from "../../src/tools/simulator/index.js";

export interface Stack {
  gateway: RunningGateway;
  simulator: RunningSimulator;
  records: RequestRecord[];
  /** Resolves with the record of the next request to finish whose id matches, or the next one at all. */
  nextRecord(id?: string): Promise<RequestRecord>;
  close(): Promise<void>;
}

/** Fast, deterministic simulator settings: tests wait for logic, not for a 32B model. */
export const FAST_SIM: Partial<SimulatorOptions> = {
  decodeTps: 2000,
  prefillTps: 100_000,
  loadMs: 5,
  jitter: 0,
  parallel: 8,
};

export async function startStack(
  options: { sim?: Partial<SimulatorOptions>; gateway?: Partial<ServeConfig> } = {},
): Promise<Stack> {
  const simulator = await startSimulator({ ...FAST_SIM, host: "127.0.0.1", port: 0, ...options.sim });
  const records: RequestRecord[] = [];
  const waiters: { id?: string; resolve: (r: RequestRecord) => void }[] = [];
  const config = defaultServeConfig({
    listen: { host: "127.0.0.1", port: 0 },
    upstream: simulator.url,
    logLevel: "silent",
    ...options.gateway,
  });
  const gateway = await startGateway(config, {
    logger: createLogger("silent"),
    listeners: [
      (record) => {
        records.push(record);
        for (let i = 0; i < waiters.length; i++) {
          const w = waiters[i];
          if (w && (w.id === undefined || w.id === record.id)) {
            waiters.splice(i, 1);
            w.resolve(record);
            return;
          }
        }
      },
    ],
  });
  return {
    gateway,
    simulator,
    records,
    nextRecord(id) {
      const found = records.find((r) => id !== undefined && r.id === id);
      if (found) return Promise.resolve(found);
      return new Promise((resolve) => waiters.push({ id, resolve }));
    },
    async close() {
      await gateway.stop(1000);
      await simulator.close();
    },
  };
}
