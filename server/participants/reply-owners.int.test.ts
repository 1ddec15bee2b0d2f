/**
 * Several web processes on one Postgres: replies are interrupted only when their own process stopped
 * (heartbeat), a process stopping interrupts only its own, and a follower in another process gets the text
 * through LISTEN/NOTIFY while it is generated. "Other processes" are rows in `web_processes` and a second
 * LISTEN client; the whole thing with real `next start` processes is e2e/multi-process.spec.ts.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { closeDb, getDb, getDbHandle, schema, type Database } from '../../db';
import { createCaller } from '../api/root';
import { createInnerContext } from '../api/trpc';
import { createTestConnection, createTestStudy, demoArm, testStudyConfig } from './testing/fixtures';
import { participantCookieName, verifyParticipantCookie } from './identity';
import { setPartialWriteIntervalForTests, waitForGeneration } from './generation-hub';
import { webProcessId } from './owner-id';
import { followRemoteReply, type RelayEvent } from './reply-relay';
import { startReplyOwnership, stopReplyOwnership, sweepOrphanedReplies } from './reply-owners';

let db: Database;

/** An OpenAI-compatible endpoint that streams "Hello " at once and the rest only when the test opens the gate. */
async function gatedModel() {
  let open!: () => void;
  let gate = new Promise<void>((resolve) => (open = resolve));
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
        res.write(`data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 0, model: 'gated', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`);
      chunk({ role: 'assistant', content: 'Hello ' });
      void gate.then(() => {
        chunk({ content: 'from the other process.' });
        chunk({}, 'stop');
        res.end('data: [DONE]\n\n');
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    open: () => open(),
    reset: () => (gate = new Promise<void>((resolve) => (open = resolve))),
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

let model: Awaited<ReturnType<typeof gatedModel>>;

beforeAll(async () => {
  db = await getDb();
  model = await gatedModel();
  await startReplyOwnership(await getDbHandle());
});
afterAll(async () => {
  model.open();
  await stopReplyOwnership();
  setPartialWriteIntervalForTests(500);
  await model.close();
  await closeDb();
});

async function participantInChat() {
  const connection = await createTestConnection(db, model.url);
  const { slug, studyId } = await createTestStudy(db, {
    config: testStudyConfig({ arms: [demoArm('baseline', { connectionId: connection.id, model: 'gated' })] }),
  });
  const jar = new Map<string, string>();
  const caller = createCaller(createInnerContext({ db, actor: null, cookies: jar }));
  await caller.participant.enter({ slug, query: {} });
  await caller.participant.consent({ slug, accept: true, consentVersion: 'v1' });
  await caller.participant.finishInstructions({ slug });
  await caller.participant.submitSetup({ slug, topicId: 'travel', answers: { audience: 'friends', point: 'trains are great' } });
  const participantId = verifyParticipantCookie(studyId, jar.get(participantCookieName(studyId)))!;
  const [conversation] = await db.select().from(schema.conversations).where(eq(schema.conversations.participantId, participantId));
  return { caller, slug, conversationId: conversation!.id };
}

const messageRow = async (id: string) => (await db.select().from(schema.messages).where(eq(schema.messages.id, id)))[0]!;

describe('reply ownership across web processes', () => {
  it('the sweep interrupts replies of processes that stopped beating, never those of live siblings', async () => {
    const { conversationId } = await participantInChat();
    const [sibling, dead] = [crypto.randomUUID(), crypto.randomUUID()];
    await db.insert(schema.webProcesses).values([
      { id: sibling, hostname: 'web-2', pid: 2 },
      { id: dead, hostname: 'web-3', pid: 3, heartbeatAt: sql`now() - interval '1 minute'` },
    ]);
    const insertReply = async (seq: number, owner: string | null) =>
      (
        await db
          .insert(schema.messages)
          .values({ conversationId, seq, role: 'assistant', content: 'Half', status: 'generating', ownerProcessId: owner })
          .returning()
      )[0]!.id;
    const siblings = await insertReply(1, sibling);
    const deads = await insertReply(2, dead);
    const unowned = await insertReply(3, null);
    const [simulation] = await db.insert(schema.conversations).values({ kind: 'simulation' }).returning();
    const [simulated] = await db
      .insert(schema.messages)
      .values({ conversationId: simulation!.id, seq: 1, role: 'assistant', content: '', status: 'generating', ownerProcessId: dead })
      .returning();

    const swept = await sweepOrphanedReplies(db);
    expect(swept).toEqual(expect.arrayContaining([deads, unowned]));
    expect(swept).not.toContain(siblings);
    expect((await messageRow(siblings)).status).toBe('generating');
    expect((await messageRow(deads)).status).toBe('interrupted');
    expect((await messageRow(unowned)).status).toBe('interrupted');
    expect((await messageRow(simulated!.id)).status).toBe('generating');
  });

  it('streams a reply to a follower in another process through NOTIFY, and a stopping process interrupts only its own replies', async () => {
    // With partial writes off, the row holds no text until the end: text before that came through the relay.
    setPartialWriteIntervalForTests(60 * 60_000);
    model.reset();
    const { caller, slug } = await participantInChat();
    const sent = await caller.participant.sendMessage({ slug, clientMessageId: crypto.randomUUID(), content: 'Hi!' });
    expect((await messageRow(sent.assistantMessageId)).ownerProcessId).toBe(webProcessId());

    const abort = new AbortController();
    const events: RelayEvent[] = [];
    const follower = followRemoteReply(db, sent.assistantMessageId, { epoch: 0, offset: 0 }, abort.signal);
    const first = await follower.next();
    events.push(first.value as RelayEvent);
    expect(first.value).toMatchObject({ event: { type: 'text', text: 'Hello ', offset: 0 } });
    expect(await messageRow(sent.assistantMessageId)).toMatchObject({ status: 'generating', content: '' });

    model.open();
    for await (const event of follower) events.push(event);
    const row = await messageRow(sent.assistantMessageId);
    expect(row).toMatchObject({ status: 'complete', content: 'Hello from the other process.' });
    expect(events.at(-1)).toEqual({ id: 'end', event: { type: 'end', status: 'complete', text: row.content } });
    expect(events.flatMap((e) => (e.event.type === 'text' ? [e.event.text] : [])).join('')).toBe(row.content);

    // Stopping: this process's own generating reply is interrupted (followers told), a sibling's is not touched.
    model.reset();
    const second = await participantInChat();
    const own = await second.caller.participant.sendMessage({ slug: second.slug, clientMessageId: crypto.randomUUID(), content: 'Hello?' });
    const sibling = crypto.randomUUID();
    await db.insert(schema.webProcesses).values({ id: sibling, hostname: 'web-2', pid: 2 });
    const [elsewhere] = await db.insert(schema.conversations).values({ kind: 'participant' }).returning();
    const [siblingReply] = await db
      .insert(schema.messages)
      .values({ conversationId: elsewhere!.id, seq: 1, role: 'assistant', content: 'theirs', status: 'generating', ownerProcessId: sibling })
      .returning();
    const ownFollower = followRemoteReply(db, own.assistantMessageId, { epoch: 0, offset: 0 }, undefined);
    expect((await ownFollower.next()).value).toMatchObject({ event: { type: 'text', text: 'Hello ' } });
    await stopReplyOwnership();
    const seen: RelayEvent[] = [];
    for await (const event of ownFollower) seen.push(event);
    expect(seen.at(-1)?.event).toEqual({ type: 'end', status: 'interrupted', text: 'Hello ' });
    expect(await messageRow(own.assistantMessageId)).toMatchObject({ status: 'interrupted', content: 'Hello ' });
    expect((await messageRow(siblingReply!.id)).status).toBe('generating');
    await waitForGeneration(own.assistantMessageId);
    expect((await messageRow(own.assistantMessageId)).status).toBe('interrupted');
    model.open();
  });
});
