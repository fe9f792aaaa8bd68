// Writes docs/metrics.md from the metrics catalog, docs/errors.md from the error table and docs/routes.md from the
// route table. Run after `npm run build`
// (it imports the compiled modules).

import { writeFileSync } from "node:fs";
import { renderErrorsDoc } from "../dist/errors/docs.js";
import { renderRoutesDoc } from "../dist/http/docs.js";
import { renderMetricsDoc } from "../dist/metrics/docs.js";

if (process.platform !== "linux") {
  // The process metrics list is taken from a live registry; prom-client has more of them on Linux.
  console.error("gen-docs: run on Linux, where prom-client exports every process metric the docs list");
  process.exit(1);
}
const target = new URL("../docs/metrics.md", import.meta.url);
writeFileSync(target, await renderMetricsDoc());
console.log(`wrote ${target.pathname}`);
const errors = new URL("../docs/errors.md", import.meta.url);
writeFileSync(errors, renderErrorsDoc());
console.log(`wrote ${errors.pathname}`);
const routes = new URL("../docs/routes.md", import.meta.url);
writeFileSync(routes, renderRoutesDoc());
console.log(`wrote ${routes.pathname}`);
