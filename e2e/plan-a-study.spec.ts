/**
 * Issue 11 end to end, as a researcher plans and runs a study: a simulated pilot of the draft on the offline
 * demo model (judged automatically when it finishes), the sample-size planner from that pilot (table and power
 * curve), the launch, real participants through the participant flow, judging their conversations, and the
 * calibration report that puts the judge's scores beside the people's own ratings.
 */
import { expect, test } from '@playwright/test';
import { createTestStudy, demoArm, testStudyConfig } from '../server/participants/testing/fixtures';
import { chatAndFinish, closeE2eDb, consentAndSetup, e2eDb } from './participant-helpers';
import { signInAsAdmin } from './support/auth';

test.afterAll(closeE2eDb);

/** Four people who rate their documents differently and leave documents of different lengths. */
const people = [
  { documentQuality: 9, overallInteraction: 8, finalDocument: 'Night trains across Europe: a long, careful post about sleeper cabins, booking tips and my first trip from Vienna to Venice.' },
  { documentQuality: 4, overallInteraction: 5, finalDocument: 'Night trains.' },
  { documentQuality: 7, overallInteraction: 7, finalDocument: 'Night trains: why I take them, what to book, and what to pack.' },
  { documentQuality: 5, overallInteraction: 3, finalDocument: 'Trains at night, briefly.' },
];

test('a researcher pilots the draft, plans the sample size, launches, and reads the calibration of judges against people', async ({ browser, page }) => {
  test.setTimeout(360_000);
  const db = e2eDb();
  const run = Date.now();
  const config = testStudyConfig({ title: `Plan a study ${run}`, arms: [demoArm('baseline'), demoArm('collabllm')] });
  const { studyId, slug } = await createTestStudy(db, { status: 'draft', config, withVersion: false });
  await signInAsAdmin(page);
  const tabs = page.getByRole('navigation', { name: 'Study sections' });

  // 1. A pilot of the draft with simulated participants, judged by the offline demo-judge when it finishes.
  await page.goto(`/studies/${studyId}/setup`);
  const pilotForm = page.getByRole('form', { name: 'Pilot with simulated participants' });
  await pilotForm.getByLabel('Participants per arm').fill('3');
  await pilotForm.getByLabel('Seed').fill(`plan-${run}`);
  await expect(pilotForm.getByLabel("Judge the pilot's conversations when it finishes")).toBeChecked();
  await pilotForm.getByRole('button', { name: 'Run pilot' }).click();
  await expect(page).toHaveURL(/\/pilots\/[0-9a-f-]{36}$/, { timeout: 15_000 });
  await expect(page.getByTestId('pilot-counts')).toContainText('6 of 6 simulated participants finished (100%)', { timeout: 180_000 });
  await expect(page.getByTestId('pilot-judging')).toContainText(/completed: 6 of 6 judged/, { timeout: 120_000 });

  // 2. The planner, from the pilot (its default source once a pilot exists): a table and a power curve.
  await page.getByRole('link', { name: 'plan the sample size from this pilot' }).click();
  await expect(page.getByRole('heading', { name: 'Plan the sample size' })).toBeVisible();
  await expect(page.getByRole('radio', { name: /A simulated pilot/ })).toBeChecked();
  await expect(page.getByLabel('Pilot', { exact: true })).toContainText('6 participants');
  await page.getByRole('button', { name: 'Plan', exact: true }).click();
  const table = page.getByTestId('plan-table');
  await expect(table).toBeVisible({ timeout: 60_000 });
  // Every outcome the pilot measured is a row: the simulated participants' own ratings and the judge's scores.
  await expect(table.getByRole('rowheader', { name: 'Document quality (participant)', exact: true })).toBeVisible();
  await expect(table.getByRole('rowheader', { name: /demo-judge/ }).first()).toBeVisible();
  await expect(table).toContainText('3 / 3');
  await expect(page.getByTestId('power-curve')).toBeVisible();

  // 3. Launch, through the confirmation and its checklist (the arms are on the offline demo model).
  await tabs.getByRole('link', { name: 'Overview' }).click();
  await page.getByRole('button', { name: 'Launch study…' }).click();
  await page.getByRole('dialog', { name: 'Before you launch' }).getByRole('button', { name: 'Launch anyway' }).click();
  await expect(page.getByText('Running', { exact: true })).toBeVisible();

  // 4. Real participants take part; the pilot's simulated participants never count among them.
  for (const [i, person] of people.entries()) {
    const context = await browser.newContext();
    const participant = await context.newPage();
    const pid = `plan-${run}-${i}`;
    await participant.goto(`/s/${slug}?PROLIFIC_PID=${pid}&STUDY_ID=s1&SESSION_ID=${pid}-session`);
    await consentAndSetup(participant);
    await chatAndFinish(participant, person);
    await expect(participant.getByLabel('Completion code')).toHaveText('CODE-DONE');
    await context.close();
  }

  // 5. Judge the people's conversations with the same demo-judge.
  await tabs.getByRole('link', { name: 'Judging' }).click();
  await page.getByRole('button', { name: 'Judge 4 participants' }).click();
  const realRun = page.getByRole('article', { name: 'Judging run demo-judge@demo-v1' }).filter({ hasText: 'completed participants' });
  await expect(realRun.getByTestId('judge-run-counts')).toContainText('4 of 4 participants judged', { timeout: 120_000 });

  // 6. The calibration report: the judge beside the people, on the 4 real participants only.
  await tabs.getByRole('link', { name: 'Calibration' }).click();
  await expect(page.getByRole('heading', { name: 'Calibration', level: 1 })).toBeVisible();
  await expect(page.getByTestId('judged-count')).toHaveText('4 of 4 analysed participants judged by 1 judge.');
  const report = page.getByRole('article', { name: /^Judge demo-judge/ });
  const quality = report.getByRole('table', { name: /Judge: document quality .* vs Participant: document quality/ });
  const pooled = quality.getByRole('row', { name: /All arms \(pooled\)/ });
  await expect(pooled.getByRole('cell').first()).toHaveText('4');
  await expect(report.getByTestId('agreement-scatter').first().locator('.recharts-scatter-symbol')).toHaveCount(4);
  await expect(report.getByRole('table', { name: /Judge: interactivity vs Participant: overall interaction/ })).toBeVisible();
});
