import { and, asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOpenAIServer, type FakeOpenAIServer, type RecordedRequest } from '../../scripts/fake-openai-server';
import { closeDb, getDb, type Database } from '../../db';
import { benchmarkItems, benchmarkRuns, benchmarkScores, benchmarkUsage, conversations, llmConnections, messages } from '../../db/schema';
import { encryptSecret } from '../lib/secret';
import { DEMO_JUDGE_LABEL } from './demo';
import { executeBenchmarkItem, isCancellation, isTerminalError } from './execute-item';
import { EXTRACTION_SYSTEM, INTERACTIVITY_SYSTEM, QUALITY_SYSTEM } from './judge-prompts';
import { exportRunJsonl, rescoreRun, runResults } from './results';
import type { RunConfigInput } from './run-config';
import { builtinTasks, builtinTaskIds, ensureBuiltinTaskSet } from './tasks/builtin';
import { runUsageTotals } from './usage';

const API_KEY = 'sk-fake-benchcore-key';
const task = builtinTasks().find((t) => t.key === 'blog-balcony-tomatoes')!;
const draft = `Here is a draft:\n\n${task.targetDocument}\n\nWould you like any changes?`;

let simulatorMode: 'normal' | 'role-flip-first' | 'endless-goodbye' | 'never-done' = 'normal';
let roleFlipsServed = 0;
let judgeMode: 'normal' | 'garbled-extraction' | 'garbled-interactivity' = 'normal';

/** Plays the simulated user, the three judges and the assistant, by looking at what the request asks. */
function responder(req: RecordedRequest): string {
  const msgs = req.body?.messages ?? [];
  const system = typeof msgs[0]?.content === 'string' && msgs[0].role === 'system' ? msgs[0].content : '';
  const last = String(msgs[msgs.length - 1]?.content ?? '');
  if (system.startsWith('You are playing a person')) {
    if (simulatorMode === 'role-flip-first' && roleFlipsServed === 0) {
      roleFlipsServed++;
      return '{"thought": "oops", "message": "Assistant: Sure! I\'d be happy to help you write that."}';
    }
    const assistantTurns = (last.match(/\*\*Assistant\*\*:/g) ?? []).length;
    if (simulatorMode === 'endless-goodbye' && last.includes('Here is a draft'))
      return JSON.stringify({ message: assistantTurns % 2 ? 'Thanks so much!' : 'Great, bye!', done: false });
    if (simulatorMode === 'never-done') return JSON.stringify({ message: `Another small change, number ${assistantTurns}.`, done: false });
    if (last.includes('Here is a draft')) return '```json\n{"thought": "done", "message": "Lovely, thanks! [[TERMINATE CHAT]]", "done": true}\n```';
    if (assistantTurns === 0) return '{"thought": "start vague", "message": "hi, I want a blog post about my balcony tomatoes", "done": false}';
    return `{'thought': 'answer', 'message': 'It faces south-west and I grow Sungold in fabric pots. Turn ${assistantTurns}.', 'done': false} trailing words`;
  }
  if (system === EXTRACTION_SYSTEM && judgeMode === 'garbled-extraction') return 'I cannot find a document.';
  if (system === INTERACTIVITY_SYSTEM && judgeMode === 'garbled-interactivity') return 'Quite interactive, I would say.';
  if (system === EXTRACTION_SYSTEM) return JSON.stringify({ thought: 'the last draft', document: task.targetDocument });
  if (system === INTERACTIVITY_SYSTEM) return '{"thought": "asked one good question", "interactivity": 0.5}';
  if (system === QUALITY_SYSTEM) return 'Rating: {"thought": "covers the brief", "score": 8}';
  // The assistant arm: one question, then the draft.
  const userTurns = msgs.filter((m) => m.role === 'user').length;
  return userTurns < 2 ? 'Which way does your balcony face, and what variety do you grow?' : draft;
}

let fake: FakeOpenAIServer;
let db: Database;
let connectionId: string;
let badConnectionId: string;
let taskIds: string[];

