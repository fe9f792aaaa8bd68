// The runbook renderers: inline syntax to HTML and Markdown, names in URLs, and one section per alert.

import { describe, expect, test } from "vitest";
import { ALERT_NAMES } from "./alert-rules.js";
import { ALERT_KEYS } from "./options.js";
import {
  findRunbookKey,
  inlineHtml,
  inlineMarkdown,
  runbookIndexHtml,
  runbookPageHtml,
  runbooksMarkdown,
} from "./runbook-render.js";
import { RUNBOOKS } from "./runbooks.js";

const link = (alert: string) => `/runbooks/${alert}`;

describe("inlineHtml", () => {
  test.each([
    ["plain text", "plain text"],
    ["`journalctl -u llmgate`", "<code>journalctl -u llmgate</code>"],
    ["_Stream outcomes_: see", "<em>Stream outcomes</em>: see"],
    ["snake_case_words stay as they are", "snake_case_words stay as they are"],
    ["<script>&", "&#60;script&#62;&#38;"],
    ["`a<b` and _c_", "<code>a&#60;b</code> and <em>c</em>"],
    ["`_not emphasis_`", "<code>_not emphasis_</code>"],
    [
      "see `LlmgateUpstreamDown`",
      'see <a href="/runbooks/LlmgateUpstreamDown"><code>LlmgateUpstreamDown</code></a>',
    ],
    ["grep '\"status\":5'", "grep &#39;&#34;status&#34;:5&#39;"],
  ])("%s", (text, html) => {
    expect(inlineHtml(text, link)).toBe(html);
  });
});

describe("inlineMarkdown", () => {
  test.each([
    ["`max-queue` and _panel_", "`max-queue` and _panel_"],
    ["see `LlmgateModelReloading`.", "see [`LlmgateModelReloading`](#llmgatemodelreloading)."],
  ])("%s", (text, markdown) => {
    expect(inlineMarkdown(text)).toBe(markdown);
  });
});

describe("findRunbookKey", () => {
  test.each([
    ["LlmgateDown", "gateway-down"],
    ["llmgatedown", "gateway-down"],
    ["upstream-down", "upstream-down"],
    ["LlmgateNope", undefined],
    ["", undefined],
  ])("%s → %s", (name, key) => {
    expect(findRunbookKey(name)).toBe(key);
  });
});

describe("every alert has its runbook in every rendering", () => {
  const markdown = runbooksMarkdown();
  const index = runbookIndexHtml();
  test.each(ALERT_KEYS.map((key) => [ALERT_NAMES[key], key] as const))("%s", (name, key) => {
    const book = RUNBOOKS[key];
    expect(book.what.length).toBeGreaterThan(20);
    expect(book.steps.length).toBeGreaterThan(0);
    expect(markdown).toContain(`\n## ${name}\n\n${inlineMarkdown(book.what)}\n`);
    expect(index).toContain(`<section id="${name.toLowerCase()}">\n<h2>${name}</h2>`);
    expect(index).toContain(`<li><a href="${name}">${name}</a></li>`);
    const page = runbookPageHtml(key);
    expect(page).toContain(`<title>${name}: llmgate runbook</title>`);
    expect(page).toContain(`<h1>${name}</h1>`);
    for (const step of book.steps) expect(page).toContain(`<li>${inlineHtml(step, (a) => a)}</li>`);
  });
});
