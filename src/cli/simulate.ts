// `llmgate simulate`: the Ollama simulator as a standalone server, for tests, demos and load tests.

import { Command, Option } from "commander";
import type { LogFormat } from "../config/serve-config.js";
import { parseListen } from "../config/units.js";
import { createLogger } from "../log/logger.js";
import { DIRECTIVE_HELP } from "../tools/simulator/directives.js";
import {
  defaultSimulatorOptions,
  type RunningSimulator,
  type SimulatorOptions,
  startSimulator,
} from "../tools/simulator/index.js";
import { knobExpectation, knobValue, SIMULATOR_KNOBS } from "../tools/simulator/knobs.js";
import { EXIT, exitTwoOnUsageErrors } from "./exit-codes.js";
import { listenHint, listenHintOptions } from "./listen-hint.js";
import { listenFailureMessage } from "./start-failure.js";

export function simulateCommand(): Command {
  const d = defaultSimulatorOptions;
  const cmd = new Command("simulate")
    .summary("Run an Ollama-compatible simulator for tests, demos and load tests.")
    .description(
      "Run an Ollama-compatible simulator (no GPU, no model): /api/chat, /api/generate, /api/embed, " +
        "/api/tags, /api/ps, /api/show and /api/version, with realistic load, prefill and decode timing, " +
        "parallel slots and fault injection. Prompts may carry directives such as [sim:tokens=N] or " +
        "[sim:midstream-fail] (listed below).",
    )
    .option("--listen <HOST:PORT>", "address to listen on", `${d.host}:${d.port}`)
    .addOption(
      new Option("--model <NAME>", "a model to offer; repeatable")
        .argParser(collect)
        .default([] as string[], d.models.join(", ")),
    )
    .option("--keep-alive <DURATION>", "default keep_alive of loaded models", d.keepAlive)
    .addOption(
      new Option("--log-level <LEVEL>", "log verbosity")
        .choices(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
        .default("info"),
    )
    .addOption(
      new Option("--log-format <FORMAT>", "log lines; auto: readable on a terminal, else JSON")
        .choices(["auto", "json", "pretty"])
        .default("auto"),
    );
  for (const option of listenHintOptions()) cmd.addOption(option);
  const knobs = SIMULATOR_KNOBS.map((knob) => ({
    knob,
    option: new Option(`--${knob.flag} <N>`, knob.description).default(d[knob.option]),
  }));
  for (const { option } of knobs) cmd.addOption(option);
  const width = Math.max(...DIRECTIVE_HELP.map(([syntax]) => syntax.length));
  cmd.addHelpText(
    "after",
    "\nDirectives, read from the last user message (or the prompt); they win over the fault rates:\n" +
      DIRECTIVE_HELP.map(([syntax, effect]) => `  ${syntax.padEnd(width)}  ${effect}\n`).join(""),
  );
  cmd.action(async (opts: Record<string, unknown>) => {
    const fail = (message: string): never => {
      process.stderr.write(`simulate: ${message}\n`);
      process.exit(EXIT.usage);
    };
    const hint = listenHint(opts, { host: d.host, port: d.port });
    if (hint) fail(hint);
    const listen =
      parseListen(opts.listen) ?? fail(`--listen: expected HOST:PORT, got ${JSON.stringify(opts.listen)}`);
    const options: Partial<SimulatorOptions> = {
      host: listen.host,
      port: listen.port,
      keepAlive: String(opts.keepAlive),
    };
    const models = opts.model as string[];
    if (models.length > 0) options.models = models;
    for (const { knob, option } of knobs) {
      const raw = opts[option.attributeName()];
      const value = knobValue(knob, raw);
      if (value === undefined)
        fail(`--${knob.flag}: expected ${knobExpectation(knob)}, got ${JSON.stringify(raw)}`);
      else options[knob.option] = value;
    }
    const logger = createLogger((opts.logLevel as "info") ?? "info", {
      name: "llmgate-simulate",
      format: opts.logFormat as LogFormat,
    });
    let sim: RunningSimulator;
    try {
      sim = await startSimulator(options);
    } catch (err) {
      const message = listenFailureMessage(err, { listen, metricsListen: null }, "llmgate simulate");
      if (message === undefined) throw err;
      process.stderr.write(`${message}\n`);
      process.exit(EXIT.failure);
    }
    logger.info({ url: sim.url, models: options.models ?? d.models }, `simulator listening on ${sim.url}`);
    const stop = () => {
      void sim.close().then(() => process.exit(EXIT.ok));
    };
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
  });
  return exitTwoOnUsageErrors(cmd);
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
