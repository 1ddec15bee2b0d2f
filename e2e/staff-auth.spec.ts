import { expect, test } from '@playwright/test';
import { signIn, signInAsAdmin, signOut } from './support/auth';
import { e2eAdmin } from './support/env';

test('signed-out visitors are sent to sign-in and brought back afterwards', async ({ page }) => {
  await page.goto('/studies?from=test');
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fstudies%3Ffrom%3Dtest/);
  await page.getByLabel('Email').fill(e2eAdmin.email);
  await page.getByLabel('Password').fill(e2eAdmin.password);
  await page.getByLabel('Password').press('Enter');
  await expect(page).toHaveURL(/\/studies\?from=test$/);
  await expect(page.getByRole('heading', { name: 'Studies' })).toBeVisible();
  await expect(page.getByTestId('signed-in-user')).toContainText('Admin');
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' })).toBeVisible();
});

test('a wrong password shows a clear error and keeps the visitor signed out', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(e2eAdmin.email);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'email or password is not correct' })).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in/);
  // From the page, as in signIn: the browser retries a GET on a keep-alive socket the server just closed.
  expect(await page.evaluate(() => fetch('/api/auth/session').then((r) => r.json() as Promise<unknown>))).toEqual({});
});

test('sign-out ends the session', async ({ page }) => {
  await signInAsAdmin(page);
  await signOut(page);
  await page.goto('/studies');
  await expect(page).toHaveURL(/\/sign-in/);
});

test('the tRPC API refuses staff procedures without a session', async ({ request }) => {
  const res = await request.get('/api/trpc/studies.list');
  expect(res.status()).toBe(401);
});

test('signIn helper works for the seeded admin', async ({ page }) => {
  await signIn(page, e2eAdmin.email.toUpperCase(), e2eAdmin.password);
  await expect(page).toHaveURL(/\/studies$/);
});

test('repeated wrong passwords for one email are refused for a while', async ({ page }) => {
  const email = `guess-${Date.now()}@e2e.test`;
  await page.goto('/sign-in');
  for (let attempt = 1; attempt <= 10; attempt++) {
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(`guess-${attempt}`);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    // While the request runs the button reads "Signing in…"; wait for the answer before the next try.
    await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeEnabled();
    await expect(page.getByRole('alert').filter({ hasText: 'email or password is not correct' })).toBeVisible();
  }
  await page.getByLabel('Password').fill('guess-11');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Too many failed attempts' })).toBeVisible();
});
