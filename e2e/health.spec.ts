import { expect, test } from '@playwright/test';

test('health endpoint reports the database', async ({ request }) => {
  const res = await request.get('/api/health');
  expect(res.status()).toBe(200);
  expect(await res.json()).toEqual({ status: 'ok', database: { ok: true, kind: 'postgres' } });
});

test('home page links to the demo study', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('link', { name: 'Try the demo study' })).toHaveAttribute('href', '/s/demo');
});
