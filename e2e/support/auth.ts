/**
 * Sign-in helpers for specs. `signIn` goes through the real /sign-in page (the same path a
 * researcher takes), then waits until the app has left the sign-in page.
 */
import { expect, type Page } from '@playwright/test';
import { e2eAdmin } from './env';

export async function signIn(page: Page, email: string, password: string, opts: { callbackUrl?: string } = {}): Promise<void> {
  const target = opts.callbackUrl ? `/sign-in?callbackUrl=${encodeURIComponent(opts.callbackUrl)}` : '/sign-in';
  await page.goto(target);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).not.toHaveURL(/\/sign-in/, { timeout: 15_000 });
  // Asked from the page: the browser retries a GET whose reused keep-alive socket the server had just closed,
  // where Playwright's request context surfaced that race as ECONNRESET on a loaded machine.
  const session = await page.evaluate(() => fetch('/api/auth/session').then((r) => r.json() as Promise<{ user?: { email?: string } }>));
  expect(session).toMatchObject({ user: { email: email.toLowerCase() } });
}

/** Signs in as the admin that the e2e server creates from ADMIN_EMAIL / ADMIN_PASSWORD. */
export function signInAsAdmin(page: Page): Promise<void> {
  return signIn(page, e2eAdmin.email, e2eAdmin.password);
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
}
