// The NDJSON line splitter at awkward chunk boundaries.
import { describe, expect, test } from "vitest";
import { createLineSplitter } from "./ndjson.js";

const enc = new TextEncoder();

function lines(chunks: (string | Uint8Array)[]): string[] {
  const out: string[] = [];
  const splitter = createLineSplitter((line) => out.push(line));
  for (const c of chunks) splitter.push(typeof c === "string" ? enc.encode(c) : c);
  splitter.end();
  return out;
}

describe("createLineSplitter", () => {
  test.each([
    ["LF", ["a\nb\n"], ["a", "b"]],
    ["CRLF", ["a\r\nb\r\n"], ["a", "b"]],
    ["blank lines", ["\n\na\n\r\n\nb\n"], ["a", "b"]],
    ["a last line without a newline", ['{"x":1}\n{"y":2}'], ['{"x":1}', '{"y":2}']],
    ["a line split across chunks", ["ab", "c", "d\ne", "f\n"], ["abcd", "ef"]],
    ["CR and LF in different chunks", ["a\r", "\nb"], ["a", "b"]],
    ["only a newline", ["\n"], []],
    ["nothing", [], []],
    ["empty chunks", ["", "a", "", "\n", ""], ["a"]],
  ])("%s", (_name, chunks, expected) => {
    expect(lines(chunks)).toEqual(expected);
  });

  test("a multi-byte character split at every byte", () => {
    const bytes = enc.encode("你好，世界😀\n再见");
    const oneByOne = Array.from(bytes, (b) => Uint8Array.of(b));
    expect(lines(oneByOne)).toEqual(["你好，世界😀", "再见"]);
  });

  test("pending counts the bytes of an unfinished line and resets once it completes", () => {
    const splitter = createLineSplitter(() => {});
    splitter.push(enc.encode("abc\nde"));
    expect(splitter.pending).toBe(2);
    splitter.push(enc.encode("f"));
    expect(splitter.pending).toBe(3);
    splitter.push(enc.encode("\n"));
    expect(splitter.pending).toBe(0);
  });

  test("a long line across many chunks (the carry buffer grows)", () => {
    const long = "x".repeat(100_000);
    const bytes = enc.encode(`${long}\nend\n`);
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i += 777) chunks.push(bytes.subarray(i, i + 777));
    expect(lines(chunks)).toEqual([long, "end"]);
  });

  test("works on Node Buffers (what undici yields)", () => {
    expect(lines([Buffer.from("a\nb"), Buffer.from("c\n")])).toEqual(["a", "bc"]);
  });
});
