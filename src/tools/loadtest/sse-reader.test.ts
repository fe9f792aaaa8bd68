import { describe, expect, test } from "vitest";
import { createSseReader } from "./sse-reader.js";

const encoder = new TextEncoder();

/** Feeds `text` in pieces cut at `cuts` (byte offsets) and collects every event's data. */
function read(bytes: Uint8Array, cuts: number[]): string[] {
  const reader = createSseReader();
  const out: string[] = [];
  let at = 0;
  for (const cut of [...cuts, bytes.length]) {
    out.push(...reader.push(bytes.subarray(at, cut)));
    at = cut;
  }
  out.push(...reader.end());
  return out;
}

function everySplit(text: string, expected: string[]): void {
  const bytes = encoder.encode(text);
  expect(read(bytes, []), "whole").toEqual(expected);
  expect(
    read(
      bytes,
      Array.from({ length: bytes.length }, (_, i) => i),
    ),
    "one byte at a time",
  ).toEqual(expected);
  let seed = 7;
  for (let round = 0; round < 50; round++) {
    const cuts: number[] = [];
    for (let i = 1; i < bytes.length; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      if (seed % 5 === 0) cuts.push(i);
    }
    expect(read(bytes, cuts), `random split ${round}`).toEqual(expected);
  }
}

describe("createSseReader", () => {
  const frames = ['{"a":1}', '{"b":"é — 你好"}', "[DONE]"];
  test.each([
    ["LF", "\n"],
    ["CRLF", "\r\n"],
    ["CR", "\r"],
  ])("events separated with %s, in any chunking", (_name, eol) => {
    everySplit(frames.map((f) => `data: ${f}${eol}${eol}`).join(""), frames);
  });

  test("multi-line data joins with LF; comments, other fields and a missing space are handled", () => {
    everySplit(": keep-alive\n\nevent: x\nid: 3\ndata:first\ndata: second\nretry: 10\n\ndata\n\n", [
      "first\nsecond",
      "",
    ]);
  });

  test("a byte order mark at the start is ignored", () => {
    everySplit("\uFEFFdata: x\n\n", ["x"]);
  });

  test("an event without its closing blank line is discarded at the end", () => {
    everySplit("data: whole\n\ndata: cut", ["whole"]);
  });

  test("a blank line with no data dispatches nothing", () => {
    everySplit("\n\n\r\n: only a comment\n\n", []);
  });
});
