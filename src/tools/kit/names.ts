// Series names the kit uses: the catalog's metrics under the prefix, and the recording rules' outputs.

import { PROBE_ROUTES } from "../../events/request-events.js";
import { CATALOG, type CatalogKey } from "../../metrics/catalog.js";
import { type KitOptions, promDuration } from "./options.js";

/** `<prefix>_<name>` of a catalog metric. */
export function metric(o: Pick<KitOptions, "prefix">, key: CatalogKey): string {
  return `${o.prefix}_${CATALOG[key].name}`;
}

/** `<prefix>_<name>` of one of prom-client's process metrics (documented in the catalog's PROCESS_METRICS). */
export function processMetric(
  o: Pick<KitOptions, "prefix">,
  name: "process_resident_memory_bytes" | "process_cpu_seconds_total" | "process_open_fds",
): string {
  return `${o.prefix}_${name}`;
}

/** `job="<job>"`: every rule selects the kit's own scrape job. */
export function jobMatcher(o: Pick<KitOptions, "job">): string {
  return `job="${o.job}"`;
}

/**
 * Leaves health probes out of request figures, as the built-in dashboard does: a load balancer probing
 * /readyz while Ollama is down is not users failing (Ollama down has its own alert).
 */
export const NOT_PROBE = `path!~"${[...PROBE_ROUTES].sort().join("|")}"`;

/**
 * Recording rule outputs, named level:metric:operations (Prometheus' naming practice). The level names the
 * labels kept besides `job`: `instance`, or `instance_model`. The window is part of the name, so a kit generated
 * with another --rate-window cannot be mistaken for this one.
 */
export function recorded(o: Pick<KitOptions, "prefix" | "rateWindowSeconds">) {
  const w = promDuration(o.rateWindowSeconds);
  const p = o.prefix;
  return {
    requestsRate: `instance:${p}_requests:rate${w}`,
    errorsRate: `instance:${p}_requests_5xx:rate${w}`,
    errorRatio: `instance:${p}_requests_5xx:ratio_rate${w}`,
    latencyP95: `instance:${p}_request_duration_seconds:p95_rate${w}`,
    ttftP95: `instance_model:${p}_time_to_first_token_seconds:p95_rate${w}`,
    ttftRate: `instance_model:${p}_time_to_first_token_seconds_count:rate${w}`,
    streamsRate: `instance:${p}_streams:rate${w}`,
    streamFailureRatio: `instance:${p}_streams_failed:ratio_rate${w}`,
    shedRate: `instance:${p}_requests_shed:rate${w}`,
    shedRatio: `instance:${p}_requests_shed:ratio_rate${w}`,
  } as const;
}
export type RecordedNames = ReturnType<typeof recorded>;
