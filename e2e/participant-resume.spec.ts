/** Coming back: reload in the middle of a reply, the same Prolific id on another device, MTurk previews, closed studies. */
import { expect, test } from '@playwright/test';
import { eq } from 'drizzle-orm';
import * as schema from '../db/schema';
import { createTestConnection, createTestStudy, demoArm, testStudyConfig } from '../server/participants/testing/fixtures';
import { assistantMessages, closeE2eDb, consentAndSetup, e2eDb, privateFakeLlm } from './participant-helpers';
import { signInAsAdmin } from './support/auth';

test.afterAll(closeE2eDb);

test('a reload in the middle of a reply shows it continuing and then complete', async ({ page }) => {
  const fake = await privateFakeLlm({ tokenDelayMs: 25 });
  const db = e2eDb();
  const connection = await createTestConnection(db, fake.url);
  const { slug } = await createTestStudy(db, {
    config: testStudyConfig({ arms: [demoArm('collabllm', { connectionId: connection.id, model: 'resume-model' })] }),
  });
  const longReply = Array.from({ length: 150 }, (_, i) => `w${i}`).join(' ');
  await page.goto(`/s/${slug}`);
  await consentAndSetup(page);
  fake.queueReplies(longReply);
  await page.getByLabel('Your message').fill('Please write a long first draft.');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(assistantMessages(page).first()).toContainText('w10');
  await expect(assistantMessages(page).first()).not.toContainText('w149');

  await page.reload();
  await expect(page.getByText('Please write a long first draft.')).toBeVisible();
  await expect(assistantMessages(page).first()).toContainText('w3');
  await expect(assistantMessages(page).first().getByRole('button', { name: 'Use this in my document' })).toBeVisible({ timeout: 20_000 });
  await expect(assistantMessages(page).first()).toContainText(longReply);
  await fake.close();
});

test('a returning Prolific id gets the same session, also from a second browser', async ({ page, browser }) => {
  const db = e2eDb();
  const { slug, studyId } = await createTestStudy(db);
  const url = `/s/${slug}?PROLIFIC_PID=returning-${Date.now()}&STUDY_ID=s&SESSION_ID=x`;
  await page.goto(url);
  await page.getByRole('button', { name: 'I agree to take part' }).click();
  await expect(page.getByRole('heading', { name: 'Instructions' })).toBeVisible();

  await page.reload();
  await expect(page.getByRole('heading', { name: 'Instructions' })).toBeVisible();

  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await otherPage.goto(url);
  await expect(otherPage.getByRole('heading', { name: 'Instructions' })).toBeVisible();
  await other.close();

  const rows = await db.select().from(schema.participants).where(eq(schema.participants.studyId, studyId));
  expect(rows).toHaveLength(1);
  expect(await db.select().from(schema.assignments).where(eq(schema.assignments.studyId, studyId))).toHaveLength(1);
});

test('an MTurk preview shows the task but nobody can type', async ({ page }) => {
  const db = e2eDb();
  const { slug, studyId } = await createTestStudy(db);
  await page.goto(`/s/${slug}?assignmentId=ASSIGNMENT_ID_NOT_AVAILABLE&hitId=H1&turkSubmitTo=https%3A%2F%2Fworkersandbox.mturk.com`);
  await expect(page.getByText('This is a preview. Accept the HIT on MTurk to start the task.')).toBeVisible();
  await expect(page.getByText('Write a short document together with the assistant.')).toBeVisible();
  await expect(page.getByLabel('Your message')).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Start' })).toBeDisabled();
  expect(await db.select().from(schema.participants).where(eq(schema.participants.studyId, studyId))).toHaveLength(0);
});

test('studies that are not running say so clearly', async ({ page }) => {
  const db = e2eDb();
  for (const [status, text] of [
    ['paused', 'This study is paused at the moment.'],
    ['closed', 'This study has closed'],
    ['draft', 'This study has not started yet.'],
  ] as const) {
    const { slug } = await createTestStudy(db, { status });
    await page.goto(`/s/${slug}`);
    await expect(page.getByRole('status')).toContainText(text);
    await expect(page.getByRole('button', { name: 'I agree to take part' })).toHaveCount(0);
  }
  await page.goto('/s/no-such-study');
  await expect(page.getByRole('heading', { name: 'Study not found' })).toBeVisible();
});

test('a researcher preview works on a draft study, is labelled, and never enters the assignment sequence', async ({ page }) => {
  const db = e2eDb();
  const { slug, studyId } = await createTestStudy(db, { status: 'draft' });
  await page.goto(`/s/${slug}?preview=1`);
  await expect(page.getByRole('status')).toContainText('Previews are only for signed-in researchers');

  await signInAsAdmin(page);
  await page.goto(`/s/${slug}?preview=1`);
  await expect(page.getByText('Researcher preview: this session is not counted.')).toBeVisible();
  await page.getByRole('button', { name: 'I agree to take part' }).click();
  await expect(page.getByRole('heading', { name: 'Instructions' })).toBeVisible();
  const [participant] = await db.select().from(schema.participants).where(eq(schema.participants.studyId, studyId));
  expect(participant).toMatchObject({ isPreview: true, source: 'preview' });
  const assignments = await db.select().from(schema.assignments).where(eq(schema.assignments.studyId, studyId));
  expect(assignments.map((a) => a.sequence)).toEqual([0]);
});
