/**
 * Blinding on the wire: during a whole session, nothing the browser receives (HTML, JSON, headers,
 * SSE events) names an arm, a model, a system prompt or a connection.
 */
import { expect, test, type Page } from '@playwright/test';
import { eq } from 'drizzle-orm';
import * as schema from '../db/schema';
import { createTestConnection, createTestStudy, demoArm, testStudyConfig } from '../server/participants/testing/fixtures';
import { startFakeOpenAIServer } from '../scripts/fake-openai-server';
import { chatAndFinish, closeE2eDb, consentAndSetup, e2eDb, privateFakeLlm } from './participant-helpers';

test.afterAll(closeE2eDb);

/** Records every response body and header the page receives; SSE bodies are captured whole through a route. */
function recordWire(page: Page) {
  const captured: { url: string; text: string }[] = [];
  const pending: Promise<void>[] = [];
  page.on('response', (response) => {
    const url = response.url();
    if (url.includes('/api/trpc/participant.reply')) return; // captured by the route below
    pending.push(
      (async () => {
        const headers = JSON.stringify(await response.allHeaders());
        const body = await response.text().catch(() => '');
        captured.push({ url, text: `${headers}\n${body}` });
      })(),
    );
  });
  void page.route('**/api/trpc/participant.reply**', async (route) => {
    const response = await route.fetch();
    const body = await response.text();
    captured.push({ url: route.request().url(), text: `${JSON.stringify(response.headers())}\n${body}` });
    await route.fulfill({ response, body });
  });
  return {
    async all() {
      await Promise.all(pending);
      // A reply stream is captured when its body ends, which can be after the page moved on: wait for one.
      await expect
        .poll(() => captured.some((c) => c.url.includes('participant.reply') && c.text.includes('"type":"end"')), { timeout: 60_000 })
        .toBe(true);
      return captured;
    },
  };
}

function expectClean(captured: { url: string; text: string }[], forbidden: string[]) {
  expect(captured.length).toBeGreaterThan(10);
  expect(captured.some((c) => c.url.includes('participant.reply') && c.text.includes('"type":"end"'))).toBe(true);
  for (const { url, text } of captured) {
    for (const secret of forbidden) {
      expect(text.includes(secret), `${secret} leaked in ${url}`).toBe(false);
    }
  }
}

test('an endpoint study: no arm key, model, prompt or connection reaches the browser', async ({ page }) => {
  const fake = await privateFakeLlm({ tokenDelayMs: 40 });
  const db = e2eDb();
  const connection = await createTestConnection(db, fake.url, 'okapi-connection-name');
  const arms = [
    demoArm('collabllm', { key: 'zebraarm', label: 'Quokka arm label', connectionId: connection.id, model: 'okapi-model-x', systemPrompt: 'NARWHAL prompt: never reveal me.' }),
    demoArm('baseline', { key: 'yakarm', label: 'Ibex arm label', connectionId: connection.id, model: 'tapir-model-y', systemPrompt: 'PANGOLIN prompt: secret too.' }),
  ];
  const { slug, studyId } = await createTestStudy(db, { config: testStudyConfig({ arms }) });
  const wire = recordWire(page);
  await page.goto(`/s/${slug}?PROLIFIC_PID=blind-${Date.now()}`);
  await consentAndSetup(page);
  await chatAndFinish(page);
  await expect(page.getByLabel('Completion code')).toHaveText('CODE-DONE');

  const [participant] = await db.select().from(schema.participants).where(eq(schema.participants.studyId, studyId));
  expect(['zebraarm', 'yakarm']).toContain(participant!.armKey);
  expectClean(await wire.all(), [
    'zebraarm',
    'yakarm',
    'Quokka',
    'Ibex',
    'okapi',
    'tapir',
    'NARWHAL',
    'PANGOLIN',
    connection.id,
    `127.0.0.1:${fake.port}`,
    studyId,
    'assignmentSeed',
    'correctOption',
  ]);
  await fake.close();
});

test('a demo-model study: the demo label shows, but no arm or model name does', async ({ page }) => {
  const db = e2eDb();
  const arms = [demoArm('collabllm', { key: 'hiddenarmone', label: 'Hidden label one' }), demoArm('proactive', { key: 'hiddenarmtwo', label: 'Hidden label two' })];
  const { slug } = await createTestStudy(db, { config: testStudyConfig({ arms }) });
  const wire = recordWire(page);
  await page.goto(`/s/${slug}`);
  await expect(page.getByText('Demo assistant (offline)')).toBeVisible();
  await consentAndSetup(page);
  await chatAndFinish(page);
  await expect(page.getByLabel('Completion code')).toHaveText('CODE-DONE');
  expectClean(await wire.all(), ['hiddenarmone', 'hiddenarmtwo', 'Hidden label', 'demo-collabllm', 'demo-proactive', 'SECRET-PROMPT']);
});

test('a template-mode arm: only the shown field reaches the browser, never the hidden fields or the template', async ({ page }) => {
  // Every reply is a JSON object with hidden fields around the shown one, streamed word by word.
  const fake = await startFakeOpenAIServer({
    host: '127.0.0.1',
    tokenDelayMs: 10,
    responder: (req) => {
      const turn = (req.body?.messages ?? []).length;
      return JSON.stringify({
        current_problem: 'WOMBAT hidden problem statement',
        thought: 'MANATEE hidden reasoning, never for participants',
        response: `Here is a short draft about night trains, version ${turn}. Shall I change the tone?`,
      });
    },
  });
  const db = e2eDb();
  const connection = await createTestConnection(db, fake.url, 'lemur-connection-name');
  const arms = [
    demoArm('proactive', {
      key: 'templatearm',
      label: 'Gecko template arm',
      connectionId: connection.id,
      model: 'heron-model-z',
      systemPrompt: '',
      mode: 'template',
      template: { text: 'PELICAN template. Chat:\n{{conversation}}\nReply as JSON.', responseField: 'response', parseRetries: 1 },
    }),
  ];
  const { slug } = await createTestStudy(db, { config: testStudyConfig({ arms }) });
  const wire = recordWire(page);
  await page.goto(`/s/${slug}?PROLIFIC_PID=tpl-${Date.now()}`);
  await consentAndSetup(page);
  await chatAndFinish(page);
  await expect(page.getByLabel('Completion code')).toHaveText('CODE-DONE');
  const captured = await wire.all();
  // The shown field did arrive (so the check below is about a working chat, not an empty one).
  expect(captured.some((c) => c.text.includes('night trains, version'))).toBe(true);
  expectClean(captured, ['WOMBAT', 'MANATEE', 'current_problem', 'PELICAN', 'templatearm', 'Gecko', 'heron', 'lemur', connection.id]);
  await fake.close();
});
