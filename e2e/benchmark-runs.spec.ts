import { expect, test } from '@playwright/test';
import { signInAsAdmin } from './support/auth';

test.setTimeout(180_000);

test('an admin starts a demo benchmark run, watches it progress and reads the results', async ({ page, playwright, baseURL }) => {
  await signInAsAdmin(page);
  await page.goto('/benchmarks');
  await expect(page.getByRole('heading', { name: 'Benchmark runs' })).toBeVisible();
  await page.getByRole('link', { name: 'New run' }).click();

  await expect(page.getByRole('heading', { name: 'New benchmark run' })).toBeVisible();
  await page.getByLabel('Run name').fill('E2E demo run');
  // The form starts with the three demo arms, labelled as demo.
  await expect(page.getByRole('group', { name: 'Arm 3' })).toBeVisible();
  await expect(page.getByText('demo model').first()).toBeVisible();
  await page.getByRole('button', { name: 'Select none' }).click();
  const taskBoxes = page.getByRole('checkbox');
  await taskBoxes.nth(0).check();
  await taskBoxes.nth(1).check();
  await page.getByLabel('Maximum turns').fill('4');
  await page.getByLabel('Concurrency').fill('4');
  await expect(page.getByRole('note')).toContainText('demo');
  await page.getByRole('button', { name: 'Start run (6 conversations)' }).click();

  await expect(page).toHaveURL(/\/benchmarks\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { name: 'E2E demo run' })).toBeVisible();
  const bar = page.getByRole('progressbar', { name: 'Run progress' });
  await expect(bar).toBeVisible();
  await expect(page.getByTestId('run-counts')).toContainText('of 6 conversations completed');
  await expect(page.getByTestId('run-counts')).toContainText('6 of 6 conversations completed (100%)', { timeout: 150_000 });
  await expect(bar).toHaveAttribute('aria-valuenow', '100');
  await expect(page.getByRole('region', { name: 'Progress' }).getByText('completed', { exact: true })).toBeVisible();

  // Table 1: per arm the paper's four columns with CIs, and a Rel. Improv. row (paired, bootstrap CI) per arm.
  const table1 = page.getByRole('table', { name: 'Table 1' });
  await expect(table1).toBeVisible();
  await expect(table1.getByRole('rowheader', { name: 'Collaborative (demo)', exact: true })).toBeVisible();
  for (const column of ['BLEU', '#Tokens (k)', 'ITR', 'Doc. quality']) await expect(table1.getByRole('columnheader', { name: new RegExp(column.replace(/[().#]/g, '\\$&')) })).toBeVisible();
  await expect(table1.getByText(/^\[-?[\d.]+, -?[\d.]+\] n=2$/).first()).toBeVisible();
  await expect(table1.getByTestId('rel-improv-row')).toHaveCount(2);
  await expect(table1.getByTestId('rel-improv-row').first()).toContainText(/[+-]?\d+\.\d%/);
  await expect(table1.getByTestId('rel-improv-row').first()).toContainText('2 pairs');

  // Paired comparisons: differences with t and bootstrap CIs, p-values with Holm; pairs and dropped pairs.
  const paired = page.getByTestId('paired-table').first();
  await expect(paired.getByRole('columnheader', { name: '95% CI (t)' })).toBeVisible();
  await expect(paired.getByRole('columnheader', { name: '95% CI (bootstrap)' })).toBeVisible();
  const qualityRow = paired.getByRole('row', { name: /Document quality/ });
  await expect(qualityRow.getByRole('cell').first()).toHaveText('2 (0)');
  await expect(qualityRow.getByRole('cell').nth(2)).toHaveText(/^(\[-?[\d.]+, -?[\d.]+\]|—)$/);
  await expect(paired.getByRole('rowheader', { name: /Clarifying questions.*\(descriptive\)/ })).toBeVisible();

  // Every planned conversation is accounted for.
  const accounting = page.getByRole('table', { name: 'Conversation accounting' });
  await expect(accounting.getByRole('row', { name: /^Planned/ }).getByRole('cell')).toHaveText(['2', '2', '2']);
  await expect(accounting.getByRole('row', { name: /^Finished/ }).getByRole('cell')).toHaveText(['2', '2', '2']);
  await expect(accounting.getByRole('rowheader', { name: 'Ended by the simulated user' })).toBeVisible();
  await expect(accounting.getByRole('rowheader', { name: 'Ended by the turn limit' })).toBeVisible();
  await expect(accounting.getByRole('rowheader', { name: 'Ended by a guard (endless goodbyes)' })).toBeVisible();
  await expect(accounting.getByRole('row', { name: /^Failed/ }).getByRole('cell')).toHaveText(['0', '0', '0']);
  await expect(page.getByTestId('arm-chart')).toBeVisible();

  // The reference arm is a choice.
  await page.getByLabel('Reference arm').selectOption({ label: 'Collaborative (demo)' });
  await expect(page.getByRole('heading', { name: 'Paired comparisons against Collaborative (demo)' })).toBeVisible();
  await expect(table1.getByRole('rowheader', { name: /Collaborative \(demo\)\s*\(reference\)/ })).toBeVisible();

  // Downloads: the CSV through the browser's download, the LaTeX through the same route; no session → 401.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('table1-csv').click()]);
  expect(download.suggestedFilename()).toMatch(/^table1-e2e-demo-run-[0-9a-f]{8}\.csv$/);
  const csvHref = (await page.getByTestId('table1-csv').getAttribute('href'))!;
  expect(csvHref).toContain('reference=collabllm');
  const csv = await page.request.get(csvHref);
  expect(csv.headers()['content-type']).toContain('text/csv');
  const csvLines = (await csv.text()).trim().split('\n');
  expect(csvLines[0]).toContain('BLEU CI lower');
  expect(csvLines.filter((l) => l.startsWith('Rel. Improv. (%) vs Collaborative (demo)'))).toHaveLength(2);
  const latex = await page.request.get((await page.getByTestId('table1-latex').getAttribute('href'))!);
  expect(latex.status()).toBe(200);
  const tex = await latex.text();
  expect(tex).toContain('\\begin{tabular}{lcccc}');
  expect(tex).toContain('Rel. Improv. (');
  const anonymous = await playwright.request.newContext({ baseURL });
  expect((await anonymous.get(csvHref)).status()).toBe(401);
  await anonymous.dispose();

  const results = page.getByRole('table', { name: 'Results by arm' });
  await page.getByText('All metrics').click();
  await expect(results.getByRole('columnheader', { name: /Document quality/ })).toBeVisible();
  await expect(results.getByRole('columnheader', { name: 'Clarifying questions', exact: true })).toBeVisible();

  const conversations = page.getByRole('table', { name: 'Conversations' });
  await conversations.getByRole('button', { name: 'View' }).first().click();
  const detail = page.getByRole('article', { name: 'Conversation detail' });
  await expect(detail.getByText('Simulated user').first()).toBeVisible();
  await expect(detail.getByRole('heading', { name: /Scores by demo-judge/ })).toBeVisible();

  // Re-score the stored conversations: the demo judge is preselected, and the job's outcome shows under Progress.
  const rescore = page.getByRole('form', { name: 'Re-score with another judge' });
  await expect(rescore.getByLabel('Judge endpoint')).toHaveValue('');
  await expect(rescore.getByLabel('Judge model')).toHaveCount(0);
  await rescore.getByRole('button', { name: 'Re-score' }).click();
  await expect(rescore.getByText('Re-score queued')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Progress' }).getByText(/^demo-judge@\S+: completed$/)).toBeVisible({ timeout: 60_000 });

  const href = await page.getByRole('link', { name: 'Download JSONL' }).getAttribute('href');
  const exported = await page.request.get(href!);
  expect(exported.status()).toBe(200);
  const lines = (await exported.text()).trim().split('\n').map((l) => JSON.parse(l) as { type: string });
  expect(lines[0]!.type).toBe('run');
  expect(lines.filter((l) => l.type === 'item')).toHaveLength(6);

  await page.goto('/benchmarks');
  const row = page.getByRole('row', { name: /E2E demo run/ });
  await expect(row.getByText('completed')).toBeVisible();
});

test('task set import shows every bad row and imports nothing until all are valid', async ({ page }) => {
  await signInAsAdmin(page);
  await page.goto('/benchmarks/task-sets');
  await expect(page.getByRole('cell', { name: /Built-in document tasks/ })).toBeVisible();
  const name = `E2E set ${Date.now()}`;
  await page.getByLabel('Name', { exact: true }).fill(name);
  const good = JSON.stringify({ key: 'good-one', documentType: 'blog_post', brief: 'Write about a community garden opening next spring.', targetDocument: 'x'.repeat(80) });
  await page.getByLabel('Or paste the rows').fill([good, '{"key": "bad"}', 'not json'].join('\n'));
  await page.getByRole('button', { name: 'Import' }).click();
  const errors = page.getByRole('table', { name: 'Import errors' });
  await expect(errors).toBeVisible();
  await expect(errors.getByRole('row')).toHaveCount(3);
  await expect(errors.getByRole('cell', { name: '2', exact: true })).toBeVisible();
  await expect(errors.getByRole('cell', { name: '3', exact: true })).toBeVisible();

  await page.getByLabel('Or paste the rows').fill(good);
  await page.getByRole('button', { name: 'Import' }).click();
  await expect(page.getByRole('status')).toContainText('Imported 1 tasks');
  await expect(page.getByRole('cell', { name })).toBeVisible();
});

test('a run set up from an imported preset, with a template-mode arm and the Table 1 scale, completes', async ({ page }) => {
  await signInAsAdmin(page);
  await page.goto('/benchmarks/new');
  await expect(page.getByRole('heading', { name: 'New benchmark run' })).toBeVisible();
  await page.getByLabel('Run name').fill('E2E preset run');
  const preset = {
    presetVersion: 1,
    name: 'E2E template preset',
    arms: [
      { key: 'plain', label: 'Plain (demo)', connectionId: null, model: 'baseline', systemPrompt: '' },
      {
        key: 'tpl',
        label: 'Template (demo)',
        connectionId: null,
        model: 'proactive',
        systemPrompt: '',
        mode: 'template',
        template: { text: 'Chat so far:\n{{conversation}}\nReply in JSON with "thought" and "reply".', responseField: 'reply', parseRetries: 1 },
      },
    ],
    referenceArmKey: 'plain',
    simulator: { connectionId: null },
    judge: { connectionId: null, interactivityScale: 'paper-table1' },
  };
  await page.getByText('Import a preset (JSON)').click();
  // A broken preset is refused with the field that is wrong.
  await page.getByLabel('Preset JSON').fill(JSON.stringify({ ...preset, presetVersion: 2 }));
  await page.getByRole('button', { name: 'Import preset' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'presetVersion 2 is not supported' })).toBeVisible();
  await page.getByLabel('Preset JSON').fill(JSON.stringify(preset));
  await page.getByRole('button', { name: 'Import preset' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Applied preset “E2E template preset”' })).toBeVisible();

  const templateArm = page.getByRole('group', { name: 'Arm 2' });
  await expect(templateArm.getByLabel('Request', { exact: true })).toHaveValue('template');
  await expect(templateArm.getByLabel('Shown field')).toHaveValue('reply');
  await expect(page.getByLabel('Interactivity scale')).toHaveValue('paper-table1');
  await expect(page.getByRole('group', { name: 'Arm 3' })).toHaveCount(0);

  // Export gives the same setup back as a preset.
  await page.getByRole('button', { name: 'Export current setup' }).click();
  const exported = JSON.parse(await page.getByLabel('Exported preset').inputValue()) as typeof preset;
  expect(exported.arms[1]).toMatchObject({ mode: 'template', template: { responseField: 'reply' } });

  await page.getByRole('button', { name: 'Select none' }).click();
  const taskBoxes = page.getByRole('checkbox');
  await taskBoxes.nth(0).check();
  await taskBoxes.nth(1).check();
  await page.getByLabel('Maximum turns').fill('3');
  await page.getByRole('button', { name: 'Start run (4 conversations)' }).click();

  await expect(page).toHaveURL(/\/benchmarks\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('run-counts')).toContainText('4 of 4 conversations completed (100%)', { timeout: 150_000 });
  const table1 = page.getByRole('table', { name: 'Table 1' });
  await expect(table1.getByRole('rowheader', { name: 'Template (demo)', exact: true })).toBeVisible();
  await expect(page.getByLabel('Judge', { exact: true })).toHaveValue(/\+itr-table1$/);
  await expect(page.getByRole('note', { name: 'BLEU floor' })).toContainText('character');
});
