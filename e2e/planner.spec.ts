/**
 * The sample-size planner end to end: a researcher opens a new study's Plan tab, types effect sizes, sees the
 * participants needed (checked against the golden-tested solver) and the power curve, gets a clear error for
 * an impossible α, then plans from a simulated pilot whose rows are seeded in the database (the pilot runner
 * and judge job write those tables in the app; here they are inserted directly).
 */
import { expect, test, type Page } from '@playwright/test';
import { eq } from 'drizzle-orm';
import * as schema from '../db/schema';
import { describe as describeSample } from '../server/stats';
import { inflateForDropout, solveWelchN } from '../server/stats/power';
import { closeE2eDb, e2eDb } from './participant-helpers';
import { signInAsAdmin } from './support/auth';

test.afterAll(closeE2eDb);

const pilotQuality = { baseline: [5, 6, 6, 7, 5, 6], collabllm: [7, 8, 7, 9, 8, 7] };

async function createStudy(page: Page): Promise<string> {
  await page.goto('/studies/new');
  await page.getByLabel('Name', { exact: true }).fill(`Planner e2e ${Date.now()}`);
  await page.getByRole('button', { name: 'Create study' }).click();
  await expect(page).toHaveURL(/\/studies\/[0-9a-f-]{36}\/setup$/);
  return page.url().split('/studies/')[1]!.split('/')[0]!;
}

const plannedRow = (page: Page, outcome: string) => page.getByTestId('plan-table').getByRole('row').filter({ has: page.getByRole('rowheader', { name: outcome, exact: true }) });

