// The README's configuration table stays in step with the config keys in code.

import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { envName, SERVE_KEYS } from "../src/config/keys.js";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");

test.each(SERVE_KEYS.map((s) => [s.key, s]))(
  "README documents %s with its env variable and default",
  (key, spec) => {
    const row = readme.split("\n").find((line) => new RegExp(`^\\|\\s*\`${key}\`\\s*\\|`).test(line));
    expect(row, `no README row for ${key}`).toBeDefined();
    expect(row).toContain(`\`${envName(key)}\``);
    if (spec.default === "") expect(row).toMatch(/\|\s*\(empty\)\s*\|/);
    else expect(row).toContain(`\`${String(spec.default)}\``);
  },
);
