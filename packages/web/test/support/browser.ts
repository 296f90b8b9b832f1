import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

/** Debian's Chromium; `npx playwright install` cannot run here, so the tests drive this one. */
export const chromiumPath = process.env.HOSPITIUM_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Why the browser journeys cannot run here, or undefined when they can. In CI (`CI=true`) a
 * missing browser is a failure, not a skip: the journeys are part of what CI proves.
 */
export function browserUnavailable(): string | undefined {
  if (existsSync(chromiumPath)) return undefined;
  const reason = `no Chromium at ${chromiumPath} (apt-get install -y chromium, or set HOSPITIUM_CHROMIUM)`;
  if (process.env.CI === 'true') throw new Error(`Browser journeys must run in CI: ${reason}`);
  return reason;
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/**
 * A fresh Chromium profile (no cookies, no storage) with one page, sized like a landscape ward
 * tablet. Each call is a separate person at a separate device.
 */
export async function openBrowser(viewport = { width: 1280, height: 800 }): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'hospitium-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
    viewport,
  });
  context.setDefaultTimeout(15_000);
  const page = context.pages()[0] ?? (await context.newPage());
  // A script error on any page fails the journey that caused it.
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  return {
    context,
    page,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
      if (errors.length > 0) throw new Error(`The page threw: ${errors.join('; ')}`);
    },
  };
}

/** Where screenshots go: `test-results/screens/` at the repository root (gitignored). */
export const screensDir = fileURLToPath(new URL('../../../../test-results/screens/', import.meta.url));

/** Saves a full-page screenshot named `<name>.png` for people to look at. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screensDir, { recursive: true });
  const path = join(screensDir, `${name}.png`);
  // From the top: the app's header is fixed, and a scrolled page would show it mid-picture.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path, fullPage: true });
  return path;
}
