/** Studies whose arm points at an OpenAI-compatible endpoint (the local fake server), including a failure and a retry. */
import { expect, test } from '@playwright/test';
import { eq } from 'drizzle-orm';
import * as schema from '../db/schema';
import { createTestConnection, createTestStudy, demoArm, testStudyConfig } from '../server/participants/testing/fixtures';
import {
  assistantMessages,
  chatAndFinish,
  closeE2eDb,
  consentAndSetup,
  e2eDb,
  fakeLlmUrl,
  privateFakeLlm,
  rate,
  sendAndAwaitReply,
} from './participant-helpers';

test.afterAll(closeE2eDb);

test('an arm on the e2e server’s endpoint works end to end and stores what the endpoint reported', async ({ page }) => {
  const db = e2eDb();
  const connection = await createTestConnection(db, fakeLlmUrl);
  const { slug, studyId } = await createTestStudy(db, {
    config: testStudyConfig({ arms: [demoArm('collabllm', { connectionId: connection.id, model: 'endpoint-model' })] }),
  });
  await page.goto(`/s/${slug}?PROLIFIC_PID=endpoint-${Date.now()}`);
  await expect(page.getByText('Demo assistant (offline)')).toHaveCount(0);
  await consentAndSetup(page);
  await chatAndFinish(page);
  await expect(page.getByLabel('Completion code')).toHaveText('CODE-DONE');

  const [participant] = await db.select().from(schema.participants).where(eq(schema.participants.studyId, studyId));
  const [conversation] = await db.select().from(schema.conversations).where(eq(schema.conversations.participantId, participant!.id));
  const assistant = (await db.select().from(schema.messages).where(eq(schema.messages.conversationId, conversation!.id))).filter(
    (m) => m.role === 'assistant',
  );
  expect(assistant).toHaveLength(2);
  for (const m of assistant) {
    expect(m).toMatchObject({ status: 'complete', model: 'endpoint-model', isDemoModel: false });
    expect(m.content).toMatch(/^Fake reply to/);
    expect(m.completionTokens).toBeGreaterThan(0);
    expect(m.ttftMs).not.toBeNull();
  }
});

test('a failed reply shows a clear message and a retry button; nothing the participant wrote is lost', async ({ page }) => {
  const fake = await privateFakeLlm();
  try {
    const db = e2eDb();
    const connection = await createTestConnection(db, fake.url);
    const { slug } = await createTestStudy(db, {
      config: testStudyConfig({ arms: [demoArm('baseline', { connectionId: connection.id, model: 'flaky-model' })] }),
    });
    await page.goto(`/s/${slug}`);
    await consentAndSetup(page);

    // Terminal errors (400) are not retried by the LLM layer, so the participant sees the failure at once.
    fake.failNext(...Array.from({ length: 6 }, () => ({ kind: 'status' as const, status: 400, message: 'endpoint refused' })));
    const mine = page.getByRole('article', { name: 'You' });
    await page.getByLabel('Your message').fill('This message must survive a failure.');
    await page.getByRole('button', { name: 'Send' }).click();
    await expect(page.getByText('The assistant could not reply this time. Your message is saved.')).toBeVisible({ timeout: 20_000 });
    await expect(mine).toHaveText(/This message must survive a failure\./);
    await expect(page.getByText('endpoint refused')).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Send' })).toBeDisabled();

    await page.reload();
    await expect(mine).toHaveText(/This message must survive a failure\./);
    fake.reset();
    await page.getByRole('button', { name: 'Try again' }).click();
    await expect(assistantMessages(page).first()).toContainText('Fake reply to "This message must survive a failure."', { timeout: 20_000 });
    await expect(page.getByText('The assistant could not reply this time.')).toHaveCount(0);
    await sendAndAwaitReply(page, 'Now make it shorter.', 2);
    await rate(page, 6);
    await expect(page.getByRole('button', { name: 'Finish' })).toBeEnabled();
  } finally {
    await fake.close();
  }
});
