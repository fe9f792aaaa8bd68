// Go's JSON scanner messages and json.Marshal's escaping.

import { describe, expect, test } from "vitest";
import { decodeGoJson, goStringify } from "./go-json.js";

describe("decodeGoJson", () => {
  test.each([
    ['{"model": x', "invalid character 'x' looking for beginning of value"],
    ['{"model":"a"', "unexpected EOF"],
    ['{"model"', "unexpected EOF"],
    ['{"model" "a"}', "invalid character '\"' after object key"],
    ['{"a":1 "b":2}', "invalid character '\"' after object key:value pair"],
    ["{1:2}", "invalid character '1' looking for beginning of object key string"],
    ['{"a":1,}', "invalid character '}' looking for beginning of object key string"],
    ["[1 2]", "invalid character '2' after array element"],
    ['"a\\x"', "invalid character 'x' in string escape code"],
    ['"\\u12g4"', "invalid character 'g' in \\u hexadecimal character escape"],
    ['"a\nb"', "invalid character '\\n' in string literal"],
    ["-a", "invalid character 'a' in numeric literal"],
    ["1.e3", "invalid character 'e' after decimal point in numeric literal"],
    ["1e+", "unexpected EOF"],
    ["1ex", "invalid character 'x' in exponent of numeric literal"],
    ["trux", "invalid character 'x' in literal true (expecting 'e')"],
    ["nul", "unexpected EOF"],
    ["123x", "invalid character 'x' after top-level value"],
    ["'a'", "invalid character '\\'' looking for beginning of value"],
  ])("%j fails with Go's message", (input, message) => {
    expect(decodeGoJson(input)).toEqual({ kind: "error", message });
  });

  test.each([
    ['{"a":[1,2.5e3,true,null,"x\\u00e9"]}', { a: [1, 2500, true, null, "xé"] }],
    ['  {"a":1}  trailing garbage is never read', { a: 1 }],
    ["null", null],
    ['"s" ', "s"],
  ])("%j decodes like a json.Decoder", (input, value) => {
    expect(decodeGoJson(input)).toEqual({ kind: "ok", value });
  });

  test.each(["", "  \n\t "])("%j is io.EOF (missing request body)", (input) => {
    expect(decodeGoJson(input)).toEqual({ kind: "eof" });
  });
});

describe("goStringify", () => {
  test("escapes HTML characters and line separators like json.Marshal", () => {
    expect(goStringify({ s: "<a href='x'>&</a>\u2028\u2029" })).toBe(
      '{"s":"\\u003ca href=\'x\'\\u003e\\u0026\\u003c/a\\u003e\\u2028\\u2029"}',
    );
  });

  test("keeps insertion order and plain text untouched", () => {
    expect(goStringify({ b: 1, a: "plain" })).toBe('{"b":1,"a":"plain"}');
  });
});
