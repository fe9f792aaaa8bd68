#!/usr/bin/env node
// The llmgate command line: `serve` (the gateway), `simulate` (an Ollama stand-in), `assets` (the monitoring kit), `loadtest`.

import { Command } from "commander";
import { assetsCommand } from "./cli/assets.js";
import { loadtestCommand } from "./cli/loadtest.js";
import { serveCommand } from "./cli/serve.js";
import { simulateCommand } from "./cli/simulate.js";
import { VERSION } from "./version.js";

const program = new Command("llmgate")
  .description("An OpenAI-compatible, observable gateway for Ollama.")
  .version(VERSION)
  .addCommand(serveCommand())
  .addCommand(simulateCommand())
  .addCommand(assetsCommand())
  .addCommand(loadtestCommand());

await program.parseAsync(process.argv);
