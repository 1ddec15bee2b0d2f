/**
 * Bad input never becomes a server error: every public tRPC procedure, over the real HTTP handler (the same
 * fetchRequestHandler and context as app/api/trpc), gets each awkward string in each of its string fields and
 * record keys, and every call also once with a cookie holding a broken percent-escape. No answer may be a 5xx or
 * carry a stack trace. Pages are covered by e2e/bad-input.spec.ts.
 */
import crypto from 'node:crypto';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { closeDb, getDb, schema, type Database } from '../../db';
import { appRouter } from './root';
import { createTRPCContext } from './trpc';
import { procedurePaths } from './testing/role-matrix';
import { createTestStudy } from '../participants/testing/fixtures';
import { participantCookieName } from '../participants/identity';
import { waitForGeneration } from '../participants/generation-hub';

/** Strings that have broken Postgres, JSON, cookies or URL parsing somewhere. */
const BAD_STRINGS = [
  'a\u0000b',
  '\u0000',
  '\uD800',
  'x\uDC00y',
  '\uDBFF\uDBFF',
  '%E0%A4%A',
  '%',
  "'; DROP TABLE participants; --",
  '../../etc/passwd',
  '\u202Eevil',
  '😀\uFE0F',
  '',
];
const BROKEN_COOKIE = 'cs_p_x=%E0%A4%A; next-auth.session-token=%E0%A4%A; __Secure-next-auth.session-token=%';

type Input = Record<string, unknown>;
interface ProcedureCase {
  kind: 'query' | 'mutation' | 'subscription';
  input: (ctx: { slug: string; assistantMessageId: string }) => Input | undefined;
}

/** One valid input per public procedure; the fuzz varies one string (or record key) at a time. */
const CASES: Record<string, ProcedureCase> = {
  'health.ping': { kind: 'query', input: () => undefined },
  'participant.enter': {
    kind: 'mutation',
    input: ({ slug }) => ({
      slug,
      query: { PROLIFIC_PID: 'fuzz-pid', STUDY_ID: 's', SESSION_ID: 'x', workerId: 'w', assignmentId: 'a', turkSubmitTo: 'https://www.mturk.com', other: 'o' },
    }),
  },
  'participant.state': { kind: 'query', input: ({ slug }) => ({ slug }) },
  'participant.consent': { kind: 'mutation', input: ({ slug }) => ({ slug, accept: true, consentVersion: 'v1' }) },
  'participant.finishInstructions': { kind: 'mutation', input: ({ slug }) => ({ slug }) },
  'participant.submitSetup': {
    kind: 'mutation',
    input: ({ slug }) => ({ slug, topicId: 'travel', answers: { audience: 'friends', point: 'trains' } }),
  },
  'participant.sendMessage': {
    kind: 'mutation',
    input: ({ slug }) => ({ slug, clientMessageId: crypto.randomUUID(), content: 'hello there' }),
  },
  'participant.retryReply': { kind: 'mutation', input: ({ slug, assistantMessageId }) => ({ slug, messageId: assistantMessageId }) },
  'participant.reply': {
    kind: 'subscription',
    input: ({ slug, assistantMessageId }) => ({ slug, messageId: assistantMessageId, lastEventId: '0:0' }),
  },
  'participant.rate': { kind: 'mutation', input: ({ slug }) => ({ slug, afterTurn: 2, value: 5 }) },
  'participant.saveDraft': {
    kind: 'mutation',
    input: ({ slug, assistantMessageId }) => ({ slug, content: 'my draft', source: 'use_message', sourceMessageId: assistantMessageId }),
  },
  'participant.finishChat': { kind: 'mutation', input: ({ slug }) => ({ slug }) },
  'participant.submitSurvey': {
    kind: 'mutation',
    input: ({ slug }) => ({
      slug,
      documentQuality: 5,
      overallInteraction: 5,
      strengths: 'it was quick and helpful',
      weaknesses: 'sometimes it was too long',
      blindingGuess: 'Not sure',
      attentionAnswers: { check_a: 'Purple', check_b: 'Strongly disagree' },
    }),
  },
  'participant.heartbeat': {
    kind: 'mutation',
    input: ({ slug }) => ({ slug, focused: true, idle: false, intervalMs: 1000, waitingForModel: false }),
  },
};

/** Copies of `input` with one string value or one record key replaced by `bad`. */
function variants(input: unknown, bad: string): unknown[] {
  if (typeof input === 'string') return [bad];
  if (!input || typeof input !== 'object' || Array.isArray(input)) return [];
  const out: unknown[] = [];
  const record = input as Record<string, unknown>;
  for (const [key, value] of Object.entries(record)) {
    for (const v of variants(value, bad)) out.push({ ...record, [key]: v });
  }
  // Keys of free-form records (query, answers) come from the browser too.
  if (Object.values(record).every((v) => typeof v === 'string') && Object.keys(record).length) out.push({ ...record, [bad]: 'value' });
  return out;
}

let db: Database;
beforeAll(async () => {
  db = await getDb();
});
afterAll(async () => {
  await closeDb();
});

async function handle(req: Request): Promise<Response> {
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req,
    router: appRouter,
    createContext: ({ resHeaders }) => createTRPCContext({ req, resHeaders }),
  });
}

