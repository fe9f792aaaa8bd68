// Keeps N cores busy for a bounded time, to run timing-sensitive tests on a loaded machine; stops by itself.
// Usage: node scripts/cpu-load.mjs [--cores N] [--seconds S]   (defaults: every core, 120 s)
// e.g.   node scripts/cpu-load.mjs --cores 2 --seconds 300 & npx vitest run test/faults.test.ts

import { availableParallelism } from "node:os";
import { parseArgs } from "node:util";
import { isMainThread, Worker, workerData } from "node:worker_threads";

if (isMainThread) {
  const { values } = parseArgs({
    options: {
      cores: { type: "string", default: String(availableParallelism()) },
      seconds: { type: "string", default: "120" },
    },
  });
  const cores = Number(values.cores);
  const seconds = Number(values.seconds);
  if (!Number.isInteger(cores) || cores < 1 || !(seconds > 0) || seconds > 3600) {
    console.error("cpu-load: --cores must be a positive integer and --seconds in (0, 3600]");
    process.exit(2);
  }
  const until = Date.now() + seconds * 1000;
  const workers = Array.from(
    { length: cores },
    () => new Worker(new URL(import.meta.url), { workerData: until }),
  );
  console.error(`cpu-load: ${cores} busy thread(s) for ${seconds} s (pid ${process.pid})`);
  // A safety net beside the workers' own deadline: the process ends on time even if a worker hangs.
  const stop = () => {
    for (const w of workers) w.terminate();
  };
  setTimeout(stop, seconds * 1000 + 1000).unref();
  process.on("SIGINT", stop).on("SIGTERM", stop);
} else {
  // Spins in slices and checks the clock between them, so the deadline is kept within a few milliseconds.
  const until = workerData;
  let x = 0;
  while (Date.now() < until) {
    for (let i = 0; i < 1_000_000; i++) x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
  }
  if (x === -1) console.log(x); // keeps the loop from being optimised away
}
