// Renders docs/errors.md from the error table, so the page lists exactly the codes and what each one means.

import { ERROR_CODES, ERROR_SPEC, type ErrorSpec } from "./error-spec.js";

const code = (s: string | number) => `\`${s}\``;

function outcomeCell(spec: ErrorSpec): string {
  return spec.outcome === "by_status"
    ? "`rejected` for a 4xx other than 429, else `upstream_error`"
    : code(spec.outcome);
}

function headersCell(spec: ErrorSpec): string {
  const h = spec.headers;
  const out: string[] = [];
  if (h?.close) out.push("`Connection: close`");
  if (h?.retryAfterS !== undefined) out.push(`\`Retry-After: ${h.retryAfterS}\``);
  if (h?.wwwAuthenticate !== undefined) out.push(`\`WWW-Authenticate: ${h.wwwAuthenticate}\``);
  return out.join(", ");
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** The Markdown page for docs/errors.md. Deterministic: the same table gives the same bytes. */
export function renderErrorsDoc(): string {
  const out: string[] = [];
  const line = (text = "") => out.push(text);
  line("# Errors");
  line();
  line("<!-- Generated from src/errors/error-spec.ts by `npm run docs`; edit the table, not this file. -->");
  line();
  line(
    'Every error on the OpenAI routes is an OpenAI error object, `{"error":{"message","type","param","code"}}`, ' +
      "with one of the stable codes below; a stream that fails after it started ends with the same object in a " +
      'final `data:` frame and no `data: [DONE]`. Errors the gateway raises on Ollama\'s native routes use Ollama\'s shape, `{"error":"…"}`, ' +
      "with the same status.",
  );
  line();
  line(
    "The status is the code's unless the error carries its own: `upstream_http_error` passes a 4xx or 503 of the " +
      "upstream through, and an error answered with another status takes that status's type (`404` is " +
      "`not_found_error`, `429` `rate_limit_error`, another 4xx `invalid_request_error`, a 5xx `server_error`).",
  );
  line();
  line(
    "**Outcome** is how the request is counted (`request_outcomes_total`, the access log, the dashboard); a client " +
      "that left first is a `client_abort` and a request the gateway aborted at shutdown a `shutdown`, whatever the " +
      "error. **Class** is the `class` label of `upstream_errors_total`, **reason** the `reason` label of " +
      "`admission_rejections_total` ([metrics](metrics.md)). **Headers** are sent beside the body when the error is " +
      "answered before the response started; a rate limit's `Retry-After` is the seconds until the key's budget " +
      "refills, and `WWW-Authenticate` goes with a 401 only.",
  );
  line();
  line("| Code | Status | Type | Outcome | Class | Reason | Headers | When |");
  line("|---|---|---|---|---|---|---|---|");
  for (const name of ERROR_CODES) {
    const spec: ErrorSpec = ERROR_SPEC[name];
    const cells = [
      code(name),
      code(spec.status),
      code(spec.type),
      outcomeCell(spec),
      spec.upstreamClass === undefined ? "" : code(spec.upstreamClass),
      spec.rejection === undefined ? "" : code(spec.rejection),
      headersCell(spec),
      spec.description,
    ];
    line(`| ${cells.map(cell).join(" | ")} |`);
  }
  line();
  return out.join("\n");
}
