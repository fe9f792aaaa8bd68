// `llmgate serve`: flags generated from the config key table, config resolution, start, and signal-driven drain.

import { Command, Option } from "commander";
import { envName, SERVE_KEYS } from "../config/keys.js";
import { ConfigError } from "../config/load.js";
import { loadServeConfig } from "../config/serve-config.js";
import { parseListen } from "../config/units.js";
import { startGateway } from "../gateway.js";
import { createLogger } from "../log/logger.js";
import { EXIT, exitTwoOnUsageErrors } from "./exit-codes.js";
import { listenHint, listenHintOptions } from "./listen-hint.js";
import { listenFailureMessage } from "./start-failure.js";

const SERVE_DEFAULT_LISTEN = SERVE_KEYS.find((s) => s.key === "listen")?.default;

export function serveCommand(): Command {
  const cmd = new Command("serve")
    .summary("Run the gateway in front of Ollama.")
    .description(
      "Run the gateway: the OpenAI-compatible /v1 API and Ollama's native /api in front of Ollama. " +
        "Every option can also be set as an LLMGATE_* environment variable or as a key in the --config file " +
        "(precedence: flags, then environment, then file, then defaults).",
    )
    .option("-c, --config <FILE>", "YAML config file with the keys below (env: LLMGATE_CONFIG)");
  for (const option of listenHintOptions()) cmd.addOption(option);
  const attribute = new Map<string, string>();
  for (const spec of SERVE_KEYS) {
    if (spec.default === true) {
      // A switch that is on by default is turned off with --no-<key>. The hidden positive twin keeps
      // commander from defaulting the value to true, so "not given" stays undefined and the environment
      // and the config file still apply (flags > environment > file > defaults).
      const on = new Option(`--${spec.key}`).hideHelp();
      cmd.addOption(on);
      // Described as what --no-<key> does (offDescription); help.test.ts fails for a switch that lacks one.
      const off = spec.offDescription ?? `turn off ${spec.key}`;
      cmd.addOption(new Option(`--no-${spec.key}`, `${off} (env: ${envName(spec.key)}=false)`));
      attribute.set(spec.key, on.attributeName());
      continue;
    }
    const help = `${spec.description} (${[`env: ${envName(spec.key)}`, spec.default === "" ? "" : `default: ${spec.default}`].filter(Boolean).join("; ")})`;
    const flags = "arg" in spec ? `--${spec.key} <${spec.arg}>` : `--${spec.key}`;
    const option = new Option(flags, help);
    // Commander keeps only the last value of a repeated flag unless told to collect them.
    if ("repeatable" in spec && spec.repeatable)
      option.argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
    attribute.set(spec.key, option.attributeName());
    cmd.addOption(option);
  }
  cmd.addHelpText(
    "after",
    "\nExamples:\n" +
      "  llmgate serve                                  # 127.0.0.1:18789 -> Ollama at 127.0.0.1:11434\n" +
      "  llmgate serve --demo                           # no Ollama needed: built-in simulator upstream\n" +
      "  llmgate serve --demo --demo-load-ms 0 --demo-decode-tps 500   # a demo upstream that answers at once\n" +
      "  llmgate serve --listen 0.0.0.0:18789 --upstream http://gpu-box:11434\n" +
      "  LLMGATE_FIRST_BYTE_TIMEOUT=15m llmgate serve --config /etc/llmgate.yaml",
  );
  cmd.action(async (opts: Record<string, unknown>) => {
    const hint = listenHint(opts, parseListen(SERVE_DEFAULT_LISTEN) ?? { host: "127.0.0.1", port: 18789 });
    if (hint) cmd.error(`error: ${hint}`, { exitCode: EXIT.usage });
    const flags: Record<string, unknown> = {};
    for (const [key, attr] of attribute) flags[key] = opts[attr];
    let config: ReturnType<typeof loadServeConfig>;
    try {
      config = loadServeConfig({ flags, env: process.env, file: opts.config as string | undefined });
    } catch (err) {
      if (err instanceof ConfigError) {
        process.stderr.write(`${err.message}\n`);
        process.exit(EXIT.usage);
      }
      throw err;
    }
    const logger = createLogger(config.logLevel, { format: config.logFormat });
    // Handlers go in before start-up, so a signal that arrives while starting still drains cleanly.
    const starting = startGateway(config, { logger });
    // JSON log lines are batched: write out the last ones (stopped, the error) before the process ends.
    const exit = (code: number): never => {
      logger.flush();
      return process.exit(code);
    };
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        logger.warn({ signal }, "second signal: exiting now");
        exit(EXIT.failure);
      }
      stopping = true;
      void starting
        .then((gateway) => {
          logger.info(
            { signal, inflight: gateway.server.inflight, graceMs: config.shutdownGraceMs },
            "shutting down: no new requests, waiting for in-flight ones",
          );
          return gateway.stop();
        })
        .then(
          (result) => {
            logger.info(result, "stopped");
            exit(EXIT.ok);
          },
          (err: unknown) => {
            logger.error({ err }, "error while stopping");
            exit(EXIT.failure);
          },
        );
    };
    process.on("SIGTERM", onSignal);
    process.on("SIGINT", onSignal);
    try {
      await starting;
    } catch (err) {
      // A config problem found only at start (an unknown histogram in metrics-buckets) is a usage error too.
      if (err instanceof ConfigError) {
        process.stderr.write(`${err.message}\n`);
        process.exit(EXIT.usage);
      }
      const message = listenFailureMessage(err, config);
      if (message) process.stderr.write(`${message}\n`);
      else logger.fatal({ err }, `cannot start: ${(err as Error).message}`);
      exit(EXIT.failure);
    }
  });
  return exitTwoOnUsageErrors(cmd);
}
