// JSON the way Go's encoding/json writes and reads it: HTML-safe escaping on output, Go's syntax error texts on input.

const MUST_ESCAPE = /[<>&\u2028\u2029]/;
const MUST_ESCAPE_ALL = /[<>&\u2028\u2029]/g;

function escapeOne(c: string): string {
  switch (c) {
    case "<":
      return "\\u003c";
    case ">":
      return "\\u003e";
    case "&":
      return "\\u0026";
    case "\u2028":
      return "\\u2028";
    default:
      return "\\u2029";
  }
}

/** `json.Marshal`: like JSON.stringify (key order = insertion order) but escapes <, >, &, U+2028 and U+2029. */
export function goStringify(value: unknown): string {
  const text = JSON.stringify(value) ?? "null";
  return MUST_ESCAPE.test(text) ? text.replace(MUST_ESCAPE_ALL, escapeOne) : text;
}

export type GoJsonResult =
  | { kind: "ok"; value: unknown }
  | { kind: "eof" } // nothing but whitespace: Go's io.EOF, which Ollama reports as "missing request body"
  | { kind: "error"; message: string };

class SyntaxFailure extends Error {}

/** Go's `quoteChar`: how a scanner error names the offending character. */
function quoteChar(code: number): string {
  if (code === 0x27) return "'\\''";
  if (code === 0x22) return "'\"'";
  const named: Record<number, string> = {
    7: "\\a",
    8: "\\b",
    9: "\\t",
    10: "\\n",
    11: "\\v",
    12: "\\f",
    13: "\\r",
  };
  const esc = named[code];
  if (esc !== undefined) return `'${esc}'`;
  if (code < 0x20 || code === 0x7f) return `'\\x${code.toString(16).padStart(2, "0")}'`;
  if (code === 0x5c) return "'\\\\'";
  return `'${String.fromCharCode(code)}'`;
}

const WS = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const DIGIT = (c: number) => c >= 0x30 && c <= 0x39;
const HEX = (c: number) => DIGIT(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);

/** A recursive-descent port of Go's JSON scanner states, kept for their error messages. */
class Scanner {
  i = 0;
  constructor(private readonly s: string) {}

  private at(): number {
    return this.i < this.s.length ? this.s.charCodeAt(this.i) : -1;
  }

  private fail(code: number, context: string): never {
    if (code < 0) throw new SyntaxFailure("unexpected EOF");
    throw new SyntaxFailure(`invalid character ${quoteChar(code)} ${context}`);
  }

  skipWs(): void {
    while (this.i < this.s.length && WS(this.s.charCodeAt(this.i))) this.i++;
  }

  value(): void {
    const c = this.at();
    if (c === 0x7b) this.object();
    else if (c === 0x5b) this.array();
    else if (c === 0x22) this.string();
    else if (c === 0x2d || DIGIT(c)) this.number();
    else if (c === 0x74) this.literal("true");
    else if (c === 0x66) this.literal("false");
    else if (c === 0x6e) this.literal("null");
    else this.fail(c, "looking for beginning of value");
  }

  private object(): void {
    this.i++;
    this.skipWs();
    if (this.at() === 0x7d) {
      this.i++;
      return;
    }
    for (;;) {
      if (this.at() !== 0x22) this.fail(this.at(), "looking for beginning of object key string");
      this.string();
      this.skipWs();
      if (this.at() !== 0x3a) this.fail(this.at(), "after object key");
      this.i++;
      this.skipWs();
      this.value();
      this.skipWs();
      const c = this.at();
      if (c === 0x2c) {
        this.i++;
        this.skipWs();
        continue;
      }
      if (c === 0x7d) {
        this.i++;
        return;
      }
      this.fail(c, "after object key:value pair");
    }
  }

  private array(): void {
    this.i++;
    this.skipWs();
    if (this.at() === 0x5d) {
      this.i++;
      return;
    }
    for (;;) {
      this.value();
      this.skipWs();
      const c = this.at();
      if (c === 0x2c) {
        this.i++;
        this.skipWs();
        continue;
      }
      if (c === 0x5d) {
        this.i++;
        return;
      }
      this.fail(c, "after array element");
    }
  }

  private string(): void {
    this.i++;
    for (;;) {
      const c = this.at();
      if (c === 0x22) {
        this.i++;
        return;
      }
      if (c === 0x5c) {
        this.i++;
        const e = this.at();
        if (e === 0x75) {
          this.i++;
          for (let k = 0; k < 4; k++) {
            if (!HEX(this.at())) this.fail(this.at(), "in \\u hexadecimal character escape");
            this.i++;
          }
          continue;
        }
        if (e < 0 || !'"\\/bfnrt'.includes(String.fromCharCode(e))) this.fail(e, "in string escape code");
        this.i++;
        continue;
      }
      if (c < 0x20) this.fail(c, "in string literal");
      this.i++;
    }
  }

  private number(): void {
    if (this.at() === 0x2d) {
      this.i++;
      if (!DIGIT(this.at())) this.fail(this.at(), "in numeric literal");
    }
    if (this.at() === 0x30) this.i++;
    else while (DIGIT(this.at())) this.i++;
    if (this.at() === 0x2e) {
      this.i++;
      if (!DIGIT(this.at())) this.fail(this.at(), "after decimal point in numeric literal");
      while (DIGIT(this.at())) this.i++;
    }
    const e = this.at();
    if (e === 0x65 || e === 0x45) {
      this.i++;
      if (this.at() === 0x2b || this.at() === 0x2d) this.i++;
      if (!DIGIT(this.at())) this.fail(this.at(), "in exponent of numeric literal");
      while (DIGIT(this.at())) this.i++;
    }
  }

  private literal(word: string): void {
    this.i++;
    for (let k = 1; k < word.length; k++) {
      if (this.at() !== word.charCodeAt(k))
        this.fail(this.at(), `in literal ${word} (expecting '${word[k]}')`);
      this.i++;
    }
  }
}

/**
 * Reads the first JSON value of `text` like gin's `ShouldBindJSON` (a `json.Decoder`): leading whitespace
 * skipped, anything after a top-level object or array ignored, Go's error text for malformed input.
 */
export function decodeGoJson(text: string): GoJsonResult {
  const scanner = new Scanner(text);
  scanner.skipWs();
  if (scanner.i >= text.length) return { kind: "eof" };
  const start = scanner.i;
  try {
    const first = text.charCodeAt(start);
    scanner.value();
    const end = scanner.i;
    // A top-level scalar ends only at a delimiter: Go rejects `123x` but accepts `{"a":1}x`.
    if (first !== 0x7b && first !== 0x5b && end < text.length) {
      const next = text.charCodeAt(end);
      if (!WS(next)) throw new SyntaxFailure(`invalid character ${quoteChar(next)} after top-level value`);
    }
    return { kind: "ok", value: JSON.parse(text.slice(start, end)) };
  } catch (err) {
    if (err instanceof SyntaxFailure) return { kind: "error", message: err.message };
    throw err;
  }
}
