// Renders the few Go template forms the alert annotations use, exactly as Prometheus 2.x does, so that the
// generated `promtool test rules` files can state the expected annotations.
//
// Supported: `{{ $labels.NAME }}`, `{{ $value | humanize }}`, `| humanize1024`, `| humanizePercentage`,
// `| humanizeDuration`, `| printf "%.0f"`. Anything else throws, so an annotation the tests cannot predict is
// caught when the kit is generated, not when promtool runs. The functions follow Prometheus'
// template/template.go; `%.4g` is Go's fmt verb, which rounds exact decimal ties to even where JavaScript rounds
// them up: the generated tests only render values without such ties (whole numbers, 2x a threshold).

/** Go's fmt `%.<prec>g`: shortest of %e and %f at `prec` significant digits, trailing zeros removed. */
export function formatG(value: number, prec = 4): string {
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "+Inf" : "-Inf";
  if (value === 0) return Object.is(value, -0) ? "-0" : "0";
  const [mantissa = "", expText = "0"] = value.toExponential(prec - 1).split("e");
  const exp = Number(expText);
  if (exp < -4 || exp >= prec) {
    const digits = Math.abs(exp) < 10 ? `0${Math.abs(exp)}` : String(Math.abs(exp));
    return `${stripZeros(mantissa)}e${exp < 0 ? "-" : "+"}${digits}`;
  }
  return stripZeros(value.toFixed(Math.max(0, prec - 1 - exp)));
}

function stripZeros(text: string): string {
  return text.includes(".") ? text.replace(/0+$/, "").replace(/\.$/, "") : text;
}

const SMALL = ["m", "u", "n", "p", "f", "a", "z", "y"];

export function humanize(v: number): string {
  if (v === 0 || !Number.isFinite(v)) return formatG(v);
  let prefix = "";
  if (Math.abs(v) >= 1) {
    for (const p of ["k", "M", "G", "T", "P", "E", "Z", "Y"]) {
      if (Math.abs(v) < 1000) break;
      prefix = p;
      v /= 1000;
    }
    return `${formatG(v)}${prefix}`;
  }
  for (const p of SMALL) {
    if (Math.abs(v) >= 1) break;
    prefix = p;
    v *= 1000;
  }
  return `${formatG(v)}${prefix}`;
}

export function humanize1024(v: number): string {
  if (Math.abs(v) <= 1 || !Number.isFinite(v)) return formatG(v);
  let prefix = "";
  for (const p of ["ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"]) {
    if (Math.abs(v) < 1024) break;
    prefix = p;
    v /= 1024;
  }
  return `${formatG(v)}${prefix}`;
}

export function humanizePercentage(v: number): string {
  return `${formatG(v * 100)}%`;
}

export function humanizeDuration(v: number): string {
  if (!Number.isFinite(v)) return formatG(v);
  if (v === 0) return `${formatG(v)}s`;
  if (Math.abs(v) >= 1) {
    const sign = v < 0 ? "-" : "";
    const abs = Math.abs(v);
    const whole = Math.trunc(abs);
    const seconds = whole % 60;
    const minutes = Math.trunc(whole / 60) % 60;
    const hours = Math.trunc(whole / 3600) % 24;
    const days = Math.trunc(whole / 86400);
    if (days !== 0) return `${sign}${days}d ${hours}h ${minutes}m ${seconds}s`;
    if (hours !== 0) return `${sign}${hours}h ${minutes}m ${seconds}s`;
    if (minutes !== 0) return `${sign}${minutes}m ${seconds}s`;
    return `${sign}${formatG(abs)}s`;
  }
  let prefix = "";
  for (const p of SMALL) {
    if (Math.abs(v) >= 1) break;
    prefix = p;
    v *= 1000;
  }
  return `${formatG(v)}${prefix}s`;
}

/** Go's `%.0f`: nearest integer, exact halves to even. */
function printfInteger(v: number): string {
  if (!Number.isFinite(v)) return formatG(v);
  const floor = Math.floor(v);
  const diff = v - floor;
  const n = diff > 0.5 || (diff === 0.5 && floor % 2 !== 0) ? floor + 1 : floor;
  return String(n === 0 ? 0 : n);
}

const FUNCTIONS: Record<string, (v: number) => string> = {
  humanize,
  humanize1024,
  humanizePercentage,
  humanizeDuration,
  'printf "%.0f"': printfInteger,
};

const ACTION = /\{\{(.*?)\}\}/g;

/** Expands `template` for an alert with these labels and value. Throws on a form outside the supported set. */
export function renderAnnotation(template: string, labels: Record<string, string>, value: number): string {
  return template.replace(ACTION, (_, body: string) => {
    const action = body.trim();
    const label = /^\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)$/.exec(action);
    if (label) return labels[label[1] ?? ""] ?? "";
    const piped = /^\$value\s*\|\s*(.+)$/.exec(action);
    const fn = piped ? FUNCTIONS[piped[1]?.trim() ?? ""] : undefined;
    if (!fn) throw new Error(`annotation template action not supported by the test renderer: {{${body}}}`);
    return fn(value);
  });
}
