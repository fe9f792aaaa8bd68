#!/usr/bin/env node
// The llmgate command line: `serve` (the gateway), `simulate` (an Ollama stand-in), `assets` (the monitoring kit), `loadtest`.

import { Command } from "commander";
import { assetsCommand } from "./cli/assets.js";
import { EXIT } from "./cli/exit-codes.js";
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

// Commander exits 1 on its own usage errors (unknown option or command, missing value); 2 is the usage code of
// every llmgate command, so a script can tell a typo from an outage. Help and --version still exit 0.
for (const cmd of [program, ...program.commands])
  cmd.exitOverride((err) => process.exit(err.exitCode === 0 ? EXIT.ok : EXIT.usage));

await program.parseAsync(process.argv);
