// Debian's Chromium driven by playwright-core (never a downloaded browser), and where browser tests save screenshots.

import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Browser, type BrowserContext, chromium } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

/** test-artifacts/ at the repository root (gitignored). */
export const ARTIFACTS = fileURLToPath(new URL("../../test-artifacts/", import.meta.url));

/** Headless, sandbox off (tests run as root), and nothing phoned home. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: run scripts/test-setup.sh (installs Debian's chromium)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export const VIEWPORTS = {
  desktop: { width: 1440, height: 900 },
  phone: { width: 390, height: 844 },
  wall: { width: 2560, height: 1440 },
} as const;

export async function newContext(
  browser: Browser,
  viewport: keyof typeof VIEWPORTS,
  colorScheme: "light" | "dark",
): Promise<BrowserContext> {
  return browser.newContext({
    viewport: VIEWPORTS[viewport],
    colorScheme,
    deviceScaleFactor: viewport === "phone" ? 2 : 1,
    locale: "en-US",
    timezoneId: "UTC",
  });
}

/** The path of a screenshot under test-artifacts/<dir>/, creating the folder. */
export function artifact(dir: string, name: string): string {
  const folder = `${ARTIFACTS}${dir}/`;
  mkdirSync(folder, { recursive: true });
  return `${folder}${name}`;
}
