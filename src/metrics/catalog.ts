// The metrics catalog: every series llmgate exports, as data. Code, docs/metrics.md and tests all derive from it.

export type MetricType = "counter" | "gauge" | "histogram";

export type MetricGroup = "seed" | "gateway" | "llm" | "outcomes" | "upstream" | "admission" | "process";

export interface MetricSpec {
  /** Name after `<prefix>_`. */
  readonly name: string;
  readonly type: MetricType;
  readonly help: string;
  readonly labels: readonly string[];
  /** Base unit, for the docs (names carry it as a suffix already). */
  readonly unit:
    | "seconds"
    | "bytes"
    | "tokens"
    | "tokens per second"
    | "requests"
    | "connections"
    | "models"
    | "";
  readonly group: MetricGroup;
  /** Default bucket bounds; configurable per metric with `metrics-buckets`. */
  readonly buckets?: readonly number[];
  /** Observations carry the request id as an OpenMetrics exemplar. */
  readonly exemplars?: boolean;
  /** A PromQL example for the docs; `P` stands for the prefix. */
  readonly example: string;
}

/** End-to-end request latency: a 32B model answers in tens of seconds, loading it can take minutes. */
const LATENCY = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 20, 30, 60, 120, 300, 600] as const;
/** Time to first token: sub-second when the model is warm, up to minutes when it has to load first. */
const TTFT = [0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 20, 30, 60, 120, 300] as const;
/** Per-token latency while decoding (25 tokens/s is 0.04 s). */
const PER_TOKEN = [0.005, 0.01, 0.02, 0.03, 0.04, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 1, 2.5] as const;
/** Time spent in the gateway itself: should stay far below a millisecond. */
const OVERHEAD = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1] as const;
/** Upstream time to first byte (queue in Ollama + load + prefill). */
const FIRST_BYTE = TTFT;
/** Body sizes from a tiny JSON request to base64 images (powers of 4, 64 B to 64 MiB). */
const SIZE = [64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864] as const;
const TOKENS_PER_SECOND = [1, 2, 5, 10, 15, 20, 25, 30, 40, 50, 60, 80, 100, 150, 200, 400, 1000] as const;
const MODEL_LOAD = [0.01, 0.1, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300] as const;
const PREFILL = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120] as const;
const QUEUE_WAIT = [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300] as const;

