/**
 * Template-mode arms end to end with the real `openai` SDK over HTTP to the fake server (which records every
 * request): a human-study chat (only the shown field streams to the participant, the hidden fields are stored,
 * unreadable JSON is resampled and then fails into "Try again") and a benchmark item (same arm definition;
 * the simulator holds the hidden goal, no arm request ever does; an unreadable reply fails the item with a reason).
 */
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closeDb, getDb, schema, type Database } from '../../db';
import { startFakeOpenAIServer, type FakeOpenAIServer, type RecordedRequest } from '../../scripts/fake-openai-server';
import { createCaller } from '../api/root';
import { createInnerContext } from '../api/trpc';
import { executeBenchmarkItem } from '../benchmarks/execute-item';
import { EXTRACTION_SYSTEM, INTERACTIVITY_SYSTEM, QUALITY_SYSTEM } from '../benchmarks/judge-prompts';
import type { RunConfigInput } from '../benchmarks/run-config';
import { builtinTaskIds, builtinTasks, ensureBuiltinTaskSet } from '../benchmarks/tasks/builtin';
import { followReply, waitForGeneration } from '../participants/generation-hub';
import { createTestConnection, createTestStudy, demoArm, testStudyConfig } from '../participants/testing/fixtures';
import type { ArmConfig } from '../studies/config';

const HIDDEN = 'HIDDEN-REASONING-must-never-reach-the-participant';
const TEMPLATE = 'You help with a {{document_type}} about "{{topic}}". Conversation so far:\n{{conversation}}\nReply with JSON: {"thought": "...", "response": "..."}';

let db: Database;
let fake: FakeOpenAIServer;
let connectionId: string;
/** Replies the fake gives to arm (template) requests, in order; afterwards a good one. */
let armReplies: string[] = [];

const task = builtinTasks().find((t) => t.key === 'blog-balcony-tomatoes')!;

function systemOf(req: RecordedRequest): string {
  const first = req.body?.messages?.[0];
  return first?.role === 'system' && typeof first.content === 'string' ? first.content : '';
}

const isArmRequest = (req: RecordedRequest) => String(req.body?.messages?.at(-1)?.content ?? '').includes('Reply with JSON: {"thought"');

function responder(req: RecordedRequest): string {
  const system = systemOf(req);
  const last = String(req.body?.messages?.at(-1)?.content ?? '');
  if (system.startsWith('You are playing a person')) {
    if (last.includes('Here is your post')) return '{"thought": "fine", "message": "Perfect, thanks! [[TERMINATE CHAT]]", "done": true}';
    return '{"thought": "start vague", "message": "hi, I want a blog post about my balcony tomatoes", "done": false}';
  }
  if (system === EXTRACTION_SYSTEM) return JSON.stringify({ thought: 'last draft', document: 'Here is your post about tomatoes.' });
  if (system === INTERACTIVITY_SYSTEM) return '{"thought": "ok", "interactivity": 0.5}';
  if (system === QUALITY_SYSTEM) return '{"thought": "ok", "score": 7}';
  if (isArmRequest(req)) {
    const next = armReplies.shift();
    if (next !== undefined) return next;
    return JSON.stringify({ thought: HIDDEN, response: 'Here is your post: "Tomatoes" \u2014 a balcony story.\nLine two.' });
  }
  return 'unexpected request';
}

beforeAll(async () => {
  db = await getDb();
  fake = await startFakeOpenAIServer({ responder, tokenDelayMs: 2 });
  connectionId = (await createTestConnection(db, fake.url)).id;
  await ensureBuiltinTaskSet(db);
});
afterAll(async () => {
  await fake.close();
  await closeDb();
});
beforeEach(() => {
  fake.reset();
  armReplies = [];
});

function templateArm(overrides: Partial<ArmConfig> = {}): ArmConfig {
  return demoArm('proactive', {
    connectionId,
    model: 'fake-template-model',
    systemPrompt: '',
    mode: 'template',
    template: { text: TEMPLATE, responseField: 'response', parseRetries: 1 },
    ...overrides,
  });
}

