// Renders the runbook table: Markdown for the kit's RUNBOOKS.md, HTML pages for the gateway's /runbooks/.

import { ALERT_NAMES } from "./alert-rules.js";
import { ALERT_KEYS, type AlertKey } from "./options.js";
import { RUNBOOK_INTRO, RUNBOOKS } from "./runbooks.js";
import { GENERATED } from "./yaml-file.js";

const KEY_BY_NAME = new Map(ALERT_KEYS.map((key) => [ALERT_NAMES[key], key]));

/** The Markdown anchor GitHub and most renderers derive from the heading `## LlmgateDown`. */
export function runbookAnchor(alert: string): string {
  return alert.toLowerCase();
}

/** The alert key for a name as it appears in a URL: the alert name in any case, or the key itself. */
export function findRunbookKey(name: string): AlertKey | undefined {
  if ((ALERT_KEYS as readonly string[]).includes(name)) return name as AlertKey;
  for (const [alert, key] of KEY_BY_NAME) if (alert.toLowerCase() === name.toLowerCase()) return key;
  return undefined;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The runbooks' inline syntax as HTML: `code`, _emphasis_, and an alert name in code becomes a link to its
 * runbook (`href` built by `link`). Everything else is escaped, so the text cannot inject markup.
 */
export function inlineHtml(text: string, link: (alert: string) => string): string {
  return text
    .split(/(`[^`]*`)/)
    .map((part) => {
      if (part.length >= 2 && part.startsWith("`") && part.endsWith("`")) {
        const code = part.slice(1, -1);
        const html = `<code>${escapeHtml(code)}</code>`;
        return KEY_BY_NAME.has(code) ? `<a href="${escapeHtml(link(code))}">${html}</a>` : html;
      }
      return escapeHtml(part).replace(/(?<![\w])_([^_]+)_(?![\w])/g, "<em>$1</em>");
    })
    .join("");
}

/** The same text as Markdown, alert names in code linked to their section of the same document. */
export function inlineMarkdown(text: string): string {
  return text.replace(/`([^`]*)`/g, (whole, code: string) =>
    KEY_BY_NAME.has(code) ? `[${whole}](#${runbookAnchor(code)})` : whole,
  );
}

/** RUNBOOKS.md of the kit: every alert's runbook under a heading named after the alert. */
export function runbooksMarkdown(): string {
  const sections = ALERT_KEYS.map((key) => {
    const book = RUNBOOKS[key];
    const steps = book.steps.map((step, i) => `${i + 1}. ${inlineMarkdown(step)}`).join("\n");
    return `## ${ALERT_NAMES[key]}\n\n${inlineMarkdown(book.what)}\n\n${steps}\n`;
  });
  return `<!-- ${GENERATED} -->

# llmgate runbooks

What to do when an llmgate alert fires. The gateway serves the same pages at \`/runbooks/<alertname>\`, which is
where the alerts' \`runbook_url\` points unless the kit was generated with \`--runbook-base-url\`.

${RUNBOOK_INTRO}

${sections.join("\n")}`;
}

const STYLE =
  ":root{color-scheme:light dark;font-family:system-ui,sans-serif;line-height:1.5}" +
  "body{max-width:52rem;margin:2rem auto;padding:0 1rem}code{font-size:.92em;background:rgba(127,127,127,.15);" +
  "padding:.05em .3em;border-radius:3px}li{margin:.4em 0}nav{font-size:.9em}h2{margin-top:2rem}";

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

function section(key: AlertKey, heading: "h1" | "h2", link: (alert: string) => string): string {
  const book = RUNBOOKS[key];
  const name = ALERT_NAMES[key];
  const steps = book.steps.map((s) => `<li>${inlineHtml(s, link)}</li>`).join("\n");
  return `<section id="${runbookAnchor(name)}">
<${heading}>${name}</${heading}>
<p>${inlineHtml(book.what, link)}</p>
<ol>
${steps}
</ol>
</section>`;
}

/** `/runbooks/<alertname>`: one alert's runbook; links are relative to `/runbooks/`. */
export function runbookPageHtml(key: AlertKey): string {
  const name = ALERT_NAMES[key];
  const link = (alert: string) => alert;
  return page(
    `${name}: llmgate runbook`,
    `<nav><a href="./">All llmgate runbooks</a></nav>
<main>
${section(key, "h1", link)}
<p>${inlineHtml(RUNBOOK_INTRO, link)}</p>
</main>`,
  );
}

/** `/runbooks/`: every runbook on one page, each under an anchor named after its alert in lower case. */
export function runbookIndexHtml(): string {
  const link = (alert: string) => alert;
  const list = ALERT_KEYS.map((key) => {
    const name = ALERT_NAMES[key];
    return `<li><a href="${name}">${name}</a></li>`;
  }).join("\n");
  return page(
    "llmgate runbooks",
    `<main>
<h1>llmgate runbooks</h1>
<p>What to do when an llmgate alert fires. ${inlineHtml(RUNBOOK_INTRO, link)}</p>
<ul>
${list}
</ul>
${ALERT_KEYS.map((key) => section(key, "h2", link)).join("\n")}
</main>`,
  );
}
