import { expect, request as playwrightRequest, test } from '@playwright/test';
import { signIn, signInAsAdmin } from './support/auth';
import { e2eLlmPort } from './support/env';
import { baseURL } from '../playwright.config';

test('an API token works as a Bearer token until it is revoked', async ({ page }) => {
  await signInAsAdmin(page);
  await page.goto('/settings');
  await page.getByRole('link', { name: 'Manage API tokens' }).click();
  await page.getByLabel('Token name').fill('export script');
  await page.getByRole('button', { name: 'Create token' }).click();
  const tokenField = page.getByLabel('New API token');
  await expect(tokenField).toHaveValue(/^cst_[A-Za-z0-9_-]{43}$/);
  const token = await tokenField.inputValue();

  // A script without any browser cookies, as curl would be.
  const api = await playwrightRequest.newContext({ baseURL });
  const authorized = await api.get('/api/trpc/users.me', { headers: { Authorization: `Bearer ${token}` } });
  expect(authorized.status()).toBe(200);
  expect(await authorized.json()).toMatchObject({ result: { data: { json: { email: 'admin@e2e.test', role: 'admin' } } } });
  expect((await api.get('/api/trpc/users.me')).status()).toBe(401);

  await page.reload();
  await expect(page.getByLabel('New API token')).toHaveCount(0);
  const row = page.getByRole('row', { name: /export script/ });
  await expect(row).toContainText('Active');
  await row.getByRole('button', { name: 'Revoke export script' }).click();
  await expect(row).toContainText('Revoked');

  const revoked = await api.get('/api/trpc/users.me', { headers: { Authorization: `Bearer ${token}` } });
  expect(revoked.status()).toBe(401);
  await api.dispose();
});

test('the connection form never shows the API key back', async ({ page }) => {
  const secretKey = `sk-e2e-${Date.now()}-do-not-show-ABCD`;
  const name = `Local fake ${Date.now()}`;
  await signInAsAdmin(page);
  await page.goto('/admin/connections');
  const form = page.getByRole('form', { name: 'New connection' });
  if (!(await form.isVisible())) await page.getByRole('button', { name: 'Add connection' }).click();
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Base URL').fill(`http://127.0.0.1:${e2eLlmPort}/v1`);
  await form.getByLabel('API key').fill(secretKey);
  await form.getByLabel('Default model').fill('fake-model');
  await form.getByRole('button', { name: 'Test connection' }).click();
  await expect(form.getByRole('status')).toContainText('Connection works');
  await form.getByRole('button', { name: 'Save connection' }).click();

  const row = page.getByRole('row', { name: new RegExp(name) });
  await expect(row).toContainText('Set (ends …ABCD)');
  await row.getByRole('button', { name: `Edit ${name}` }).click();
  const edit = page.getByRole('form', { name: `Edit ${name}` });
  await expect(edit.getByLabel('API key')).toHaveValue('');
  await expect(edit).toContainText('Saved key: Set (ends …ABCD)');
  // Re-testing uses the stored key on the server, without it ever reaching the browser.
  await edit.getByRole('button', { name: 'Test connection' }).click();
  await expect(edit.getByRole('status')).toContainText('Connection works');
  expect(await page.content()).not.toContain(secretKey.slice(0, 20));
  const listed = await page.request.get('/api/trpc/connections.list');
  expect(listed.status()).toBe(200);
  expect(await listed.text()).not.toContain(secretKey.slice(0, 20));
});

test('a researcher cannot reach the admin area', async ({ page }) => {
  await signInAsAdmin(page);
  const email = `researcher-admin-check-${Date.now()}@e2e.test`;
  await page.goto('/admin/users');
  const form = page.getByRole('form', { name: 'Add a user' });
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Role').selectOption({ label: 'Researcher' });
  await form.getByLabel('Initial password').fill('researcher-password-2');
  await form.getByRole('button', { name: 'Add user' }).click();
  await expect(page.getByRole('status')).toContainText(`Added ${email}`);
  await page.context().clearCookies();
  await signIn(page, email, 'researcher-password-2');
  await page.goto('/admin/connections');
  await expect(page.getByRole('heading', { name: 'Not allowed' })).toBeVisible();
  expect((await page.request.get('/api/trpc/connections.list')).status()).toBe(403);
});
