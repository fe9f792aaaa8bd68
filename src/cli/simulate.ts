// `llmgate simulate`: the Ollama simulator as a standalone server, for tests, demos and load tests.

import { Command, Option } from "commander";
import { parseListen } from "../config/units.js";
import { createLogger } from "../log/logger.js";
import { defaultSimulatorOptions, type SimulatorOptions, startSimulator } from "../simulator/index.js";

type NumericKey =
  | "decodeTps"
  | "prefillTps"
  | "loadMs"
  | "parallel"
  | "maxQueue"
  | "jitter"
  | "seed"
  | "failRate"
  | "midstreamFailRate"
  | "hangRate";

const NUMERIC: {
  flag: string;
  key: NumericKey;
  description: string;
  min: number;
  max?: number;
  integer?: boolean;
}[] = [
  {
    flag: "decode-tps",
    key: "decodeTps",
    description: "tokens per second per stream while decoding",
    min: 0.001,
  },
  { flag: "prefill-tps", key: "prefillTps", description: "prompt tokens per second (prefill)", min: 0.001 },
  {
    flag: "load-ms",
    key: "loadMs",
    description: "milliseconds to load a model on first use or after keep_alive expiry",
    min: 0,
  },
  {
    flag: "parallel",
    key: "parallel",
    description: "parallel slots per model (OLLAMA_NUM_PARALLEL); more requests queue",
    min: 1,
    integer: true,
  },
  {
    flag: "max-queue",
    key: "maxQueue",
    description: "queued requests before 503 server busy (OLLAMA_MAX_QUEUE)",
    min: 0,
    integer: true,
  },
  { flag: "jitter", key: "jitter", description: "relative jitter of per-token delays, 0..1", min: 0, max: 1 },
  {
    flag: "seed",
    key: "seed",
    description: "seed of the generated text, jitter and fault draws",
    min: 0,
    integer: true,
  },
  {
    flag: "fail-rate",
    key: "failRate",
    description: "share of requests failing with 500 before any output, 0..1",
    min: 0,
    max: 1,
  },
  {
    flag: "midstream-fail-rate",
    key: "midstreamFailRate",
    description: "share of streams failing after some output, 0..1",
    min: 0,
    max: 1,
  },
  {
    flag: "hang-rate",
    key: "hangRate",
    description: "share of requests that never answer, 0..1",
    min: 0,
    max: 1,
  },
];

export function simulateCommand(): Command {
  const d = defaultSimulatorOptions;
  const cmd = new Command("simulate")
    .description(
      "Run an Ollama-compatible simulator (no GPU, no model): /api/chat, /api/generate, /api/embed, /api/tags,\n" +
        "/api/ps, /api/show, /api/version with realistic load, prefill and decode timing, parallel slots and\n" +
        "fault injection. Prompts may carry directives such as [sim:tokens=N] or [sim:midstream-fail];\n" +
        "see src/simulator/README.md.",
    )
    .option("--listen <HOST:PORT>", "address to listen on", `${d.host}:${d.port}`)
    .option(
      "--model <NAME>",
      `a model to offer; repeatable (default: ${d.models.join(", ")})`,
      collect,
      [] as string[],
    )
    .option("--keep-alive <DURATION>", "default keep_alive of loaded models", d.keepAlive)
    .option("--log-level <LEVEL>", "log verbosity", "info");
  for (const n of NUMERIC) cmd.addOption(new Option(`--${n.flag} <N>`, n.description).default(d[n.key]));
  cmd.action(async (opts: Record<string, unknown>) => {
    const fail = (message: string): never => {
      process.stderr.write(`simulate: ${message}\n`);
      process.exit(2);
    };
    const listen =
      parseListen(opts.listen) ?? fail(`--listen: expected HOST:PORT, got ${JSON.stringify(opts.listen)}`);
    const options: Partial<SimulatorOptions> = {
      host: listen.host,
      port: listen.port,
      keepAlive: String(opts.keepAlive),
    };
    const models = opts.model as string[];
    if (models.length > 0) options.models = models;
    for (const n of NUMERIC) {
      const raw = opts[Option.prototype.attributeName.call(new Option(`--${n.flag} <N>`))];
      const value = Number(raw);
      if (
        !Number.isFinite(value) ||
        value < n.min ||
        (n.max !== undefined && value > n.max) ||
        (n.integer && !Number.isInteger(value))
      )
        fail(
          `--${n.flag}: expected ${n.integer ? "an integer" : "a number"} >= ${n.min}${n.max !== undefined ? ` and <= ${n.max}` : ""}, got ${JSON.stringify(raw)}`,
        );
      options[n.key] = value;
    }
    const logger = createLogger((opts.logLevel as "info") ?? "info", "llmgate-simulate");
    const sim = await startSimulator(options);
    logger.info({ url: sim.url, models: options.models ?? d.models }, `simulator listening on ${sim.url}`);
    const stop = () => {
      void sim.close().then(() => process.exit(0));
    };
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
  });
  return cmd;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
