/** A study whose arm points at an OpenAI-compatible endpoint (the local fake server), including a failure and a retry. */
import { expect, test } from '@playwright/test';
import { eq } from 'drizzle-orm';
import * as schema from '../db/schema';
import { createTestConnection, createTestStudy, demoArm, testStudyConfig } from '../server/participants/testing/fixtures';
import {
  answerSurvey,
  assistantMessages,
  closeE2eDb,
  consentAndSetup,
  e2eDb,
  fakeLlmControl,
  fakeLlmUrl,
  rate,
  sendAndAwaitReply,
} from './participant-helpers';

test.afterAll(closeE2eDb);

test('an endpoint arm works end to end; a failed reply offers a retry and loses nothing', async ({ page }) => {
  const db = e2eDb();
  const connection = await createTestConnection(db, fakeLlmUrl);
  const { slug, studyId } = await createTestStudy(db, {
    config: testStudyConfig({ arms: [demoArm('collabllm', { connectionId: connection.id, model: 'endpoint-model' })] }),
  });
  await page.goto(`/s/${slug}?PROLIFIC_PID=endpoint-${Date.now()}`);
  await expect(page.getByText('Demo assistant (offline)')).toHaveCount(0);
  await consentAndSetup(page);

  // Terminal errors (400) are not retried by the LLM layer, so the participant sees the failure at once.
  await fakeLlmControl('fail-next', Array.from({ length: 6 }, () => ({ kind: 'status', status: 400, message: 'endpoint refused' })));
  await page.getByLabel('Your message').fill('This message must survive a failure.');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByText('The assistant could not reply this time. Your message is saved.')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText('This message must survive a failure.')).toBeVisible();
  await expect(page.getByLabel('Your message')).toHaveAttribute('placeholder', /Try again/);
  await fakeLlmControl('reset');
  await page.getByRole('button', { name: 'Try again' }).click();
  await expect(assistantMessages(page).first()).toContainText('Fake reply to "This message must survive a failure."', { timeout: 20_000 });
  await page.reload();
  await expect(page.getByText('This message must survive a failure.')).toBeVisible();

  await sendAndAwaitReply(page, 'Now make it shorter.', 2);
  await rate(page, 6);
  await page.getByRole('button', { name: 'Finish' }).click();
  await answerSurvey(page, { passChecks: true });
  await expect(page.getByLabel('Completion code')).toHaveText('CODE-DONE');

  const [participant] = await db.select().from(schema.participants).where(eq(schema.participants.studyId, studyId));
  const [conversation] = await db.select().from(schema.conversations).where(eq(schema.conversations.participantId, participant!.id));
  const replies = await db.select().from(schema.messages).where(eq(schema.messages.conversationId, conversation!.id));
  const assistant = replies.filter((m) => m.role === 'assistant');
  expect(assistant).toHaveLength(2);
  for (const m of assistant) expect(m).toMatchObject({ status: 'complete', model: 'endpoint-model', isDemoModel: false });
  expect(assistant.every((m) => (m.completionTokens ?? 0) > 0 && m.ttftMs !== null)).toBe(true);
});
