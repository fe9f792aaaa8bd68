// Progress of a load test on stderr: a live bar redrawn in place on a terminal, plain lines otherwise (logs, CI).

import type { LevelBudget } from "./options.js";
import type { RunObserver } from "./runner.js";
import type { LevelSummary } from "./stats.js";

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface Progress extends RunObserver {
  /** Stops the redraw timer; the last bar stays on screen. */
  close(): void;
}

const BAR = 24;

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/**
 * On a TTY the bar is redrawn at most every 100 ms and at least every 250 ms (so elapsed time moves while
 * long requests run). Otherwise one line per level start, then one at most every 5 s, and one at the end.
 */
export function createProgress(out: ProgressStream, now: () => number = Date.now): Progress {
  const tty = out.isTTY === true;
  let level: { concurrency: number; budget: LevelBudget; t0: number } | undefined;
  let done = 0;
  let errors = 0;
  let lastDraw = 0;
  let timer: NodeJS.Timeout | undefined;

  function fraction(): number {
    if (!level) return 0;
    const f =
      level.budget.kind === "requests"
        ? done / level.budget.requests
        : (now() - level.t0) / level.budget.durationMs;
    return Math.min(1, Math.max(0, f));
  }

  function status(): string {
    if (!level) return "";
    const elapsed = now() - level.t0;
    const target =
      level.budget.kind === "requests"
        ? `${done}/${level.budget.requests} requests`
        : `${done} requests, ${seconds(Math.min(elapsed, level.budget.durationMs))}/${seconds(level.budget.durationMs)}`;
    const rate = elapsed > 0 ? (done * 1000) / elapsed : 0;
    return `concurrency ${level.concurrency}: ${target}, ${rate.toFixed(1)} req/s, ${errors} error${errors === 1 ? "" : "s"}, ${seconds(elapsed)}`;
  }

  function draw(): void {
    lastDraw = now();
    const filled = Math.round(fraction() * BAR);
    const line = `[${"█".repeat(filled)}${"░".repeat(BAR - filled)}] ${status()}`;
    const width = out.columns && out.columns > 10 ? out.columns - 1 : line.length;
    out.write(`\r\x1b[2K${line.slice(0, width)}`);
  }

  function stopTimer(): void {
    if (timer) clearInterval(timer);
    timer = undefined;
  }

  return {
    levelStart(concurrency, budget) {
      level = { concurrency, budget, t0: now() };
      done = 0;
      errors = 0;
      if (tty) {
        draw();
        timer = setInterval(draw, 250);
        timer.unref();
      } else {
        const what =
          budget.kind === "requests"
            ? `${budget.requests} requests`
            : `requests for ${seconds(budget.durationMs)}`;
        out.write(`concurrency ${concurrency}: ${what}\n`);
        lastDraw = now();
      }
    },
    update(d, e) {
      done = d;
      errors = e;
      if (tty) {
        if (now() - lastDraw >= 100) draw();
      } else if (now() - lastDraw >= 5000) {
        lastDraw = now();
        out.write(`${status()}\n`);
      }
    },
    levelEnd(summary: LevelSummary) {
      stopTimer();
      done = summary.requests;
      if (tty) {
        draw();
        out.write("\n");
      } else {
        out.write(`${status()}${summary.interrupted ? " (interrupted)" : ", done"}\n`);
      }
    },
    close: stopTimer,
  };
}
