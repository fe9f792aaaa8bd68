// The batched JSON log loses no line: not on process.exit, not on an uncaught exception, not while the process idles.

import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";

const LOGGER = fileURLToPath(new URL("../dist/log/logger.js", import.meta.url));

/** Runs a module that creates the JSON logger (stdout a pipe, as under systemd) and logs `count` numbered lines. */
function run(count: number, ending: string) {
  const script = `
    import { createLogger } from ${JSON.stringify(LOGGER)};
    const logger = createLogger("info", { format: "json" });
    for (let n = 0; n < ${count}; n++) logger.info({ n, reqId: "r" + n }, "request");
    ${ending}
  `;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const listeners: (() => void)[] = [];
  child.stdout.setEncoding("utf8").on("data", (text: string) => {
    out += text;
    for (const l of listeners) l();
  });
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  const numbers = () =>
    out
      .split("\n")
      .filter(Boolean)
      .map((line) => (JSON.parse(line) as { n: number }).n);
  /** Resolves once `n` lines have arrived. */
  const lines = (n: number) =>
    new Promise<number[]>((resolve) => {
      const check = () => {
        if (out.split("\n").length > n) resolve(numbers());
      };
      listeners.push(check);
      check();
    });
  return { child, exited, numbers, lines };
}

const upTo = (count: number) => Array.from({ length: count }, (_, n) => n);

test.each([
  { name: "process.exit", ending: "process.exit(3);", code: 3 },
  { name: "an uncaught exception", ending: 'throw new Error("boom");', code: 1 },
  { name: "the event loop running out", ending: "", code: 0 },
])("every line, in order, reaches stdout on $name", async ({ ending, code }) => {
  // 2,000 lines are several batches plus a pending tail.
  const p = run(2000, ending);
  expect(await p.exited).toBe(code);
  expect(p.numbers()).toEqual(upTo(2000));
});

test("a line written while the process stays busy is written without a flush or an exit", async () => {
  const p = run(3, "setInterval(() => {}, 1000);");
  expect(await p.lines(3)).toEqual(upTo(3));
  p.child.kill("SIGKILL");
  await p.exited;
});