test('a researcher types effect sizes, sees the table and the power curve, then plans from a simulated pilot', async ({ page }) => {
  test.setTimeout(180_000);
  await signInAsAdmin(page);
  const studyId = await createStudy(page);

  // From the setup page, the study's Plan tab.
  await page.getByRole('navigation', { name: 'Study sections' }).getByRole('link', { name: 'Plan' }).click();
  await expect(page.getByRole('heading', { name: 'Plan the sample size' })).toBeVisible();
  await expect(page.getByText('No simulated pilot yet')).toBeVisible();
  await expect(page.getByRole('radio', { name: /A simulated pilot/ })).toBeDisabled();

  // Two typed effects: d = 0.5 on document quality, and a mean difference of −2 with SD 5 on time.
  const first = page.getByRole('group', { name: 'Effect 1' });
  await expect(first.getByLabel('Outcome')).toHaveValue('Document quality');
  await first.getByLabel('d', { exact: true }).fill('0.5');
  await page.getByRole('button', { name: 'Add an outcome' }).click();
  const second = page.getByRole('group', { name: 'Effect 2' });
  await second.getByLabel('Outcome').fill('Time spent');
  await second.getByLabel('Effect given as').selectOption('mean');
  await second.getByLabel('Mean difference').fill('-2');
  await second.getByLabel('SD', { exact: true }).fill('5');
  await page.getByLabel('Dropout %').fill('20');

  // Bad input first: a clear message, no request.
  await page.getByLabel('α (two-sided)').fill('0.7');
  await second.getByLabel('SD', { exact: true }).fill('');
  await page.getByRole('button', { name: 'Plan', exact: true }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'Please fix' });
  await expect(alert).toContainText('α: α can be at most 0.5.');
  await expect(alert).toContainText('Effect 2, SD: a number is needed.');
  await page.getByLabel('α (two-sided)').fill('0.05');
  await second.getByLabel('SD', { exact: true }).fill('5');
  // Keyboard: submitting the form with Enter in a field plans it.
  await page.getByLabel('Power', { exact: true }).fill('0.8');
  await page.getByLabel('Power', { exact: true }).press('Enter');

  const table = page.getByTestId('plan-table');
  await expect(table).toBeVisible();
  for (const [outcome, d] of [
    ['Document quality', 0.5],
    ['Time spent', -0.4],
  ] as const) {
    const n = solveWelchN({ meanDifference: d, sdReference: 1, sdOther: 1, alpha: 0.05, power: 0.8, nMax: 5000 }).nPerArm!;
    const withDropout = inflateForDropout(n, 0.2);
    const row = plannedRow(page, outcome);
    await expect(row.getByTestId('n-per-arm')).toHaveText(String(n));
    await expect(row).toContainText(String(withDropout));
    await expect(row).toContainText(String(2 * withDropout));
  }
  const n2 = solveWelchN({ meanDifference: 0.4, sdReference: 1, sdOther: 1, alpha: 0.05, power: 0.8, nMax: 5000 }).nPerArm!;
  await expect(page.getByTestId('plan-summary')).toContainText(`Recruit ${inflateForDropout(n2, 0.2)} per arm, ${2 * inflateForDropout(n2, 0.2)} in total`);

  // The power curve: one line per outcome and the target line.
  const curve = page.getByTestId('power-curve');
  await expect(curve).toBeVisible();
  await expect(curve.locator('.recharts-line')).toHaveCount(2);
  await expect(curve.locator('.recharts-reference-line')).toHaveCount(1);
  await expect(curve.getByText('Document quality — Collaborative vs Baseline')).toBeVisible();

  // A simulated pilot, as the pilot runner and judge job would leave it: participants with pilotId and ratings.
  const db = e2eDb();
  const [study] = await db.select().from(schema.studies).where(eq(schema.studies.id, studyId));
  const [version] = await db.insert(schema.studyVersions).values({ studyId, version: 0, draftPreview: true, config: study!.draftConfig }).returning();
  const [pilot] = await db.insert(schema.studyPilots).values({ studyId, status: 'completed', config: { perArm: 6 } }).returning();
  for (const arm of ['baseline', 'collabllm'] as const) {
    for (const quality of pilotQuality[arm]) {
      const [p] = await db
        .insert(schema.participants)
        .values({ studyId, studyVersionId: version!.id, source: 'link', pilotId: pilot!.id, armKey: arm, stage: 'done', outcome: 'completed' })
        .returning();
      await db.insert(schema.surveyResponses).values({
        participantId: p!.id,
        documentQuality: quality,
        overallInteraction: 6,
        strengths: 's',
        weaknesses: 'w',
        blindingGuess: 'A',
        attentionAnswers: {},
      });
    }
  }

  await page.reload();
  await page.getByRole('radio', { name: /A simulated pilot/ }).check();
  await expect(page.getByLabel('Pilot', { exact: true })).toContainText('12 participants');
  await page.getByRole('button', { name: 'Plan', exact: true }).click();
  const a = describeSample(pilotQuality.baseline);
  const b = describeSample(pilotQuality.collabllm);
  const expected = solveWelchN({ meanDifference: b.mean! - a.mean!, sdReference: a.sd!, sdOther: b.sd!, alpha: 0.05, power: 0.8, nMax: 5000 }).nPerArm!;
  const pilotRow = plannedRow(page, 'Document quality (participant)');
  await expect(pilotRow.getByTestId('n-per-arm')).toHaveText(String(expected));
  await expect(pilotRow).toContainText('6 / 6');

  // Mann–Whitney by simulation: the power column shows its Monte-Carlo standard error.
  await page.getByLabel('Test', { exact: true }).selectOption('mann-whitney');
  await page.getByLabel('Simulations').fill('400');
  await page.getByRole('button', { name: 'Plan', exact: true }).click();
  await expect(plannedRow(page, 'Document quality (participant)')).toContainText('±', { timeout: 60_000 });
  await expect(page.getByTestId('power-curve')).toBeVisible();
});

test('the planner fits a phone screen', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signInAsAdmin(page);
  const studyId = await createStudy(page);
  await page.goto(`/studies/${studyId}/plan`);
  await page.getByRole('button', { name: 'Plan', exact: true }).click();
  await expect(page.getByTestId('plan-table')).toBeVisible();
  // The planner's own parts stay within the screen (the app's top bar is wider on phones, which is not the
  // planner's); the wide table scrolls sideways inside its own box instead of widening the page.
  for (const part of [page.getByRole('form', { name: 'Planning options' }), page.getByTestId('plan-table').locator('..'), page.getByTestId('power-curve')]) {
    const box = (await part.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(390);
  }
  const scroller = await page.getByTestId('plan-table').locator('..').evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth, overflow: getComputedStyle(el).overflowX }));
  expect(scroller.overflow).toBe('auto');
  expect(scroller.scroll).toBeGreaterThan(scroller.client);
  await expect(page.getByTestId('power-curve')).toBeVisible();
});
