// Reads the process's CPU and memory once per sampling interval, from the same sources as prom-client's process metrics.

import { performance } from "node:perf_hooks";
import type { ProcessReading } from "./view.js";

/**
 * CPU is process.cpuUsage() (user + system, what process_cpu_seconds_total counts) over the wall time since
 * the previous read, in cores; memory is the resident set size and the V8 heap in use.
 */
export class ProcessSampler {
  #cpu = process.cpuUsage();
  #at = performance.now();
  #last: ProcessReading = { cpu: null, rssBytes: process.memoryUsage.rss(), heapBytes: 0 };

  /** Takes a new reading; the CPU figure covers the time since the previous call. */
  read(): ProcessReading {
    const at = performance.now();
    const used = process.cpuUsage(this.#cpu);
    const elapsedUs = (at - this.#at) * 1000;
    this.#cpu = process.cpuUsage();
    this.#at = at;
    const memory = process.memoryUsage();
    this.#last = {
      cpu: elapsedUs > 0 ? (used.user + used.system) / elapsedUs : null,
      rssBytes: memory.rss,
      heapBytes: memory.heapUsed,
    };
    return this.#last;
  }

  /** The latest reading, without taking a new one. */
  get last(): ProcessReading {
    return this.#last;
  }
}
