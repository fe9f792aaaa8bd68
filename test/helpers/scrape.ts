// Parses Prometheus text exposition into samples, and sums them by name and label match, for assertions.

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const m = LINE.exec(line);
    if (!m) throw new Error(`unparseable exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? "").matchAll(LABEL))
      labels[l[1] as string] = (l[2] as string).replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
    samples.push({ name: m[1] as string, labels, value: Number(m[3]) });
  }
  return samples;
}

export class Scrape {
  readonly samples: Sample[];
  constructor(text: string) {
    this.samples = parseExposition(text);
  }

  static async from(url: string, init?: RequestInit): Promise<Scrape> {
    const res = await fetch(`${url}/metrics`, init);
    if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
    return new Scrape(await res.text());
  }

  /** Sum of every sample named `name` whose labels include `match`. */
  sum(name: string, match: Record<string, string> = {}): number {
    let total = 0;
    for (const s of this.samples) {
      if (s.name !== name) continue;
      if (Object.entries(match).every(([k, v]) => s.labels[k] === v)) total += s.value;
    }
    return total;
  }

  /** Distinct label sets of a metric name (series count). */
  series(name: string): Sample[] {
    return this.samples.filter((s) => s.name === name);
  }
}
