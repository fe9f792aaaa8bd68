#!/usr/bin/env node
// The llmgate command line: `serve` (the gateway) and `simulate` (an Ollama stand-in for tests and demos).

import { Command } from "commander";
import { serveCommand } from "./cli/serve.js";
import { simulateCommand } from "./cli/simulate.js";
import { VERSION } from "./version.js";

const program = new Command("llmgate")
  .description("An OpenAI-compatible, observable gateway for Ollama.")
  .version(VERSION)
  .addCommand(serveCommand())
  .addCommand(simulateCommand());

await program.parseAsync(process.argv);