export const CATALOG = {
  // The seed's four metrics: with --metrics-prefix clawdbot_qwen3_gateway these are its exact names and labels.
  requestsTotal: {
    name: "requests_total",
    type: "counter",
    help: "HTTP requests answered, by numeric status code, method and route template.",
    labels: ["code", "method", "path"],
    unit: "requests",
    group: "seed",
    example: 'sum(rate(P_requests_total{code=~"5.."}[5m])) / sum(rate(P_requests_total[5m]))',
  },
  requestDuration: {
    name: "request_duration_seconds",
    type: "histogram",
    help: "Time from a request's arrival to the last byte of its response.",
    labels: ["code", "method", "path"],
    unit: "seconds",
    group: "seed",
    buckets: LATENCY,
    exemplars: true,
    example: "histogram_quantile(0.95, sum by (le) (rate(P_request_duration_seconds_bucket[5m])))",
  },
  requestSize: {
    name: "request_size_bytes",
    type: "histogram",
    help: "Request body bytes actually received (not Content-Length).",
    labels: ["method", "path"],
    unit: "bytes",
    group: "seed",
    buckets: SIZE,
    example:
      "sum by (path) (rate(P_request_size_bytes_sum[5m])) / sum by (path) (rate(P_request_size_bytes_count[5m]))",
  },
  responseSize: {
    name: "response_size_bytes",
    type: "histogram",
    help: "Response body bytes actually written to the client.",
    labels: ["code", "method", "path"],
    unit: "bytes",
    group: "seed",
    buckets: SIZE,
    example: "histogram_quantile(0.5, sum by (le, path) (rate(P_response_size_bytes_bucket[5m])))",
  },

  // The gateway itself.
  requestsInFlight: {
    name: "requests_in_flight",
    type: "gauge",
    help: "Requests being handled right now (arrived, not yet ended).",
    labels: [],
    unit: "requests",
    group: "gateway",
    example: "P_requests_in_flight",
  },
  openConnections: {
    name: "open_connections",
    type: "gauge",
    help: "Client TCP connections open to the gateway right now.",
    labels: [],
    unit: "connections",
    group: "gateway",
    example: "P_open_connections",
  },
  overhead: {
    name: "gateway_overhead_seconds",
    type: "histogram",
    help: "Time spent in the gateway itself: total duration minus upstream time minus queue wait.",
    labels: ["path"],
    unit: "seconds",
    group: "gateway",
    buckets: OVERHEAD,
    example: "histogram_quantile(0.99, sum by (le) (rate(P_gateway_overhead_seconds_bucket[5m])))",
  },
  upstreamDuration: {
    name: "upstream_request_duration_seconds",
    type: "histogram",
    help: "Time the upstream (Ollama) request was open, from sending it to the end of its response.",
    labels: ["path"],
    unit: "seconds",
    group: "gateway",
    buckets: LATENCY,
    example:
      "histogram_quantile(0.95, sum by (le, path) (rate(P_upstream_request_duration_seconds_bucket[5m])))",
  },
  upstreamFirstByte: {
    name: "upstream_first_byte_seconds",
    type: "histogram",
    help: "Time from sending the upstream request to its response headers (for Ollama streams: the first chunk is ready; for non-streaming requests: the whole answer).",
    labels: ["path"],
    unit: "seconds",
    group: "gateway",
    buckets: FIRST_BYTE,
    example: "histogram_quantile(0.95, sum by (le) (rate(P_upstream_first_byte_seconds_bucket[5m])))",
  },
  upstreamErrors: {
    name: "upstream_errors_total",
    type: "counter",
    help: "Upstream failures by class: connect (unreachable), timeout (first byte or idle), status (error answer), protocol (error inside a stream, bad or truncated data).",
    labels: ["path", "class"],
    unit: "requests",
    group: "gateway",
    example: "sum by (class) (rate(P_upstream_errors_total[5m]))",
  },

  // What the model did.
  ttft: {
    name: "time_to_first_token_seconds",
    type: "histogram",
    help: "Streaming requests: time from the request's arrival until the first content (text, reasoning or tool call) was flushed to the client. What the user waits for.",
    labels: ["model"],
    unit: "seconds",
    group: "llm",
    buckets: TTFT,
    exemplars: true,
    example: "histogram_quantile(0.95, sum by (le, model) (rate(P_time_to_first_token_seconds_bucket[5m])))",
  },
  engineTtft: {
    name: "engine_time_to_first_token_seconds",
    type: "histogram",
    help: "Every generation: Ollama's own time to first token, total_duration minus eval_duration (its queue, model load and prompt processing). The engine-side view; for non-streaming requests the only one.",
    labels: ["model"],
    unit: "seconds",
    group: "llm",
    buckets: TTFT,
    example:
      "histogram_quantile(0.95, sum by (le, model) (rate(P_engine_time_to_first_token_seconds_bucket[5m])))",
  },
  timePerOutputToken: {
    name: "time_per_output_token_seconds",
    type: "histogram",
    help: "Streaming requests: mean time between output tokens as the client receives them, (last token time - first token time) / (completion tokens - 1).",
    labels: ["model"],
    unit: "seconds",
    group: "llm",
    buckets: PER_TOKEN,
    example: "histogram_quantile(0.5, sum by (le, model) (rate(P_time_per_output_token_seconds_bucket[5m])))",
  },
  promptTokens: {
    name: "prompt_tokens_total",
    type: "counter",
    help: "Prompt (input) tokens processed, from Ollama's prompt_eval_count; by API key name when keys are configured.",
    labels: ["model", "key"],
    unit: "tokens",
    group: "llm",
    example: "sum by (model) (rate(P_prompt_tokens_total[5m]))",
  },
  completionTokens: {
    name: "completion_tokens_total",
    type: "counter",
    help: "Completion (output) tokens generated, reasoning included, from Ollama's eval_count; by API key name when keys are configured.",
    labels: ["model", "key"],
    unit: "tokens",
    group: "llm",
    example: "sum by (model) (rate(P_completion_tokens_total[5m]))",
  },
  decodeSpeed: {
    name: "decode_tokens_per_second",
    type: "histogram",
    help: "Decode speed of each generation, eval_count / eval_duration.",
    labels: ["model"],
    unit: "tokens per second",
    group: "llm",
    buckets: TOKENS_PER_SECOND,
    example: "histogram_quantile(0.5, sum by (le, model) (rate(P_decode_tokens_per_second_bucket[5m])))",
  },
  loadDuration: {
    name: "ollama_load_duration_seconds",
    type: "histogram",
    help: "Ollama's load_duration per generation: time spent scheduling and loading the model (near zero when it was loaded).",
    labels: ["model"],
    unit: "seconds",
    group: "llm",
    buckets: MODEL_LOAD,
    example: "sum by (model) (rate(P_ollama_load_duration_seconds_sum[5m]))",
  },
  prefillDuration: {
    name: "ollama_prefill_duration_seconds",
    type: "histogram",
    help: "Ollama's prompt_eval_duration per generation: prompt processing (prefill).",
    labels: ["model"],
    unit: "seconds",
    group: "llm",
    buckets: PREFILL,
    example:
      "histogram_quantile(0.95, sum by (le, model) (rate(P_ollama_prefill_duration_seconds_bucket[5m])))",
  },
  decodeDuration: {
    name: "ollama_decode_duration_seconds",
    type: "histogram",
    help: "Ollama's eval_duration per generation: token generation (decode).",
    labels: ["model"],
    unit: "seconds",
    group: "llm",
    buckets: LATENCY,
    example:
      "histogram_quantile(0.95, sum by (le, model) (rate(P_ollama_decode_duration_seconds_bucket[5m])))",
  },
  doneReasons: {
    name: "done_reasons_total",
    type: "counter",
    help: "Generations by Ollama's done_reason: stop, length (num_predict or context limit), load, unload, other.",
    labels: ["model", "reason"],
    unit: "requests",
    group: "llm",
    example: 'sum by (model) (rate(P_done_reasons_total{reason="length"}[1h]))',
  },

  // How requests ended.
  outcomes: {
    name: "request_outcomes_total",
    type: "counter",
    help: "Every request by its one outcome: completed, client_abort, timeout, upstream_error, rejected, shutdown, internal_error; by API key name when keys are configured.",
    labels: ["path", "model", "outcome", "key"],
    unit: "requests",
    group: "outcomes",
    example: 'sum by (outcome) (rate(P_request_outcomes_total{outcome!="completed"}[5m]))',
  },
  streams: {
    name: "streams_total",
    type: "counter",
    help: "Streaming responses that started (HTTP 200 sent), by outcome. Any outcome but completed is a stream that failed after 200.",
    labels: ["model", "outcome"],
    unit: "requests",
    group: "outcomes",
    example: 'sum(rate(P_streams_total{outcome!="completed"}[5m])) / sum(rate(P_streams_total[5m]))',
  },

  // The upstream and its models, polled from /api/version, /api/tags and /api/ps.
  upstreamUp: {
    name: "upstream_up",
    type: "gauge",
    help: "1 when the last poll of the upstream's /api/version succeeded, else 0.",
    labels: [],
    unit: "",
    group: "upstream",
    example: "P_upstream_up == 0",
  },
  upstreamInfo: {
    name: "upstream_version_info",
    type: "gauge",
    help: "The upstream's version (Ollama's /api/version) as a label; value 1. Absent while the upstream is down.",
    labels: ["version"],
    unit: "",
    group: "upstream",
    example: "P_upstream_version_info",
  },
  modelsAvailable: {
    name: "models_available",
    type: "gauge",
    help: "Models the upstream has (/api/tags).",
    labels: [],
    unit: "models",
    group: "upstream",
    example: "P_models_available",
  },
  modelsLoaded: {
    name: "models_loaded",
    type: "gauge",
    help: "Models loaded in the upstream's memory right now (/api/ps).",
    labels: [],
    unit: "models",
    group: "upstream",
    example: "P_models_loaded",
  },
  modelSize: {
    name: "model_size_bytes",
    type: "gauge",
    help: "Memory a loaded model uses in total, RAM plus VRAM (/api/ps size). Removed when the model unloads.",
    labels: ["model"],
    unit: "bytes",
    group: "upstream",
    example: "sum(P_model_size_bytes)",
  },
  modelVram: {
    name: "model_vram_bytes",
    type: "gauge",
    help: "GPU memory a loaded model uses (/api/ps size_vram); below model_size_bytes means part of it runs on the CPU.",
    labels: ["model"],
    unit: "bytes",
    group: "upstream",
    example: "P_model_vram_bytes / P_model_size_bytes < 1",
  },
  modelContext: {
    name: "model_context_length_tokens",
    type: "gauge",
    help: "Context length (num_ctx) a loaded model was allocated with (/api/ps context_length).",
    labels: ["model"],
    unit: "tokens",
    group: "upstream",
    example: "P_model_context_length_tokens",
  },
  modelExpiresIn: {
    name: "model_expires_in_seconds",
    type: "gauge",
    help: "Seconds until a loaded model is unloaded (/api/ps expires_at minus now), as of the last poll.",
    labels: ["model"],
    unit: "seconds",
    group: "upstream",
    example: "min by (model) (P_model_expires_in_seconds)",
  },
  modelLoads: {
    name: "model_loads_total",
    type: "counter",
    help: "Model loads seen: a model that appeared in /api/ps between two polls (models already loaded when the gateway started are not counted).",
    labels: ["model"],
    unit: "",
    group: "upstream",
    example: "sum by (model) (increase(P_model_loads_total[1h]))",
  },
  modelUnloads: {
    name: "model_unloads_total",
    type: "counter",
    help: "Model unloads seen: a model that left /api/ps between two polls.",
    labels: ["model"],
    unit: "",
    group: "upstream",
    example: "sum by (model) (increase(P_model_unloads_total[1h]))",
  },

  // Admission (filled by the admission queue; zero without one).
  queueLength: {
    name: "queue_length",
    type: "gauge",
    help: "Requests waiting in the gateway's admission queue for an upstream slot.",
    labels: [],
    unit: "requests",
    group: "admission",
    example: "P_queue_length",
  },
  queueCapacity: {
    name: "queue_capacity",
    type: "gauge",
    help: "Most requests the admission queue holds (max-queue); 0 when admission is off.",
    labels: [],
    unit: "requests",
    group: "admission",
    example: "P_queue_length / P_queue_capacity > 0.8",
  },
  concurrencyLimit: {
    name: "concurrency_limit",
    type: "gauge",
    help: "Most requests the gateway sends to the upstream at once (max-concurrency); 0 when unlimited.",
    labels: [],
    unit: "requests",
    group: "admission",
    example: "P_upstream_active_requests / P_concurrency_limit",
  },
  upstreamActive: {
    name: "upstream_active_requests",
    type: "gauge",
    help: "Requests holding an upstream slot right now (admitted, not yet ended).",
    labels: [],
    unit: "requests",
    group: "admission",
    example: "P_upstream_active_requests",
  },
  rejections: {
    name: "admission_rejections_total",
    type: "counter",
    help: "Requests refused before reaching the upstream, by reason: queue_full, queue_timeout, rate_limited, unauthorized.",
    labels: ["reason"],
    unit: "requests",
    group: "admission",
    example: "sum by (reason) (rate(P_admission_rejections_total[5m]))",
  },
  queueWait: {
    name: "queue_wait_seconds",
    type: "histogram",
    help: "Time requests waited in the gateway's admission queue before being sent upstream.",
    labels: [],
    unit: "seconds",
    group: "admission",
    buckets: QUEUE_WAIT,
    example: "histogram_quantile(0.95, sum by (le) (rate(P_queue_wait_seconds_bucket[5m])))",
  },

  // The process.
  buildInfo: {
    name: "build_info",
    type: "gauge",
    help: "llmgate's version and the Node.js version it runs on, as labels; value 1.",
    labels: ["version", "node_version"],
    unit: "",
    group: "process",
    example: "P_build_info",
  },
} as const satisfies Record<string, MetricSpec>;

