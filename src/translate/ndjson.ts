// NDJSON line splitter: scans bytes for \n and decodes only complete lines, so UTF-8 split across chunks is safe.

const LF = 0x0a;
const CR = 0x0d;
const INITIAL_CARRY = 1024;
/** A carry buffer grown past this (by one huge line) is dropped after use instead of being kept for the stream. */
const KEEP_CARRY_MAX = 64 * 1024;
const EMPTY = new Uint8Array(0);

// Stateless use (whole lines only), so one decoder serves every stream. Invalid UTF-8 becomes U+FFFD.
const utf8 = new TextDecoder();

export interface LineSplitter {
  /** Calls the line callback for each complete line in `bytes`. Bytes after the last \n are kept for the next call. */
  push(bytes: Uint8Array): void;
  /** EOF: delivers the kept bytes as a last line (a body without a final \n, e.g. a non-streamed JSON reply). */
  end(): void;
  /** Bytes currently kept for an unfinished line (lets the caller bound line length). */
  readonly pending: number;
}

/**
 * `onLine` receives each line without its terminator (\n or \r\n). Empty lines are skipped. Lines are decoded
 * only once complete, so a chunk boundary anywhere (even inside a multi-byte character) changes nothing.
 */
export function createLineSplitter(onLine: (line: string) => void): LineSplitter {
  let carry = EMPTY;
  let carryLen = 0;

  function emit(buf: Uint8Array, start: number, end: number): void {
    let stop = end;
    if (stop > start && buf[stop - 1] === CR) stop--;
    if (stop > start) onLine(utf8.decode(buf.subarray(start, stop)));
  }

  function keep(bytes: Uint8Array, start: number, end: number): void {
    const n = end - start;
    if (n === 0) return;
    if (carryLen + n > carry.length) {
      const grown = new Uint8Array(Math.max(carryLen + n, carry.length * 2, INITIAL_CARRY));
      grown.set(carry.subarray(0, carryLen));
      carry = grown;
    }
    carry.set(bytes.subarray(start, end), carryLen);
    carryLen += n;
  }

  function flushCarry(): void {
    const len = carryLen;
    carryLen = 0;
    emit(carry, 0, len);
    if (carry.length > KEEP_CARRY_MAX) carry = EMPTY;
  }

  return {
    push(bytes) {
      let start = 0;
      let nl = bytes.indexOf(LF);
      if (carryLen > 0) {
        if (nl === -1) {
          keep(bytes, 0, bytes.length);
          return;
        }
        keep(bytes, 0, nl);
        flushCarry();
        start = nl + 1;
        nl = bytes.indexOf(LF, start);
      }
      while (nl !== -1) {
        emit(bytes, start, nl);
        start = nl + 1;
        nl = bytes.indexOf(LF, start);
      }
      keep(bytes, start, bytes.length);
    },
    end() {
      if (carryLen > 0) flushCarry();
    },
    get pending() {
      return carryLen;
    },
  };
}
