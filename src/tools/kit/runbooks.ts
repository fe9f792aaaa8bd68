// What to do when an alert fires: one runbook per alert, the text the kit's RUNBOOKS.md and the gateway's /runbooks/ pages render.

import type { AlertKey } from "./options.js";

/**
 * Text uses a small inline syntax that both renderers understand: `code` and _a dashboard panel_. Anything else
 * is plain text (HTML-escaped on the gateway's pages).
 */
export interface Runbook {
  /** What the alert means, one or two sentences. */
  what: string;
  /** What to check, in order. */
  steps: readonly string[];
}

/** Where every investigation starts, shown above the runbooks. */
export const RUNBOOK_INTRO =
  "Start from the Grafana dashboard (job and instance from the alert's labels) or the gateway's own dashboard " +
  "(`/ui/`), then the gateway's log: `journalctl -u llmgate --since -15min`, one JSON line per request with its " +
  "`outcome`, `status`, `errorCode`, `ttftMs` and `upstreamMs`.";

export const RUNBOOKS: Readonly<Record<AlertKey, Runbook>> = {
  "gateway-down": {
    what:
      "Prometheus failed to scrape `/metrics` on the gateway for a minute. Clients of this gateway most likely get " +
      "connection errors too.",
    steps: [
      "`systemctl status llmgate` and `journalctl -u llmgate -n 50`: crashed, restarting, or failing at start (a " +
        "bad config value exits with code 2 and names the key)?",
      "On the Prometheus host: `curl -sv http://<target>/metrics | head`. Connection refused: not listening on that " +
        "address (`LLMGATE_LISTEN`, `LLMGATE_METRICS_LISTEN`). Timeout: firewall. 401: `metrics-token` is set and " +
        "the scrape job has no `authorization`.",
      "_Status → Targets_ in Prometheus shows the scrape error verbatim.",
    ],
  },
  "target-missing": {
    what: "Prometheus has no target in the job at all, so every other llmgate alert is blind.",
    steps: [
      "`promtool check config /etc/prometheus/prometheus.yml`: is the job still there, with this name?",
      "Was Prometheus restarted with another config, or the job renamed without regenerating the kit (`--job`)?",
      "_Status → Targets_: the job should be listed with at least one target.",
    ],
  },
  "error-ratio": {
    what: "More than the allowed share of requests were answered with a 5xx status.",
    steps: [
      "Dashboard, _Errors by status code and route_: which status? 502 `upstream_unreachable` or " +
        "`upstream_http_error`: Ollama is down or failing (see `LlmgateUpstreamDown`, `journalctl -u ollama`); 503: " +
        "Ollama is overloaded (`OLLAMA_MAX_QUEUE`) or the gateway is draining; 504 `upstream_timeout`: no first byte " +
        "within `first-byte-timeout` (a model loading for minutes, a long queue, or a non-streaming answer longer " +
        "than that).",
      "_Upstream errors by class_ tells connect / timeout / status / protocol apart.",
      "The log: `journalctl -u llmgate --since -10min | grep '\"status\":5'` shows `errorCode` and Ollama's message.",
    ],
  },
  latency: {
    what:
      "The slowest 5% of requests took longer than the threshold. Request duration includes generation, so long " +
      "answers raise it even when nothing is wrong.",
    steps: [
      "Compare with _Time to first token_: if first tokens are fast, the answers are long (check _Tokens per " +
        "second_ and _Generations by done reason_, `length` means `max_tokens` was hit); raise `--p95-latency` or " +
        "rely on the first-token alert.",
      "If first tokens are slow too, follow `LlmgateSlowFirstToken`.",
      "_Gateway overhead_ should stay far below a millisecond; if not, see _Event loop lag_ and _Process CPU_.",
    ],
  },
  ttft: {
    what: "Streaming users of a model waited longer than the threshold for the first token.",
    steps: [
      "_Prefill, decode and load time_: a high load time means the model is being (re)loaded: see " +
        "`LlmgateModelReloading`.",
      "_Engine time to first token_ (Ollama's own view) high as well: Ollama is queueing (more concurrent requests " +
        "than `OLLAMA_NUM_PARALLEL`) or prompts are long (prefill time). Upstream first byte shows the same from the " +
        "gateway's side.",
      "_Model memory: total and VRAM_: VRAM below the total means part of the model runs on the CPU, which is slow.",
    ],
  },
  "streams-failing": {
    what:
      "Streams that started with HTTP 200 failed before completing. Clients saw a final error frame instead of " +
      "`data: [DONE]`; status-code ratios do not show these.",
    steps: [
      "_Stream outcomes_: `upstream_error` (Ollama reported an error mid-stream or closed early), `timeout` " +
        "(silence longer than `idle-timeout`), `client_abort` (clients leaving; high numbers usually mean clients " +
        "time out first).",
      "`journalctl -u ollama` around the time: out of memory, runner crashes (`llama runner process has " +
        "terminated`).",
      'The log: `journalctl -u llmgate | grep \'"stream":true\' | grep -v \'"outcome":"completed"\'`.',
    ],
  },
  "queue-saturated": {
    what:
      "The gateway's admission queue was never empty during the window: every upstream slot is busy, and requests " +
      "wait before reaching Ollama (_Admission queue wait_).",
    steps: [
      "_Connections, requests in flight and queue_: sustained demand above `max-concurrency` (default 4)?",
      "`max-concurrency` should match what Ollama runs at once (`OLLAMA_NUM_PARALLEL` × models loaded). If the GPU " +
        "has headroom, raise both together; otherwise the hardware is the limit: add capacity, or let `max-queue` " +
        "and `queue-timeout` shed load deliberately.",
    ],
  },
  "requests-shed": {
    what:
      "Requests were refused with 503 and `Retry-After` because the queue was full (`queue_full`, beyond " +
      "`max-queue`) or they waited longer than `queue-timeout` (`queue_timeout`).",
    steps: [
      "_Admission rejections by reason_, _Admission queue wait_, and `LlmgateQueueSaturated`.",
      "Short bursts: a longer `max-queue` or `queue-timeout` absorbs them (clients wait instead). Sustained: as for " +
        "a saturated queue. `rate_limited` and `unauthorized` rejections are the clients' doing and do not count " +
        "here.",
    ],
  },
  "upstream-down": {
    what: "The gateway cannot reach Ollama's `/api/version`; requests fail with 502 `upstream_unreachable`.",
    steps: [
      "`systemctl status ollama`, `journalctl -u ollama -n 100`.",
      "From the gateway host: `curl -s http://127.0.0.1:11434/api/version` (or the `LLMGATE_UPSTREAM` address).",
      "`curl -s http://127.0.0.1:18789/readyz` gives the gateway's view and the reason.",
    ],
  },
  "model-reloading": {
    what:
      "Ollama loaded the same model several times within the window. Every load makes a user wait (seconds to " +
      "minutes for a 32B model).",
    steps: [
      "_Time until unload_: a short `keep_alive` (`OLLAMA_KEEP_ALIVE`, or clients sending `keep_alive`) unloads " +
        "the model between requests: raise it.",
      "_Models loaded_ and _Model memory_: two models that do not fit together evict each other; pin one model, " +
        "add memory, or set `OLLAMA_MAX_LOADED_MODELS`.",
      "`journalctl -u ollama | grep -i load` shows each load.",
    ],
  },
  "memory-high": {
    what: "The gateway process has used more resident memory than the threshold for a while.",
    steps: [
      "_Process memory_: heap growing steadily with flat traffic suggests a leak (report it, with the version from " +
        "`llmgate_build_info`); memory following _requests in flight_ is large request bodies (base64 images up to " +
        "`body-limit`, 32 MiB each) held by concurrent requests.",
      "Lower `body-limit` or concurrency; `systemctl restart llmgate` drains in-flight requests first.",
    ],
  },
};
