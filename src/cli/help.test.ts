// Every help screen reads as written: no empty or doubled defaults, --no-X says what it turns off, no sentence
// broken by a hard line break in our own text (commander wraps to the terminal; we must not wrap for it).

import { type Command, Help, type Option } from "commander";
import { describe, expect, test } from "vitest";
import { assetsCommand } from "./assets.js";
import { loadtestCommand } from "./loadtest.js";
import { serveCommand } from "./serve.js";
import { simulateCommand } from "./simulate.js";

const commands = [serveCommand(), simulateCommand(), assetsCommand(), loadtestCommand()];
const help = new Help();

function screen(cmd: Command): string {
  let text = "";
  cmd.configureOutput({ writeOut: (s) => (text += s), writeErr: (s) => (text += s) });
  cmd.outputHelp();
  return text;
}

const visible = (cmd: Command): Option[] => help.visibleOptions(cmd);

/** Hard breaks are allowed only between sentences or paragraphs, never inside one. */
function brokenSentences(text: string): string[] {
  return text
    .split("\n")
    .slice(0, -1)
    .filter((line, i, lines) => line.trim() !== "" && !/[.:!?]$/.test(line.trim()) && lines[i + 1] !== "");
}

describe.each(commands.map((cmd) => [cmd.name(), cmd] as const))("llmgate %s --help", (_name, cmd) => {
  test("renders", () => {
    const text = screen(cmd);
    expect(text).toContain(`Usage: ${cmd.name()} [options]`);
    expect(text).not.toMatch(/\(default: \)|default: ;|default: \[\]/);
  });

  test("the command's description is whole sentences, not broken mid-sentence", () => {
    const text = cmd.description();
    expect(text).toMatch(/\.$/);
    expect(brokenSentences(text)).toEqual([]);
    expect(cmd.summary()).toMatch(/\.$/);
  });

  test.each(visible(cmd).map((o) => [o.flags, o] as const))("%s", (_flags, option) => {
    const text = help.optionDescription(option);
    expect(option.description, "one line; commander wraps it").not.toContain("\n");
    expect(text.match(/\bdefault[:)]/gi)?.length ?? 0, text).toBeLessThanOrEqual(1);
    expect(text, "an empty default is not worth showing").not.toMatch(/default: ?(""|\)|;|\[\])/);
    expect(option.description, "ends mid-sentence").not.toMatch(/([,;:(]|\b(and|or|the|a|of|to))$/);
    // --no-X is described as what it does, not as what X does.
    if (option.negate) expect(option.description).toMatch(/^(do not|don't)\b|\binstead\b/);
  });
});
