#!/usr/bin/env node
// The llmgate command line: `serve` (the gateway), `simulate` (an Ollama stand-in), `assets` (the monitoring kit), `loadtest`.

import { Command } from "commander";
import { assetsCommand } from "./cli/assets.js";
import { exitTwoOnUsageErrors } from "./cli/exit-codes.js";
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
  .addCommand(loadtestCommand())
  .addHelpText(
    "after",
    "\nExit codes: 0 done; 1 a failure at run time (e.g. the port is taken); 2 a usage or config error.",
  );

exitTwoOnUsageErrors(program);

await program.parseAsync(process.argv);