beforeAll(async () => {
  fake = await startFakeOpenAIServer({ apiKey: API_KEY, responder });
  db = await getDb();
  await ensureBuiltinTaskSet(db);
  taskIds = await builtinTaskIds(db, [task.key]);
  const suffix = `${Date.now()}-${Math.random()}`;
  const [good] = await db
    .insert(llmConnections)
    .values({ name: `fake-${suffix}`, baseUrl: fake.url, apiKeyEncrypted: encryptSecret(API_KEY), defaultModel: 'fake-model' })
    .returning();
  const [bad] = await db
    .insert(llmConnections)
    .values({ name: `fake-bad-${suffix}`, baseUrl: fake.url, apiKeyEncrypted: encryptSecret('sk-wrong-key-000'), defaultModel: 'fake-model' })
    .returning();
  connectionId = good!.id;
  badConnectionId = bad!.id;
});

afterAll(async () => {
  await fake?.close();
  await closeDb();
});

beforeEach(() => {
  simulatorMode = 'normal';
  judgeMode = 'normal';
  roleFlipsServed = 0;
  fake.reset();
});

function liveConfig(overrides: Partial<RunConfigInput> = {}): RunConfigInput {
  return {
    arms: [
      { key: 'proactive', label: 'Proactive', connectionId, model: 'arm-model', systemPrompt: 'Ask before you write.' },
      { key: 'broken', label: 'Broken', connectionId: badConnectionId, model: 'arm-model', systemPrompt: '' },
    ],
    taskIds,
    simulator: { connectionId, model: 'sim-model', temperature: 1 },
    judge: { connectionId, model: 'judge-model' },
    maxTurns: 6,
    seed: 'test-seed',
    pricing: { assistant: { input: 1, output: 2 }, simulator: { input: 1, output: 1 }, judge: { input: 1, output: 1 } },
    ...overrides,
  };
}

async function createItem(config: RunConfigInput, armKey: string): Promise<{ runId: string; itemId: string }> {
  const [run] = await db.insert(benchmarkRuns).values({ name: `run-${Date.now()}`, config: config as Record<string, unknown>, status: 'running' }).returning();
  const [item] = await db.insert(benchmarkItems).values({ runId: run!.id, taskId: taskIds[0]!, armKey, replicate: 0 }).returning();
  return { runId: run!.id, itemId: item!.id };
}

async function conversationsOf(itemId: string) {
  return db.select().from(conversations).where(sql`${conversations.metadata}->>'itemId' = ${itemId}`);
}

