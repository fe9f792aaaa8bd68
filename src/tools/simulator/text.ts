// Deterministic English-ish text, cut into tokens (one word or one punctuation mark each), for answers and thinking.

import type { Rng } from "./prng.js";

const WORDS = (
  "the a an of to in for on with as by at from about into over after before between through during without " +
  "model system request response stream token gateway server client queue latency throughput metric signal " +
  "value result answer question example context memory cache layer network data record event process thread " +
  "simple clear quick careful steady reliable useful small large early late local remote current previous " +
  "is are was were be can will should would could may might must does do has have had makes takes gives " +
  "shows means needs uses runs keeps sends reads writes builds checks finds helps starts stops moves holds " +
  "first next last each every some many most other same different important common possible likely " +
  "time way part case point fact idea plan step line word number place world team work day year " +
  "it this that these those they we you which what when where while because if then so also only just " +
  "well still often usually always never again more less very quite rather fairly"
).split(" ");

const THINKING_OPENERS = ["Okay", ",", " so", " the", " user", " wants"];

/** A word token: the first of a sentence is capitalised and has no leading space, the others start with one. */
function wordToken(rng: Rng, sentenceStart: boolean, first: boolean): string {
  const word = rng.pick(WORDS);
  if (sentenceStart) {
    const cap = word.charAt(0).toUpperCase() + word.slice(1);
    return first ? cap : ` ${cap}`;
  }
  return ` ${word}`;
}

/**
 * Exactly `count` tokens of sentences (6–16 words, a comma now and then, a full stop at the end of each).
 * When `finish` is true the last token is a full stop, so a natural end reads like one.
 */
export function sentenceTokens(
  rng: Rng,
  count: number,
  finish: boolean,
  opener: readonly string[] = [],
): string[] {
  const tokens: string[] = opener.slice(0, count);
  // An opener is the start of the first sentence, which carries on in lower case.
  let sentenceLeft = tokens.length > 0 ? rng.range(4, 10) : 0;
  let sinceComma = 0;
  while (tokens.length < count) {
    const remaining = count - tokens.length;
    if (finish && remaining === 1 && tokens.length > 0) {
      tokens.push(".");
      break;
    }
    if (sentenceLeft === 0) {
      sentenceLeft = rng.range(6, 16);
      sinceComma = 0;
      tokens.push(wordToken(rng, true, tokens.length === 0));
      sentenceLeft--;
      continue;
    }
    if (sentenceLeft === 1) {
      tokens.push(".");
      sentenceLeft = 0;
      continue;
    }
    if (sinceComma > 3 && rng.next() < 0.15) {
      tokens.push(",");
      sinceComma = 0;
      continue;
    }
    tokens.push(wordToken(rng, false, false));
    sentenceLeft--;
    sinceComma++;
  }
  return tokens;
}

export function thinkingTokens(rng: Rng, count: number): string[] {
  return sentenceTokens(rng, count, true, THINKING_OPENERS);
}

/** A short word for a generated string value, preferring a capitalised word the user wrote (a city, a name). */
export function pickWord(rng: Rng, userText: string): string {
  const words = userText.match(/[A-Za-z][A-Za-z0-9-]*/g) ?? [];
  const named = words.slice(1).filter((w) => /^[A-Z]/.test(w) && !/^sim$/i.test(w));
  if (named.length > 0) return named[named.length - 1] as string;
  return rng.pick(WORDS.filter((w) => w.length > 3));
}

/** Splits text (e.g. a JSON answer) into word-like tokens whose concatenation is exactly the text. */
export function splitTokens(text: string): string[] {
  return text.match(/\s*[\p{L}\p{N}_.-]+|\s*[^\s\p{L}\p{N}_.-]|\s+/gu) ?? [];
}