export type CatalogKey = keyof typeof CATALOG;

/** The default process metrics (prom-client's), documented here because they are part of the catalog users see. */
export const PROCESS_METRICS: readonly { name: string; type: MetricType; help: string; example: string }[] = [
  {
    name: "process_cpu_seconds_total",
    type: "counter",
    help: "CPU time used (user + system).",
    example: "rate(P_process_cpu_seconds_total[5m])",
  },
  {
    name: "process_resident_memory_bytes",
    type: "gauge",
    help: "Resident memory (RSS).",
    example: "P_process_resident_memory_bytes",
  },
  {
    name: "process_open_fds",
    type: "gauge",
    help: "Open file descriptors (sockets included).",
    example: "P_process_open_fds / P_process_max_fds",
  },
  {
    name: "process_max_fds",
    type: "gauge",
    help: "The file descriptor limit.",
    example: "P_process_max_fds",
  },
  {
    name: "process_start_time_seconds",
    type: "gauge",
    help: "Start time, unix seconds.",
    example: "time() - P_process_start_time_seconds",
  },
  {
    name: "nodejs_heap_size_used_bytes",
    type: "gauge",
    help: "V8 heap in use.",
    example: "P_nodejs_heap_size_used_bytes",
  },
  {
    name: "nodejs_heap_size_total_bytes",
    type: "gauge",
    help: "V8 heap allocated.",
    example: "P_nodejs_heap_size_total_bytes",
  },
  {
    name: "nodejs_eventloop_lag_seconds",
    type: "gauge",
    help: "Event-loop lag (also _p50/_p90/_p99/_max variants).",
    example: "P_nodejs_eventloop_lag_p99_seconds",
  },
  {
    name: "nodejs_gc_duration_seconds",
    type: "histogram",
    help: "Garbage-collection pauses by kind.",
    example: "sum by (kind) (rate(P_nodejs_gc_duration_seconds_sum[5m]))",
  },
  {
    name: "nodejs_active_handles",
    type: "gauge",
    help: "Active libuv handles by type.",
    example: "sum(P_nodejs_active_handles)",
  },
];
