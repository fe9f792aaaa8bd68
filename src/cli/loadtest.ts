// `llmgate loadtest`: a load tester for any OpenAI-compatible endpoint (llmgate, Ollama's /v1, vLLM, …).

import { Command } from "commander";
import { DEFAULTS } from "../tools/loadtest/options.js";
import { EXIT, exitTwoOnUsageErrors } from "./exit-codes.js";

export function loadtestCommand(): Command {
  const cmd = new Command("loadtest")
    .summary("Load-test an OpenAI-compatible endpoint at several concurrency levels.")
    .description(
      "Load-test an OpenAI-compatible chat completions endpoint at several concurrency levels and report, per " +
        "level, latency P50/P95/P99, time to first token P50/P95, tokens per second (per stream and in all) and " +
        "errors by kind: as a table on stdout, and optionally as JSON and a self-contained HTML report. " +
        "Compare P95 latency and total tokens/s across levels to choose serving parameters (e.g. OLLAMA_NUM_PARALLEL).",
    )
    .option(
      "--url <URL>",
      "base URL of the API, e.g. http://127.0.0.1:18789/v1 (or its /chat/completions URL)",
    )
    .option("--model <NAME>", "model to ask, e.g. qwen3:32b")
    .option(
      "--concurrency <LIST>",
      `comma-separated concurrency levels, run in order (default: ${DEFAULTS.concurrency})`,
    )
    .option("--requests <N>", "requests per level (default: 4 x the level's concurrency, at least 16)")
    .option("--duration <DURATION>", "instead of --requests: send requests for this long per level, e.g. 30s")
    .option("--stream", "stream responses (SSE) and measure time to first token (default)")
    .option("--no-stream", "ask for whole responses instead")
    .option(
      "--prompt-file <FILE>",
      'prompts, one per line; .jsonl: a string, {"prompt"} or {"messages"} per line',
    )
    .option(
      "--prompt-tokens <N>",
      `generate prompts of about N tokens (4 characters each) (default: ${DEFAULTS.promptTokens})`,
    )
    .option("--max-tokens <N>", `max_tokens of each request (default: ${DEFAULTS.maxTokens})`)
    .option("--api-key <KEY>", "sent as Authorization: Bearer KEY (env: OPENAI_API_KEY)")
    .option(
      "--timeout <DURATION>",
      `longest a request may take, whole response included (default: ${DEFAULTS.timeout})`,
    )
    .option("--json <FILE>", "write the results (summaries and every request's timings) as JSON")
    .option("--html <FILE>", "write a self-contained HTML report with charts")
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  llmgate loadtest --url http://127.0.0.1:18789/v1 --model qwen3:32b --concurrency 1,4,16,64\n" +
        "  llmgate loadtest --url http://127.0.0.1:11434/v1 --model qwen3:32b --duration 30s --html report.html\n" +
        "  llmgate loadtest --url http://vllm:8000/v1 --model Qwen/Qwen3-32B --prompt-file prompts.jsonl --json out.json\n" +
        "\nExit codes: 0 done, 1 no request succeeded, 2 bad flags, 130 interrupted (results so far are reported).",
    );
  cmd.action(async (opts: Record<string, unknown>) => {
    const interrupt = new AbortController();
    const onSigint = () => {
      if (interrupt.signal.aborted) process.exit(EXIT.interrupted);
      process.stderr.write("\ninterrupted: reporting what finished (Ctrl-C again to quit at once)\n");
      interrupt.abort();
    };
    process.on("SIGINT", onSigint);
    try {
      // Loaded on use, so the other commands (serve above all) do not carry the load tester's code.
      const { runLoadtest } = await import("../tools/loadtest/main.js");
      const { code } = await runLoadtest(opts, {
        stdout: process.stdout,
        stderr: process.stderr,
        env: process.env,
        signal: interrupt.signal,
      });
      process.exitCode = code;
    } finally {
      process.off("SIGINT", onSigint);
    }
  });
  return exitTwoOnUsageErrors(cmd);
}