function session() {
  const jar = new Map<string, string>();
  return createCaller(createInnerContext({ db, actor: null, cookies: jar }));
}

async function chatWithTemplateArm() {
  const { slug } = await createTestStudy(db, { config: testStudyConfig({ arms: [templateArm()] }) });
  const caller = session();
  await caller.participant.enter({ slug, query: {} });
  await caller.participant.consent({ slug, accept: true, consentVersion: 'v1' });
  await caller.participant.finishInstructions({ slug });
  await caller.participant.submitSetup({ slug, topicId: 'travel', answers: { audience: 'SECRET-ANSWER friends', point: 'trains' } });
  return { slug, caller };
}

describe('template mode in a human-study chat', () => {
  it('streams and stores only the shown field; the hidden fields are stored for researchers only', async () => {
    const { slug, caller } = await chatWithTemplateArm();
    const sent = await caller.participant.sendMessage({ slug, clientMessageId: crypto.randomUUID(), content: 'Write about trains {{topic}}.' });
    let streamed = '';
    const seen: string[] = [];
    for await (const e of followReply(db, sent.assistantMessageId, null, undefined)) {
      seen.push(JSON.stringify(e));
      if (e.event.type === 'text') streamed = e.event.offset === 0 ? e.event.text : streamed + e.event.text;
    }
    const shown = 'Here is your post: "Tomatoes" \u2014 a balcony story.\nLine two.';
    expect(streamed).toBe(shown);
    expect(seen.join('\n')).not.toContain(HIDDEN);
    expect(seen.join('\n')).not.toContain('"thought"');

    const [row] = await db.select().from(schema.messages).where(eq(schema.messages.id, sent.assistantMessageId));
    expect(row).toMatchObject({ status: 'complete', content: shown });
    expect(row!.structuredOutput).toMatchObject({ responseField: 'response', fields: { thought: HIDDEN, response: shown }, samples: 1, rejected: [] });

    const state = await caller.participant.state({ slug });
    expect(state.chat?.messages.at(-1)?.content).toBe(shown);
    expect(JSON.stringify(state)).not.toContain(HIDDEN);

    // The request is the rendered template: type and chosen topic filled in, the participant's braces left literal.
    const request = fake.requests.find(isArmRequest)!;
    expect(request.body?.messages).toHaveLength(1);
    const content = String(request.body?.messages?.[0]?.content);
    expect(content).toMatch(/^You help with a (Blog post|Creative writing|Personal statement) about "A memorable trip"/);
    expect(content).toContain('**User**: Write about trains {{topic}}.');
    expect(content).not.toContain('SECRET-ANSWER');
  });

  it('resamples an unreadable reply, then fails visibly into "Try again"', async () => {
    const { slug, caller } = await chatWithTemplateArm();
    armReplies = ['I will not answer in JSON.', '{"thought": "x", "answer": "wrong field"}'];
    const sent = await caller.participant.sendMessage({ slug, clientMessageId: crypto.randomUUID(), content: 'Hello' });
    await waitForGeneration(sent.assistantMessageId);
    expect(fake.requests.filter(isArmRequest)).toHaveLength(2);
    const [failed] = await db.select().from(schema.messages).where(eq(schema.messages.id, sent.assistantMessageId));
    expect(failed).toMatchObject({ status: 'failed', structuredOutput: null });
    expect(failed!.error).toMatch(/no readable "response" field in 2 samples/);
    let state = await caller.participant.state({ slug });
    expect(state.chat?.messages.at(-1)?.status).toBe('failed');
    expect(JSON.stringify(state)).not.toContain('readable');

    // One bad sample, then a good one: the retry succeeds and records the rejected sample.
    armReplies = ['{"response": 42}'];
    await caller.participant.retryReply({ slug, messageId: sent.assistantMessageId });
    await waitForGeneration(sent.assistantMessageId);
    state = await caller.participant.state({ slug });
    expect(state.chat?.messages.at(-1)).toMatchObject({ status: 'complete', content: expect.stringContaining('Here is your post') });
    const [row] = await db.select().from(schema.messages).where(eq(schema.messages.id, sent.assistantMessageId));
    expect(row!.structuredOutput).toMatchObject({ samples: 2, rejected: [{ reason: 'not_text' }] });
  });
});