describe('executeBenchmarkItem against the fake OpenAI server', () => {
  it('runs the conversation, stores it with provenance, scores it and adds usage to the run', async () => {
    const { runId, itemId } = await createItem(liveConfig(), 'proactive');
    const result = await executeBenchmarkItem(db, itemId);
    expect(result).toMatchObject({ status: 'completed', endReason: 'terminated', turns: 3 });

    const [item] = await db.select().from(benchmarkItems).where(eq(benchmarkItems.id, itemId));
    expect(item).toMatchObject({ status: 'completed', attempts: 1, finalDocument: task.targetDocument, error: null });
    const [conv] = await db.select().from(conversations).where(eq(conversations.id, item!.conversationId!));
    expect(conv?.kind).toBe('simulation');
    expect(conv?.armKey).toBe('proactive');
    expect(conv?.assistantConfig).toMatchObject({ connectionId, model: 'arm-model', isDemo: false });
    expect(JSON.stringify(conv?.assistantConfig)).not.toContain(API_KEY);
    expect(conv?.metadata).toMatchObject({
      runId,
      itemId,
      demo: false,
      endReason: 'terminated',
      simulator: { kind: 'llm', promptVersion: 'sim-v2', model: 'sim-model', seed: `test-seed:${taskIds[0]}:0`, isDemo: false },
      judge: { label: `judge-model@judge-v1#${connectionId}`, isDemo: false },
    });
    expect((conv?.metadata.simulator as { persona: Record<string, string> }).persona.tone).toEqual(expect.any(String));

    const msgs = await db.select().from(messages).where(eq(messages.conversationId, conv!.id)).orderBy(asc(messages.seq));
    expect(msgs.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'user']);
    expect(msgs[0]?.content).toBe('hi, I want a blog post about my balcony tomatoes');
    expect(msgs[4]?.content).toBe('Lovely, thanks!');
    expect(msgs.every((m) => (m.promptTokens ?? 0) > 0 && (m.completionTokens ?? 0) > 0)).toBe(true);
    expect(msgs[1]?.model).toBe('arm-model');

    // The assistant saw its system prompt and never the brief.
    const armRequests = fake.requests.filter((r) => r.body?.model === 'arm-model');
    expect(armRequests).toHaveLength(2);
    expect(armRequests[0]?.body?.messages?.[0]).toEqual({ role: 'system', content: 'Ask before you write.' });
    expect(JSON.stringify(armRequests.map((r) => r.body))).not.toContain('Sungold cherry variety');
    // Judges run at temperature 0 with the rubric in the system role.
    const judgeRequests = fake.requests.filter((r) => r.body?.model === 'judge-model');
    expect(judgeRequests).toHaveLength(3);
    expect(judgeRequests.every((r) => r.body?.temperature === 0 && r.body?.messages?.[0]?.role === 'system')).toBe(true);
    // Every call carries the seed of its role in this conversation, recorded with the conversation.
    const simRequests = fake.requests.filter((r) => r.body?.model === 'sim-model');
    const seedsOf = (rs: RecordedRequest[]) => [...new Set(rs.map((r) => r.body?.seed))];
    const seeds = { simulator: seedsOf(simRequests), assistant: seedsOf(armRequests), judge: seedsOf(judgeRequests) };
    for (const list of Object.values(seeds)) {
      expect(list).toHaveLength(1);
      expect(Number.isInteger(list[0]) && (list[0] as number) >= 0 && (list[0] as number) < 2 ** 31).toBe(true);
    }
    expect(new Set(Object.values(seeds).map((l) => l[0])).size).toBe(3);
    expect(conv?.assistantConfig).toMatchObject({ seed: seeds.assistant[0] });
    expect(conv?.metadata).toMatchObject({ simulator: { requestSeed: seeds.simulator[0] }, judge: { seed: seeds.judge[0] } });

    const scores = await db.select().from(benchmarkScores).where(eq(benchmarkScores.itemId, itemId));
    const byMetric = Object.fromEntries(scores.map((s) => [s.metric, s]));
    expect(new Set(scores.map((s) => s.judge))).toEqual(new Set([`judge-model@judge-v1#${connectionId}`]));
    expect(byMetric.interactivity?.value).toBe(0.5);
    expect(byMetric.interactivity?.rationale).toBe('asked one good question');
    expect(byMetric.quality?.value).toBe(8);
    expect(byMetric.bleu_word?.value).toBeCloseTo(1, 10);
    expect(byMetric.bleu_char?.value).toBeCloseTo(1, 10);
    expect(byMetric.turns?.value).toBe(3);
    expect(byMetric.clarifying_questions?.value).toBeGreaterThanOrEqual(1);
    expect(byMetric.tokens_read?.value).toBeGreaterThan(300);
    expect(byMetric.tokens_typed?.value).toBeGreaterThan(10);

    const run = (await runUsageTotals(db, [runId])).get(runId)!;
    const stored = msgs.reduce((n, m) => n + (m.promptTokens ?? 0), 0);
    expect(run.promptTokens).toBeGreaterThan(stored); // plus the judges' tokens
    expect(run.completionTokens).toBeGreaterThan(0);
    expect(run.estimatedCostUsd).toBeGreaterThan(0);
    // One ledger row for the one attempt, tied to its item.
    expect(await db.select().from(benchmarkUsage).where(eq(benchmarkUsage.runId, runId))).toMatchObject([{ itemId }]);
  });

  it('is idempotent: a second execution is skipped and leaves one conversation and one score set', async () => {
    const { runId, itemId } = await createItem(liveConfig(), 'proactive');
    await executeBenchmarkItem(db, itemId);
    const before = (await runUsageTotals(db, [runId])).get(runId)!;
    const requests = fake.requests.length;
    expect(await executeBenchmarkItem(db, itemId)).toMatchObject({ status: 'skipped' });
    expect(fake.requests.length).toBe(requests);
    expect(await conversationsOf(itemId)).toHaveLength(1);
    const scores = await db.select().from(benchmarkScores).where(eq(benchmarkScores.itemId, itemId));
    expect(scores).toHaveLength(new Set(scores.map((s) => s.metric)).size);
    const after = (await runUsageTotals(db, [runId])).get(runId)!;
    expect(after.promptTokens).toBe(before.promptTokens);
  });

  it('reruns an interrupted attempt from scratch, deleting its partial conversation', async () => {
    const { itemId } = await createItem(liveConfig(), 'proactive');
    const [partial] = await db.insert(conversations).values({ kind: 'simulation', armKey: 'proactive', metadata: { itemId } }).returning();
    await db.insert(messages).values({ conversationId: partial!.id, seq: 1, role: 'user', content: 'half a conversation' });
    await db.update(benchmarkItems).set({ status: 'running', attempts: 1, conversationId: partial!.id }).where(eq(benchmarkItems.id, itemId));
    await db.insert(benchmarkScores).values({ itemId, judge: 'stale', metric: 'quality', value: 1 });

    expect(await executeBenchmarkItem(db, itemId)).toMatchObject({ status: 'completed' });
    expect(await db.select().from(conversations).where(eq(conversations.id, partial!.id))).toHaveLength(0);
    expect(await conversationsOf(itemId)).toHaveLength(1);
    const [item] = await db.select().from(benchmarkItems).where(eq(benchmarkItems.id, itemId));
    expect(item?.attempts).toBe(2);
    const judges = await db.selectDistinct({ judge: benchmarkScores.judge }).from(benchmarkScores).where(eq(benchmarkScores.itemId, itemId));
    expect(judges).toEqual([{ judge: `judge-model@judge-v1#${connectionId}` }]);
  });

  it('redraws a simulator reply that flips roles', async () => {
    simulatorMode = 'role-flip-first';
    const { itemId } = await createItem(liveConfig(), 'proactive');
    await executeBenchmarkItem(db, itemId);
    const [conv] = await conversationsOf(itemId);
    const msgs = await db.select().from(messages).where(eq(messages.conversationId, conv!.id)).orderBy(asc(messages.seq));
    expect(msgs[0]?.content).toBe('hi, I want a blog post about my balcony tomatoes');
    expect(msgs[0]?.attempts).toBe(2);
    expect(conv?.metadata.simulatorRejections).toEqual({ role_flip: 1 });
    const retry = fake.requests.filter((r) => r.body?.model === 'sim-model')[1];
    expect(String(retry?.body?.messages?.[1]?.content)).toContain('You are the USER');
  });

  it('ends a chat whose simulated user keeps saying goodbye', async () => {
    simulatorMode = 'endless-goodbye';
    const { itemId } = await createItem(liveConfig(), 'proactive');
    expect(await executeBenchmarkItem(db, itemId)).toMatchObject({ status: 'completed', endReason: 'endless_goodbye', turns: 4 });
  });

  it('stops at the turn limit', async () => {
    simulatorMode = 'never-done';
    const { itemId } = await createItem(liveConfig({ maxTurns: 3 }), 'proactive');
    expect(await executeBenchmarkItem(db, itemId)).toMatchObject({ status: 'completed', endReason: 'max_turns', turns: 3 });
    const [conv] = await conversationsOf(itemId);
    const msgs = await db.select().from(messages).where(eq(messages.conversationId, conv!.id));
    expect(msgs.filter((m) => m.role === 'assistant')).toHaveLength(3);
  });

  it('fails the item at once on a terminal error (rejected key)', async () => {
    const { itemId } = await createItem(liveConfig(), 'broken');
    const err = await executeBenchmarkItem(db, itemId).catch((e: unknown) => e);
    expect(isTerminalError(err)).toBe(true);
    const [item] = await db.select().from(benchmarkItems).where(eq(benchmarkItems.id, itemId));
    expect(item?.status).toBe('failed');
    expect(item?.error).not.toContain('sk-wrong-key-000');
    expect(item?.failure).toMatchObject({ stage: 'assistant' });
    expect(item?.failure?.reason).toMatch(/^model_/);
  });

  it('records a judge whose scores cannot be parsed as the failure, by judge, for the accounting', async () => {
    judgeMode = 'garbled-interactivity';
    const { itemId } = await createItem(liveConfig(), 'proactive');
    const err = await executeBenchmarkItem(db, itemId).catch((e: unknown) => e);
    expect(isTerminalError(err)).toBe(false);
    const [item] = await db.select().from(benchmarkItems).where(eq(benchmarkItems.id, itemId));
    expect(item).toMatchObject({ status: 'pending', failure: { stage: 'judge', reason: 'judge_unparseable', judge: expect.stringContaining('judge-model') } });
    // A new attempt clears it.
    judgeMode = 'normal';
    expect(await executeBenchmarkItem(db, itemId)).toMatchObject({ status: 'completed' });
    const [after] = await db.select().from(benchmarkItems).where(eq(benchmarkItems.id, itemId));
    expect(after?.failure).toBeNull();
  });

  it('flags a final document the judge could not extract (the item still completes)', async () => {
    judgeMode = 'garbled-extraction';
    const { itemId } = await createItem(liveConfig(), 'proactive');
    expect(await executeBenchmarkItem(db, itemId)).toMatchObject({ status: 'completed' });
    const [words] = await db.select().from(benchmarkScores).where(and(eq(benchmarkScores.itemId, itemId), eq(benchmarkScores.metric, 'document_words')));
    expect(words?.details).toMatchObject({ fallback: true });
  });

  it('leaves the item for a retry on a retryable error', async () => {
    const { itemId } = await createItem(liveConfig(), 'proactive');
    fake.failNext(...Array.from({ length: 4 }, () => ({ kind: 'status' as const, status: 503 })));
    const err = await executeBenchmarkItem(db, itemId).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(isTerminalError(err)).toBe(false);
    const [item] = await db.select().from(benchmarkItems).where(eq(benchmarkItems.id, itemId));
    expect(item?.status).toBe('pending');
    expect(await executeBenchmarkItem(db, itemId)).toMatchObject({ status: 'completed' });
    expect(await conversationsOf(itemId)).toHaveLength(1);
  });

  it('treats cancellation as neither success nor terminal failure', async () => {
    const { itemId } = await createItem(liveConfig(), 'proactive');
    const controller = new AbortController();
    controller.abort();
    const err = await executeBenchmarkItem(db, itemId, { signal: controller.signal }).catch((e: unknown) => e);
    expect(isCancellation(err)).toBe(true);
    expect(isTerminalError(err)).toBe(false);
    const [item] = await db.select().from(benchmarkItems).where(eq(benchmarkItems.id, itemId));
    expect(item).toMatchObject({ status: 'pending', error: 'Cancelled before it finished.' });
  });

  it('skips items of a cancelled run', async () => {
    const { runId, itemId } = await createItem(liveConfig(), 'proactive');
    await db.update(benchmarkRuns).set({ status: 'cancelled' }).where(eq(benchmarkRuns.id, runId));
    expect(await executeBenchmarkItem(db, itemId)).toMatchObject({ status: 'skipped' });
    expect(fake.requests).toHaveLength(0);
  });

  it('re-scores stored conversations with another judge, and exports them', async () => {
    const config = liveConfig({
      arms: [
        { key: 'proactive', label: 'Proactive', connectionId, model: 'arm-model', systemPrompt: 'Ask before you write.' },
        { key: 'plain', label: 'Plain', connectionId, model: 'arm-model', systemPrompt: '' },
      ],
    });
    const { runId, itemId } = await createItem(config, 'proactive');
    const [second] = await db.insert(benchmarkItems).values({ runId, taskId: taskIds[0]!, armKey: 'plain', replicate: 0 }).returning();
    await executeBenchmarkItem(db, itemId);
    await executeBenchmarkItem(db, second!.id);
    const armRequests = fake.requests.filter((r) => r.body?.model === 'arm-model').length;

    const rescored = await rescoreRun(db, runId, { connectionId, model: 'judge-two' });
    expect(rescored).toEqual({ judge: `judge-two@judge-v1#${connectionId}`, rescored: 2, unscorable: 0 });
    expect(fake.requests.filter((r) => r.body?.model === 'arm-model').length).toBe(armRequests);
    const demo = await rescoreRun(db, runId, { connectionId: null, model: 'ignored' });
    expect(demo.judge).toBe(DEMO_JUDGE_LABEL);

    const results = await runResults(db, runId);
    expect(results.judge).toBe(`judge-model@judge-v1#${connectionId}`);
    expect(results.judges).toEqual([DEMO_JUDGE_LABEL, `judge-model@judge-v1#${connectionId}`, `judge-two@judge-v1#${connectionId}`].sort());
    expect(results.items).toEqual({ total: 2, completed: 2, failed: 0, pending: 0 });
    expect(results.arms.map((a) => a.metrics.quality?.mean)).toEqual([8, 8]);
    expect(results.perTask).toHaveLength(1);

    const lines: string[] = [];
    for await (const line of exportRunJsonl(db, runId)) lines.push(line);
    expect(lines).toHaveLength(3);
    const header = JSON.parse(lines[0]!);
    expect(header).toMatchObject({ type: 'run', id: runId });
    const row = JSON.parse(lines[1]!);
    expect(row.type).toBe('item');
    expect(row.conversation.messages.length).toBeGreaterThan(2);
    expect(Object.keys(row.scores).sort()).toEqual(results.judges);
    expect(lines.join('\n')).not.toContain(API_KEY);

    // A judge whose output cannot be parsed leaves a marker per conversation instead of stopping the re-score;
    // a later successful re-score with the same judge removes it.
    judgeMode = 'garbled-interactivity';
    expect(await rescoreRun(db, runId, { connectionId, model: 'judge-three' })).toMatchObject({ rescored: 0, unscorable: 2 });
    const markers = () =>
      db.select().from(benchmarkScores).where(and(eq(benchmarkScores.judge, `judge-three@judge-v1#${connectionId}`), eq(benchmarkScores.metric, 'judge_unparseable')));
    expect(await markers()).toHaveLength(2);
    judgeMode = 'normal';
    expect(await rescoreRun(db, runId, { connectionId, model: 'judge-three' })).toMatchObject({ rescored: 2, unscorable: 0 });
    expect(await markers()).toHaveLength(0);
  });
});

