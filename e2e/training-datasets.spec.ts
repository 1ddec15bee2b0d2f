import { expect, test } from '@playwright/test';
import { signInAsAdmin } from './support/auth';

test.setTimeout(240_000);

test('an admin builds a demo synthetic dataset, browses candidates and samples, and downloads every export', async ({ page }) => {
  await signInAsAdmin(page);
  await page.goto('/datasets');
  await expect(page.getByRole('heading', { name: 'Training datasets' })).toBeVisible();
  await page.getByRole('link', { name: 'New dataset' }).click();

  await expect(page.getByRole('heading', { name: 'New training dataset' })).toBeVisible();
  await page.getByLabel('Name', { exact: true }).fill('E2E demo dataset');
  await page.getByLabel('Conversations (first N tasks)').fill('2');
  await page.getByLabel('Max turns').fill('3');
  await page.getByLabel('Interactivity weight').fill('0.5');
  await page.getByLabel('Eval share').fill('0.5');
  await expect(page.getByText('will be labelled demo')).toBeVisible();
  await page.getByRole('button', { name: 'Create dataset' }).click();

  await expect(page).toHaveURL(/\/datasets\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { name: /E2E demo dataset/ })).toBeVisible();
  await expect(page.getByText('ready', { exact: true })).toBeVisible({ timeout: 200_000 });
  const counts = page.getByTestId('dataset-counts');
  await expect(counts).toContainText('Conversations2');
  await expect(page.getByRole('figure', { name: 'MR distribution of chosen and rejected replies' })).toBeVisible();

  await page.getByRole('button', { name: 'Open' }).first().click();
  const detail = page.getByTestId('conversation-detail');
  await expect(detail.getByText(/^MR -?\d\.\d{3} ± \d\.\d{3}$/).first()).toBeVisible();
  await expect(detail.getByText('chosen', { exact: true }).first()).toBeVisible();
  await detail.getByText('3 forward samples').first().click();
  await expect(detail.getByText(/Sample 1 · reward/).first()).toBeVisible();

  for (const format of ['trl-sft', 'trl-dpo', 'openai-sft', 'openai-dpo']) {
    const res = await page.request.get((await page.getByTestId(`export-${format}-all`).getAttribute('href'))!);
    expect(res.status()).toBe(200);
    const lines = (await res.text()).split('\n').filter(Boolean);
    if (format.endsWith('sft')) expect(lines).toHaveLength(2);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  }
  const manifest = await page.request.get((await page.getByTestId('export-manifest').getAttribute('href'))!);
  expect(await manifest.json()).toMatchObject({ dataset: { name: 'E2E demo dataset', version: 1, isDemo: true } });
  const card = await page.request.get((await page.getByTestId('export-card').getAttribute('href'))!);
  expect(await card.text()).toContain('# E2E demo dataset (version 1)');
});
