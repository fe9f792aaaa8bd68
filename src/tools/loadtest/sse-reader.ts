// Server-sent events parser for the load tester: bytes in, each event's `data` out, in any chunking.
// Follows https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
// (lines end in CRLF, LF or CR; `data:` lines join with "\n"; a blank line dispatches; `:` starts a comment).

export interface SseReader {
  /** Feeds bytes; returns the data of every event completed by them. */
  push(bytes: Uint8Array): string[];
  /** The stream ended: an event not closed by a blank line is discarded, as the specification says. */
  end(): string[];
}

export function createSseReader(): SseReader {
  const decoder = new TextDecoder("utf-8");
  let line = "";
  let data: string[] | undefined;
  /** The previous chunk ended in CR: an LF at the start of this one belongs to that line ending. */
  let afterCr = false;
  let first = true;

  function onLine(text: string, out: string[]): void {
    if (text === "") {
      if (data !== undefined) out.push(data.join("\n"));
      data = undefined;
      return;
    }
    if (text.startsWith(":")) return;
    const colon = text.indexOf(":");
    const field = colon === -1 ? text : text.slice(0, colon);
    if (field !== "data") return;
    let value = colon === -1 ? "" : text.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (data === undefined) data = [value];
    else data.push(value);
  }

  function feed(text: string, out: string[]): void {
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 && afterCr && i === start) {
        // The LF of a CRLF split across chunks (or right after a CR line end).
        afterCr = false;
        start = i + 1;
        continue;
      }
      afterCr = false;
      if (c !== 10 && c !== 13) continue;
      onLine(line + text.slice(start, i), out);
      line = "";
      if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        else afterCr = i + 1 === text.length;
      }
      start = i + 1;
    }
    line += text.slice(start);
  }

  return {
    push(bytes) {
      const out: string[] = [];
      let text = decoder.decode(bytes, { stream: true });
      // A byte order mark may open the stream; it is not part of the first field name.
      if (first && text.length > 0) {
        first = false;
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      }
      feed(text, out);
      return out;
    },
    end() {
      const out: string[] = [];
      feed(decoder.decode(), out);
      line = "";
      data = undefined;
      return out;
    },
  };
}
