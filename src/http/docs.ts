// Renders docs/routes.md from the route table, so the page cannot drift from what the router serves.

import { ROUTES, type RouteSpec } from "./route-table.js";

function matchText(r: RouteSpec): string {
  const m = r.match;
  if (m === "fallback") return "anything else";
  if ("exact" in m) return `\`${m.exact}\`${m.html ? " (a browser asking for text/html)" : ""}`;
  return `\`${m.prefix}…\`${m.nonEmpty ? " (non-empty rest)" : ""}`;
}

const flag = (on: boolean): string => (on ? "yes" : "");

export function renderRoutesDoc(): string {
  const rows = ROUTES.map(
    (r: RouteSpec) =>
      `| \`${r.name}\` | ${matchText(r)} | ${r.methods === "any" ? "any" : r.methods.join(", ")} | \`${r.auth}\` | \`${r.traffic}\` | ${r.format} | ${r.feature} | ${flag(r.admitted)} | ${flag(r.generation)} | ${r.body} | ${flag(r.streams)} |`,
  );
  return `<!-- Generated from src/http/route-table.ts by \`npm run docs\`; do not edit. -->

# Routes

Every path the gateway serves, from the one route table the router, the \`path\` label of the request metrics,
the dashboard's intake, the native passthrough and this page derive from. Rows are matched in order: exact
paths first, then prefixes; anything else is \`other\` (404 with a "did you mean" hint).

| name | path | methods | auth | traffic | errors | served by | admitted | generation | body | streams |
| ---- | ---- | ------- | ---- | ------- | ------ | --------- | -------- | ---------- | ---- | ------- |
${rows.join("\n")}

- **name**: the \`path\` label of \`llmgate_requests_total\` and friends (for counted routes), and \`route\` in the access log.
- **auth**: \`none\`; \`apiKey\`: with API keys configured, a valid key within its rate limits; \`admin\`: an admin key
  when \`admin-key\` names any, else any key; \`metricsToken\`: \`Authorization: Bearer <metrics-token>\` when one is set.
- **traffic**: \`user\` requests count everywhere; \`probe\` requests (health checks) count in \`/metrics\` and the access
  log but not on the dashboard, in \`/status.json\` or in the kit's request rate, error ratio and latency; \`none\`
  (scrapes, the dashboard's own pages and data, runbooks) are not requests for the figures at all.
- **errors**: the shape of error answers (OpenAI's \`{"error":{…}}\` or Ollama's \`{"error":"…"}\`); see [errors.md](errors.md).
- **served by**: \`api\` always; \`metrics\` unless \`metrics-listen\` moves \`/metrics\` to its own listener (which serves
  \`metrics\` and \`runbooks\` only); \`dashboard\` unless \`--no-ui\`; \`runbooks\` always.
- **admitted**: waits for an admission slot (\`max-concurrency\`, \`max-queue\`) before the upstream request.
- **body**: \`json\` is parsed and validated; \`buffered\` is read whole and forwarded unchanged (its model is peeked for
  logs and metrics); \`streamed\` is forwarded as it arrives.
`;
}
