/** A participant completes the whole study in each arm of the demo study, with the platform hand-offs. */
import { expect, test } from '@playwright/test';
import { eq } from 'drizzle-orm';
import * as schema from '../db/schema';
import { createTestStudy } from '../server/participants/testing/fixtures';
import { demoStudyConfig } from '../server/studies/demo-study';
import { chatAndFinish, closeE2eDb, consentAndSetup, e2eDb } from './participant-helpers';

test.afterAll(closeE2eDb);

// The demo study's own configuration (8 turns, a rating every 3, its attention checks), one study per arm so
// each arm is exercised for sure.
for (const armKey of ['baseline', 'proactive', 'collabllm'] as const) {
  test(`a Prolific participant completes the demo study in the ${armKey} arm and is sent back with the code`, async ({ page }) => {
    test.setTimeout(180_000);
    const db = e2eDb();
    const demo = demoStudyConfig();
    const arm = demo.arms.find((a) => a.key === armKey)!;
    const { slug, studyId } = await createTestStudy(db, { config: { ...demo, arms: [arm] } });
    let prolificHit: string | null = null;
    await page.route('https://app.prolific.com/**', async (route) => {
      prolificHit = route.request().url();
      await route.fulfill({ status: 200, contentType: 'text/html', body: '<h1>Prolific</h1>' });
    });
    const pid = `pid-${armKey}-${Date.now()}`;
    await page.goto(`/s/${slug}?PROLIFIC_PID=${pid}&STUDY_ID=study-1&SESSION_ID=session-1`);
    // Every arm here runs on the offline demo model, so the label shows (without saying which arm).
    await expect(page.getByText('Demo assistant (offline)')).toBeVisible();
    await consentAndSetup(page);
    await chatAndFinish(page, { turns: demo.minTurns, ratingInterval: demo.ratingInterval });

    const code = demo.completionCodes.completed;
    await expect(page.getByRole('heading', { name: 'Thank you! You have completed the study.' })).toBeVisible();
    await expect(page.getByLabel('Completion code')).toHaveText(code);
    await expect(page.getByRole('link', { name: 'Return to Prolific' })).toHaveAttribute('href', `https://app.prolific.com/submissions/complete?cc=${code}`);
    await page.waitForURL('https://app.prolific.com/**', { timeout: 15_000 });
    expect(prolificHit).toBe(`https://app.prolific.com/submissions/complete?cc=${code}`);

    const [participant] = await db.select().from(schema.participants).where(eq(schema.participants.studyId, studyId));
    expect(participant).toMatchObject({ armKey, externalId: pid, outcome: 'completed', stage: 'done', completionCode: code });
    expect(participant!.externalParams).toEqual({ PROLIFIC_PID: pid, STUDY_ID: 'study-1', SESSION_ID: 'session-1' });
    const [survey] = await db.select().from(schema.surveyResponses).where(eq(schema.surveyResponses.participantId, participant!.id));
    expect(survey).toMatchObject({ documentQuality: 8, overallInteraction: 9, finalDocument: 'Night trains: my own final version of the post.' });
    const ratings = await db.select().from(schema.ratings).where(eq(schema.ratings.participantId, participant!.id));
    expect(ratings.map((r) => r.afterTurn).sort((a, b) => a - b)).toEqual([3, 6]);
    const heartbeats = await db.select().from(schema.heartbeats).where(eq(schema.heartbeats.participantId, participant!.id));
    expect(heartbeats.length).toBeGreaterThan(0);
    const visits = await db.select().from(schema.stageVisits).where(eq(schema.stageVisits.participantId, participant!.id));
    expect(new Set(visits.map((v) => v.stage))).toEqual(new Set(['consent', 'instructions', 'setup', 'chat', 'survey', 'done']));
  });
}

test('the seeded demo study at /s/demo opens with its consent form and the demo label', async ({ page }) => {
  await page.goto('/s/demo');
  await expect(page.getByRole('heading', { name: 'Consent' })).toBeVisible();
  await expect(page.getByText('This is a research study about how people write documents')).toBeVisible();
  await expect(page.getByText('Demo assistant (offline)')).toBeVisible();
});

test('an MTurk worker who fails both attention checks gets the failed-checks code and submits the HIT', async ({ page }) => {
  const db = e2eDb();
  const { slug, studyId } = await createTestStudy(db);
  let submitted: string | null = null;
  await page.route('https://workersandbox.mturk.com/**', async (route) => {
    submitted = `${route.request().method()} ${route.request().url()} ${route.request().postData() ?? ''}`;
    await route.fulfill({ status: 200, contentType: 'text/html', body: '<h1>MTurk</h1>' });
  });
  await page.goto(`/s/${slug}?workerId=W-${Date.now()}&assignmentId=ASSIGN-1&hitId=HIT-1&turkSubmitTo=${encodeURIComponent('https://workersandbox.mturk.com')}`);
  await consentAndSetup(page);
  await chatAndFinish(page, { passChecks: false });
  await expect(page.getByLabel('Completion code')).toHaveText('CODE-CHECKS');
  await page.getByRole('button', { name: 'Submit the HIT on MTurk' }).click();
  await expect.poll(() => submitted).toContain('POST https://workersandbox.mturk.com/mturk/externalSubmit');
  expect(submitted).toContain('assignmentId=ASSIGN-1');
  const [participant] = await db.select().from(schema.participants).where(eq(schema.participants.studyId, studyId));
  expect(participant).toMatchObject({ source: 'mturk', outcome: 'failed_checks', excluded: true, attentionFailures: 2 });
});

test('declining consent ends with the no-consent code', async ({ page }) => {
  const { slug } = await createTestStudy(e2eDb());
  await page.goto(`/s/${slug}`);
  await page.getByRole('button', { name: 'I do not agree' }).click();
  // Asked once more: going back keeps the consent form, confirming ends the study.
  const confirm = page.getByRole('alertdialog', { name: 'Do you want to end the study here?' });
  await confirm.getByRole('button', { name: 'Go back to the consent form' }).click();
  await expect(page.getByRole('button', { name: 'I agree to take part' })).toBeVisible();
  await page.getByRole('button', { name: 'I do not agree' }).click();
  await confirm.getByRole('button', { name: 'Yes, I do not agree' }).click();
  await expect(page.getByRole('heading', { name: 'You chose not to take part.' })).toBeVisible();
  await expect(page.getByLabel('Completion code')).toHaveText('CODE-NOCONSENT');
});
