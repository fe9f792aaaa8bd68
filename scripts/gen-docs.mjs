// Writes docs/metrics.md from the metrics catalog. Run after `npm run build` (it imports the compiled module).

import { writeFileSync } from "node:fs";
import { renderMetricsDoc } from "../dist/metrics/docs.js";

if (process.platform !== "linux") {
  // The process metrics list is taken from a live registry; prom-client has more of them on Linux.
  console.error("gen-docs: run on Linux, where prom-client exports every process metric the docs list");
  process.exit(1);
}
const target = new URL("../docs/metrics.md", import.meta.url);
writeFileSync(target, await renderMetricsDoc());
console.log(`wrote ${target.pathname}`);
