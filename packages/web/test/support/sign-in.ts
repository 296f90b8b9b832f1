import type { Page } from 'playwright-core';

/** The demo users' password (demo mode only). */
export const demoPassword = 'demo';

/**
 * Opens `path` of the app and signs in on the authorization server's page as a demo user, as a
 * person would: the app sends the browser to sign in, and back to `path` afterwards.
 */
export async function signIn(page: Page, baseUrl: string, username: string, path = '/'): Promise<void> {
  await page.goto(`${baseUrl}${path}`);
  await page.waitForURL(/\/auth\/interaction\//);
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password').fill(demoPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === path);
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}
