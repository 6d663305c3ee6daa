// A real browser for the dashboard's tests: the machine's Chromium (Debian's `chromium` package,
// installed by .ci/run) driven by playwright-core, which downloads no browser of its own. Each
// launch gets a fresh profile (playwright passes a new --user-data-dir and removes it on close).
import { accessSync, constants } from 'node:fs';
import type { Browser } from 'playwright-core';

export const CHROMIUM = process.env.IMOS_CHROMIUM || '/usr/bin/chromium';

export function browserAvailable(): boolean {
  try {
    accessSync(CHROMIUM, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Under CI (`CI=true`, as CI services set it) a missing browser fails the run instead of skipping. */
export const UNDER_CI = Boolean(process.env.CI) && !['false', '0'].includes(process.env.CI!.toLowerCase());

export const BROWSER_MISSING = `no Chromium at ${CHROMIUM}: the dashboard's browser tests are skipped. Install it (Debian/Ubuntu: sudo apt-get install chromium) or set IMOS_CHROMIUM to its path`;

export async function launchBrowser(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox', // root in a container has no sandbox to give
      '--headless',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
    timeout: 60_000,
  });
}