describe('template mode in a benchmark item', () => {
  async function runItem(arm: ArmConfig) {
    const [taskId] = await builtinTaskIds(db, [task.key]);
    const config: RunConfigInput = {
      arms: [arm],
      taskIds: [taskId!],
      simulator: { connectionId, model: 'sim-model', temperature: 1 },
      judge: { connectionId, model: 'judge-model' },
      maxTurns: 3,
      seed: 'tpl-seed',
    };
    const [run] = await db.insert(schema.benchmarkRuns).values({ name: 'tpl', config: config as Record<string, unknown>, status: 'running' }).returning();
    const [item] = await db.insert(schema.benchmarkItems).values({ runId: run!.id, taskId: taskId!, armKey: arm.key, replicate: 0 }).returning();
    return item!.id;
  }

  it('the simulator holds the goal (brief, details, target document); no arm request does', async () => {
    const itemId = await runItem(templateArm());
    const result = await executeBenchmarkItem(db, itemId);
    expect(result).toMatchObject({ status: 'completed', endReason: 'terminated' });

    const simulatorRequests = fake.requests.filter((r) => systemOf(r).startsWith('You are playing a person'));
    const armRequests = fake.requests.filter(isArmRequest);
    expect(simulatorRequests.length).toBeGreaterThan(0);
    expect(armRequests.length).toBeGreaterThan(0);
    const targetLine = task.targetDocument.split('\n').find((l) => l.trim().length > 40)!;
    for (const r of simulatorRequests) {
      expect(systemOf(r)).toContain(task.targetDocument.trim());
      expect(systemOf(r)).toContain(task.brief);
    }
    for (const r of armRequests) {
      const body = JSON.stringify(r.body);
      expect(body).not.toContain(JSON.stringify(targetLine).slice(1, -1));
      expect(body).not.toContain(JSON.stringify(task.brief).slice(1, -1));
    }

    const [item] = await db.select().from(schema.benchmarkItems).where(eq(schema.benchmarkItems.id, itemId));
    const msgs = await db
      .select()
      .from(schema.messages)
      .where(and(eq(schema.messages.conversationId, item!.conversationId!), eq(schema.messages.role, 'assistant')))
      .orderBy(asc(schema.messages.seq));
    expect(msgs[0]!.content).toMatch(/^Here is your post/);
    expect(msgs[0]!.structuredOutput).toMatchObject({ fields: { thought: HIDDEN } });
    const [conv] = await db.select().from(schema.conversations).where(eq(schema.conversations.id, item!.conversationId!));
    expect(conv!.assistantConfig).toMatchObject({ mode: 'template', responseField: 'response', parseRetries: 1 });
    // The conversation the simulator and the judges read has the shown text only.
    for (const r of fake.requests.filter((r) => !isArmRequest(r))) expect(JSON.stringify(r.body)).not.toContain(HIDDEN);
  });

  it('an arm reply that stays unreadable fails the item with the reason', async () => {
    armReplies = ['no json', 'still no json'];
    const itemId = await runItem(templateArm());
    await expect(executeBenchmarkItem(db, itemId)).rejects.toThrow(/Arm "proactive": The model's reply had no readable "response" field in 2 samples/);
    const [item] = await db.select().from(schema.benchmarkItems).where(eq(schema.benchmarkItems.id, itemId));
    expect(item!.error).toMatch(/no readable "response" field/);
    expect(item!.status).toBe('pending'); // retryable: the queue tries the item again, then fails it with this error
    expect(item!.failure).toMatchObject({ stage: 'assistant', reason: 'arm_unparseable' });
  });
});
