// `llmgate loadtest` end to end: check the flags, run the levels with progress, print the table, write JSON and HTML.

import { writeFileSync } from "node:fs";
import { LoadtestUsageError, parseLoadtestFlags, type RawLoadtestFlags } from "./options.js";
import { createProgress, type ProgressStream } from "./progress.js";
import { promptSource } from "./prompts.js";
import { buildReport, type LoadtestReport } from "./report.js";
import { renderHtml } from "./report-html.js";
import { formatTable } from "./report-table.js";
import { runLevels } from "./runner.js";

export interface LoadtestIo {
  stdout: { write(text: string): unknown };
  stderr: ProgressStream;
  env: NodeJS.ProcessEnv;
  /** Interrupts the run (the CLI fires it on the first Ctrl-C); results so far are still reported. */
  signal?: AbortSignal;
}

/** Exit codes: 0 done, 1 no request succeeded, 2 bad flags, 130 interrupted. */
export async function runLoadtest(
  raw: RawLoadtestFlags,
  io: LoadtestIo,
): Promise<{ code: number; report?: LoadtestReport }> {
  let options: ReturnType<typeof parseLoadtestFlags>;
  let prompts: ReturnType<typeof promptSource>;
  try {
    options = parseLoadtestFlags(raw, io.env);
    prompts = promptSource(options.prompt);
  } catch (err) {
    if (err instanceof LoadtestUsageError) {
      io.stderr.write(`loadtest: ${err.message}\n(see llmgate loadtest --help)\n`);
      return { code: 2 };
    }
    throw err;
  }

  const signal = io.signal ?? new AbortController().signal;
  const progress = createProgress(io.stderr);
  const startedAt = new Date();
  let results: Awaited<ReturnType<typeof runLevels>>;
  try {
    results = await runLevels(options, prompts, signal, progress);
  } finally {
    progress.close();
  }
  const report = buildReport(options, results, startedAt, new Date());

  io.stdout.write(formatTable(report));
  if (options.jsonFile) {
    writeFileSync(options.jsonFile, `${JSON.stringify(report, null, 2)}\n`);
    io.stderr.write(`JSON written to ${options.jsonFile}\n`);
  }
  if (options.htmlFile) {
    writeFileSync(options.htmlFile, renderHtml(report));
    io.stderr.write(`HTML report written to ${options.htmlFile}\n`);
  }
  if (signal.aborted) return { code: 130, report };
  const ok = report.levels.reduce((n, l) => n + l.ok, 0);
  if (ok === 0) {
    const first = report.levels.flatMap((l) => Object.entries(l.errorExamples))[0];
    io.stderr.write(
      `loadtest: no request succeeded${first ? `; first error: ${first[0]}: ${first[1]}` : ""}\n`,
    );
    return { code: 1, report };
  }
  return { code: 0, report };
}
