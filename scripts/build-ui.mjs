// Bundles the browser pages (ui/) into dist/ui: content-hashed assets, the pages naming them, and a stable widget.js.
//
// Everything the pages need (uPlot included) ends up in dist/ui and is served by the gateway itself, so the
// dashboard works offline and never loads anything from a CDN. Run by `npm run build` after tsc.

import { readFile, rm, writeFile } from "node:fs/promises";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const out = `${root}dist/ui`;
const target = ["es2022", "chrome109", "firefox115", "safari16"];

const LOGO =
  '<svg viewBox="0 0 32 32" xmlns="http://www.w3.org/2000/svg" aria-hidden="true">' +
  '<defs><linearGradient id="lg" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#6366f1"/>' +
  '<stop offset="1" stop-color="#a855f7"/></linearGradient></defs>' +
  '<rect width="32" height="32" rx="8" fill="url(#lg)"/>' +
  '<path d="M9.5 24V14.5a6.5 6.5 0 0 1 13 0V24" fill="none" stroke="#fff" stroke-width="3" stroke-linecap="round"/>' +
  '<circle cx="16" cy="18.5" r="2.6" fill="#fff"/></svg>';
const ICON = `<link rel="icon" href="data:image/svg+xml,${encodeURIComponent(LOGO)}" />`;

await rm(out, { recursive: true, force: true });

const pages = await build({
  absWorkingDir: root,
  entryPoints: { dashboard: "ui/src/dashboard.ts", playground: "ui/src/playground.ts" },
  bundle: true,
  format: "esm",
  minify: true,
  target,
  outdir: "dist/ui/assets",
  entryNames: "[name]-[hash]",
  assetNames: "[name]-[hash]",
  metafile: true,
  banner: { js: "/*! llmgate dashboard; bundles uPlot (c) Leon Sorokin, MIT License */" },
  logLevel: "warning",
});

await build({
  absWorkingDir: root,
  entryPoints: ["ui/src/widget.ts"],
  bundle: true,
  format: "iife",
  minify: true,
  target,
  outfile: "dist/ui/widget.js",
  logLevel: "warning",
});

/** The hashed script and stylesheet of each entry, relative to dist/ui. */
const assets = {};
for (const [file, output] of Object.entries(pages.metafile.outputs)) {
  if (!output.entryPoint) continue;
  const name = output.entryPoint.replace(/^ui\/src\//, "").replace(/\.ts$/, "");
  assets[name] = {
    js: relative(out, `${root}${file}`),
    css: output.cssBundle ? relative(out, `${root}${output.cssBundle}`) : undefined,
  };
}

for (const [page, entry] of [
  ["index.html", "dashboard"],
  ["playground.html", "playground"],
]) {
  const a = assets[entry];
  if (!a) throw new Error(`no bundle for ${entry}`);
  const tags = [
    a.css ? `<link rel="stylesheet" href="${a.css}" />` : "",
    `<script type="module" src="${a.js}"></script>`,
  ].join("\n    ");
  const html = (await readFile(`${root}ui/${page}`, "utf8"))
    .replace("<!-- assets -->", tags)
    .replace("<!-- icon -->", ICON)
    .replaceAll("<!-- logo -->", LOGO);
  await writeFile(`${out}/${page}`, html);
}

console.log(
  `ui: ${Object.values(assets)
    .map((a) => [a.js, a.css].filter(Boolean).join(", "))
    .join("; ")}, widget.js`,
);