/** Calls one procedure over HTTP; returns the status and (up to 64 KB of) the body. */
async function call(path: string, kind: ProcedureCase['kind'], input: unknown, cookie: string): Promise<{ status: number; body: string; setCookie: string[] }> {
  const headers: Record<string, string> = { cookie, 'content-type': 'application/json' };
  const payload = JSON.stringify({ json: input ?? null });
  const url = `http://localhost/api/trpc/${path}`;
  const res =
    kind === 'mutation'
      ? await handle(new Request(url, { method: 'POST', headers, body: payload }))
      : await handle(new Request(`${url}?input=${encodeURIComponent(payload)}`, { headers }));
  let body = '';
  if (res.body) {
    // A subscription streams until the reply ends; its first events say whether it failed.
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    const until = Date.now() + (kind === 'subscription' ? 2000 : 60_000);
    while (body.length < 65_536 && Date.now() < until) {
      const next = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), Math.max(1, until - Date.now())))]);
      if (!next || next.done) break;
      body += decoder.decode(next.value, { stream: true });
    }
    await reader.cancel().catch(() => {});
  }
  return { status: res.status, body, setCookie: res.headers.getSetCookie() };
}

const STACK_TRACE = /\n\s+at\s|node_modules|\.tsx?:\d+:\d+|INTERNAL_SERVER_ERROR/;

describe('bad input to the public procedures', () => {
  it('the table covers every public procedure', () => {
    const publicPaths = procedurePaths(appRouter).filter((p) => p.startsWith('participant.') || p.startsWith('health.'));
    expect(Object.keys(CASES).sort()).toEqual(publicPaths);
  });

  it('answers every awkward string and a broken cookie with a 2xx or a clear 4xx, never a 5xx or a stack', async () => {
    const { slug, studyId } = await createTestStudy(db);
    // A participant in the chat with one reply, so the fuzz reaches the code behind every check.
    const entered = await call('participant.enter', 'mutation', { slug, query: { PROLIFIC_PID: `fuzz-${crypto.randomUUID()}`, SESSION_ID: 's' } }, '');
    expect(entered.status).toBe(200);
    const cookieName = participantCookieName(studyId);
    const own = entered.setCookie.map((c) => c.split(';')[0]!).find((c) => c.startsWith(`${cookieName}=`))!;
    expect(own).toBeTruthy();
    for (const [path, input] of [
      ['participant.consent', { slug, accept: true, consentVersion: 'v1' }],
      ['participant.finishInstructions', { slug }],
      ['participant.submitSetup', { slug, topicId: 'travel', answers: { audience: 'friends', point: 'trains' } }],
    ] as const)
      expect((await call(path, 'mutation', input, own)).status).toBe(200);
    const sent = await call('participant.sendMessage', 'mutation', { slug, clientMessageId: crypto.randomUUID(), content: 'first' }, own);
    expect(sent.status).toBe(200);
    const assistantMessageId = (JSON.parse(sent.body) as { result: { data: { json: { assistantMessageId: string } } } }).result.data.json
      .assistantMessageId;
    await waitForGeneration(assistantMessageId);

    const failures: string[] = [];
    let calls = 0;
    const check = (label: string, res: { status: number; body: string }) => {
      calls += 1;
      if (res.status >= 500 || STACK_TRACE.test(res.body)) failures.push(`${label} → ${res.status} ${res.body.slice(0, 300)}`);
    };
    for (const [path, spec] of Object.entries(CASES)) {
      const valid = spec.input({ slug, assistantMessageId });
      check(`${path} with a broken cookie`, await call(path, spec.kind, valid, BROKEN_COOKIE));
      check(`${path} with a broken cookie next to the real one`, await call(path, spec.kind, valid, `${BROKEN_COOKIE}; ${own}`));
      for (const bad of BAD_STRINGS) {
        for (const variant of variants(valid, bad)) {
          check(`${path} ${JSON.stringify(variant)}`, await call(path, spec.kind, variant, own));
        }
      }
      // Also the wrong shapes entirely.
      for (const wrong of [null, 'text', 42, [], { slug: 7 }]) check(`${path} ${JSON.stringify(wrong)}`, await call(path, spec.kind, wrong, own));
    }
    expect(failures).toEqual([]);
    expect(calls).toBeGreaterThan(300);

    // Whatever was stored holds no NUL or lone surrogate (it would have failed the insert or the jsonb cast).
    const rows = await db.select().from(schema.participants).where(eq(schema.participants.studyId, studyId));
    for (const row of rows) expect(JSON.stringify(row.externalParams)).not.toMatch(/\\u0000|\\ud[89a-f]/i);

    // Let replies started by the fuzz finish before the database closes.
    const generating = await db
      .select({ id: schema.messages.id })
      .from(schema.messages)
      .innerJoin(schema.conversations, eq(schema.conversations.id, schema.messages.conversationId))
      .innerJoin(schema.participants, eq(schema.participants.id, schema.conversations.participantId))
      .where(and(eq(schema.participants.studyId, studyId), eq(schema.messages.status, 'generating')));
    await Promise.all(generating.map((m) => waitForGeneration(m.id)));
  }, 300_000);
});
