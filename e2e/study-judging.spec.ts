/**
 * Judging the human study end to end: two participants complete a study on the offline demo model through the
 * real participant flow; a researcher starts a judging run with the offline demo-judge on the study's Judging
 * tab, watches it finish, and finds the judge's scores beside the participant's own ratings in the transcript.
 */
import { expect, test } from '@playwright/test';
import { eq } from 'drizzle-orm';
import * as schema from '../db/schema';
import { createTestStudy } from '../server/participants/testing/fixtures';
import { hashPassword } from '../server/users/passwords';
import { chatAndFinish, closeE2eDb, consentAndSetup, e2eDb } from './participant-helpers';
import { signIn } from './support/auth';

test.afterAll(closeE2eDb);

test('a researcher judges completed participants with the demo-judge and sees the scores in the transcript viewer', async ({ browser, page }) => {
  test.setTimeout(240_000);
  const db = e2eDb();
  const run = Date.now();
  const { studyId, slug } = await createTestStudy(db);

  for (const pid of [`judged-a-${run}`, `judged-b-${run}`]) {
    const context = await browser.newContext();
    const participant = await context.newPage();
    await participant.goto(`/s/${slug}?PROLIFIC_PID=${pid}&STUDY_ID=s1&SESSION_ID=${pid}-session`);
    await consentAndSetup(participant);
    await chatAndFinish(participant);
    await expect(participant.getByLabel('Completion code')).toHaveText('CODE-DONE');
    await context.close();
  }

  const researcher = { email: `judging-${run}@e2e.test`, password: 'judging-password-1' };
  await db.insert(schema.users).values({ email: researcher.email, role: 'researcher', passwordHash: await hashPassword(researcher.password) });
  await signIn(page, researcher.email, researcher.password);
  await page.goto(`/studies/${studyId}`);
  await page.getByRole('navigation', { name: 'Study sections' }).getByRole('link', { name: 'Judging' }).click();
  await expect(page.getByRole('heading', { name: 'Judging', level: 1 })).toBeVisible();
  await expect(page.getByText('No judging runs yet.')).toBeVisible();

  // The offline demo-judge is the default judge endpoint.
  await expect(page.getByLabel('Judge endpoint')).toHaveValue('');
  await page.getByRole('button', { name: 'Judge 2 participants' }).click();
  const card = page.getByRole('article', { name: 'Judging run demo-judge@demo-v1' });
  await expect(card.getByText('completed', { exact: true })).toBeVisible({ timeout: 120_000 });
  await expect(card.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
  await expect(card.getByTestId('judge-run-counts')).toContainText('2 of 2 participants judged');
  await expect(card.getByText('$0 (offline)')).toBeVisible();

  // Into one participant's transcript through the Transcripts tab.
  await page.getByRole('navigation', { name: 'Study sections' }).getByRole('link', { name: 'Transcripts' }).click();
  await page.getByRole('link', { name: `judged-a-${run}` }).click();
  const section = page.getByRole('region', { name: 'Judges and the participant' });
  await expect(section).toBeVisible();
  const own = section.getByRole('table', { name: "Participant's own ratings" });
  // The participant answered 8 (document) and 9 (interaction) in the survey and 7 in the chat.
  await expect(own.getByRole('row').nth(1)).toHaveText(/Survey and chat\s*8\s*9\s*7/);
  const scores = section.getByRole('table', { name: 'Judge scores' });
  const row = scores.getByRole('row', { name: /demo-judge@demo-v1/ });
  await expect(row).toBeVisible();
  await expect(row).toContainText('document pane');
  // The judged document is the participant's pane: "Night trains: my own final version of the post." (9 words), 2 turns.
  const cells = row.getByRole('cell');
  await expect(cells.nth(4)).toHaveText('9');
  await expect(cells.nth(5)).toHaveText('2');

  const [participant] = await db.select({ id: schema.participants.id }).from(schema.participants).where(eq(schema.participants.externalId, `judged-a-${run}`));
  await expect(page).toHaveURL(new RegExp(`/studies/${studyId}/transcripts/${participant!.id}$`));
});
