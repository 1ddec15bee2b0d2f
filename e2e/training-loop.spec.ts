/**
 * The whole training loop in the browser: an admin builds a synthetic dataset with the offline demo model, exports it
 * in every format, starts a fine-tuning job against the fake OpenAI-compatible provider, sees it succeed, registers
 * the model, and starts a benchmark run comparing it with its base model, which finishes.
 */
import { expect, test } from '@playwright/test';
import { schema } from '../db';
import { lineSchemas } from '../server/training/datasets/formats';
import { signInAsAdmin } from './support/auth';
import { closeE2eDb, e2eDb, fakeLlmUrl } from './participant-helpers';

test.setTimeout(600_000);
test.afterAll(closeE2eDb);

test('an admin goes from a synthetic dataset to a trained model evaluated against its base', async ({ page }) => {
  // The fine-tuning provider: a connection to the local fake OpenAI-compatible server (files + fine-tuning endpoints).
  const connectionName = `Fake provider ${Date.now()}`;
  await e2eDb().insert(schema.llmConnections).values({ name: connectionName, baseUrl: fakeLlmUrl, defaultModel: 'fake-model' });

  await signInAsAdmin(page);

  // 1. Build a small synthetic dataset with the demo model, scripted user and demo judge.
  await page.goto('/datasets/new');
  await page.getByLabel('Name').fill('E2E training loop');
  await page.getByLabel('Conversations (first N tasks)').fill('3');
  await page.getByLabel('Max turns').fill('2');
  await page.getByRole('button', { name: 'Create dataset' }).click();
  await expect(page).toHaveURL(/\/datasets\/[0-9a-f-]{36}$/);
  const datasetUrl = page.url();
  await expect(page.locator('.badge', { hasText: /^ready$/ })).toBeVisible({ timeout: 180_000 });

  // 2. Export it in every format; every line parses against its format's schema. (Preference formats may be empty
  //    when the demo candidates tie: a pair needs the minimum MR gap.)
  for (const format of ['trl-sft', 'trl-dpo', 'openai-sft', 'openai-dpo'] as const) {
    const href = await page.getByTestId(`export-${format}-all`).getAttribute('href');
    const response = await page.request.get(href!);
    expect(response.status(), format).toBe(200);
    const lines = (await response.text()).trim().split('\n').filter(Boolean);
    if (format.endsWith('sft')) expect(lines.length, format).toBe(3);
    for (const line of lines) expect(lineSchemas[format].safeParse(JSON.parse(line)).success, `${format}: ${line}`).toBe(true);
  }

  // 3. Start a supervised fine-tuning job on the fake provider and follow it to success.
  await page.getByRole('link', { name: 'Training jobs' }).click();
  await expect(page.getByRole('heading', { name: 'Training jobs' })).toBeVisible();
  await page.getByTestId('training-dataset').selectOption({ label: 'E2E training loop v1 (demo)' });
  await page.getByTestId('training-connection').selectOption({ label: connectionName });
  await expect(page.getByTestId('training-base-model')).toHaveValue('fake-model');
  await page.getByText('Hyperparameters (defaults from the CollabLLM paper').click();
  await expect(page.getByRole('spinbutton', { name: /^Learning rate/ })).toHaveValue('0.00001');
  await expect(page.getByRole('spinbutton', { name: /^Epochs/ })).toHaveValue('3');
  await page.getByRole('button', { name: 'Start training' }).click();

  await expect(page).toHaveURL(/\/training\/jobs\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('training-status')).toHaveText('succeeded', { timeout: 120_000 });
  await expect(page.getByRole('progressbar', { name: 'Training progress' })).toHaveAttribute('aria-valuenow', '100');
  const events = page.getByTestId('training-events');
  await expect(events).toContainText('Uploaded');
  await expect(events).toContainText('Fine-tuning job started');
  const model = (await page.getByTestId('fine-tuned-model').textContent())!.trim();
  expect(model).toMatch(/^ft:fake-model:/);
  await expect(page.getByTestId('lineage')).toContainText('E2E training loop v1');

  // 4. Register the model for arms, then evaluate it against its base on one task.
  await page.getByRole('button', { name: 'Register model for arms' }).click();
  await expect(page.getByTestId('registered-model')).toContainText(model);
  await page.getByLabel('Tasks', { exact: true }).fill('1');
  await page.getByLabel('Max turns').fill('2');
  await page.getByRole('button', { name: 'Evaluate it' }).click();
  await page.getByTestId('evaluation-run-link').click();

  await expect(page).toHaveURL(/\/benchmarks\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('run-counts')).toContainText('2 of 2 conversations completed (100%)', { timeout: 150_000 });
  const accounting = page.getByRole('table', { name: 'Conversation accounting' });
  await expect(accounting.getByRole('columnheader', { name: 'Base (fake-model)', exact: true })).toBeVisible();
  await expect(accounting.getByRole('columnheader', { name: 'SFT · E2E training loop v1', exact: true })).toBeVisible();

  // The lineage on the job page now reaches the run.
  await page.goBack();
  await expect(page.getByTestId('lineage')).toContainText('Evaluate');
  expect(datasetUrl).toContain('/datasets/');

  // 5. The registered model is one click away in any arm editor: here, a new benchmark run's arms.
  await page.goto('/benchmarks/new');
  const armKeys = page.locator('input[id^="arm-"][id$="-key"]');
  const trainedOption = page.locator('#run-trained-model option', { hasText: model });
  // Count the arms only once the form has rendered with its options loaded: counting
  // before hydration on a loaded machine read 0 while the form then showed the demo arms.
  await expect(trainedOption).toHaveCount(1);
  await expect(armKeys.first()).toBeVisible();
  const before = await armKeys.count();
  await page.locator('#run-trained-model').selectOption((await trainedOption.getAttribute('value'))!);
  await page.getByRole('button', { name: 'Add as an arm' }).click();
  await expect(armKeys).toHaveCount(before + 1);
  await expect(page.locator(`#arm-${before}-model`)).toHaveValue(model);
});