describe('offline demo mode', () => {
  it('runs an item with demo arms, the scripted simulator and the demo-judge without any request', async () => {
    const config: RunConfigInput = {
      arms: [
        { key: 'baseline', label: 'Base', connectionId: null, model: 'baseline', systemPrompt: '' },
        { key: 'collabllm', label: 'CollabLLM', connectionId: null, model: 'collabllm', systemPrompt: '' },
      ],
      taskIds,
      simulator: { connectionId: null },
      judge: { connectionId: null },
      maxTurns: 8,
    };
    const { runId, itemId } = await createItem(config, 'collabllm');
    const result = await executeBenchmarkItem(db, itemId);
    expect(result.status).toBe('completed');
    expect(fake.requests).toHaveLength(0);
    const [conv] = await conversationsOf(itemId);
    expect(conv?.metadata).toMatchObject({ demo: true, simulator: { kind: 'scripted', isDemo: true }, judge: { label: DEMO_JUDGE_LABEL, isDemo: true } });
    const msgs = await db.select().from(messages).where(eq(messages.conversationId, conv!.id));
    expect(msgs.filter((m) => m.role === 'assistant').every((m) => m.isDemoModel)).toBe(true);
    const scores = await db.select().from(benchmarkScores).where(and(eq(benchmarkScores.itemId, itemId), eq(benchmarkScores.judge, DEMO_JUDGE_LABEL)));
    expect(scores.map((s) => s.metric).sort()).toEqual(
      ['bleu_char', 'bleu_word', 'clarifying_questions', 'document_words', 'interactivity', 'quality', 'tokens_read', 'tokens_typed', 'turns'],
    );
    const [run] = await db.select().from(benchmarkRuns).where(eq(benchmarkRuns.id, runId));
    expect(run?.status).toBe('running');
  });
});
