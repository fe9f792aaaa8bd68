// The JSON layout matches the formatter's (checked against biome): objects expanded, short scalar arrays inline.

import { expect, test } from "vitest";
import { jsonFile } from "./json-file.js";

test("objects one member per line, short scalar arrays inline, arrays of objects expanded", () => {
  expect(jsonFile({ a: 1, b: ["x", "y"], n: [[1, 2]], c: [{ d: null }], e: {}, f: [], g: undefined })).toBe(
    `{
  "a": 1,
  "b": ["x", "y"],
  "n": [[1, 2]],
  "c": [
    {
      "d": null
    }
  ],
  "e": {},
  "f": []
}
`,
  );
});

test("a scalar array stays inline up to 110 columns, the comma after it included", () => {
  const fits = "x".repeat(110 - '  "k": [""]'.length);
  expect(jsonFile({ k: [fits] })).toContain(`"k": ["${fits}"]\n`);
  expect(jsonFile({ k: [`${fits}x`] })).toContain(`"k": [\n    "${fits}x"\n  ]`);
  expect(jsonFile({ k: [fits], z: 1 })).toContain(`"k": [\n    "${fits}"\n  ],`);
  expect(jsonFile({ k: [fits.slice(1)], z: 1 })).toContain(`"k": ["${fits.slice(1)}"],`);
});
