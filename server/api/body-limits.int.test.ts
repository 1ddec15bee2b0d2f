/**
 * Body caps of the real route handlers (app/api/trpc, app/api/auth), called with web Requests whose bodies
 * are generated lazily, so the test can tell how much of a huge body the server actually read.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { closeDb } from '../../db';
import { POST as trpcPost } from '../../app/api/trpc/[trpc]/route';
import { readBodyWithin, MIB } from '../http/body-limit';
import { TRPC_BODY_LIMITS, trpcBodyLimit } from './body-limits';

afterAll(closeDb);

const CHUNK = 64 * 1024;

/** A body of `total` bytes made on demand; `pulled()` says how many bytes the reader asked for. */
function lazyBody(total: number) {
  let produced = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (produced >= total) return controller.close();
      const size = Math.min(CHUNK, total - produced);
      produced += size;
      controller.enqueue(new Uint8Array(size).fill(0x20));
    },
  });
  return { stream, pulled: () => produced };
}

function post(url: string, body: ReadableStream<Uint8Array> | string, headers: Record<string, string> = {}) {
  return new Request(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers }, duplex: 'half' } as RequestInit);
}

const TOTAL = 250 * MIB;

describe('tRPC body caps', () => {
  it('refuses a declared 250 MB anonymous body with 413 without reading any of it', async () => {
    const body = lazyBody(TOTAL);
    const res = await trpcPost(post('http://127.0.0.1/api/trpc/participant.saveDraft', body.stream, { 'content-length': String(TOTAL) }));
    expect(res.status).toBe(413);
    expect(body.pulled()).toBeLessThanOrEqual(CHUNK);
    const json = (await res.json()) as { error: { json: { message: string; data: { code: string } } } };
    expect(json.error.json.data.code).toBe('PAYLOAD_TOO_LARGE');
    expect(json.error.json.message).toMatch(/too large/);
  });

  it('stops reading a 250 MB body sent without a length just past the cap', async () => {
    const body = lazyBody(TOTAL);
    const res = await trpcPost(post('http://127.0.0.1/api/trpc/participant.sendMessage', body.stream));
    expect(res.status).toBe(413);
    expect(body.pulled()).toBeLessThanOrEqual(TRPC_BODY_LIMITS.participant + 2 * CHUNK);
  });

  it('gives anonymous callers of staff procedures the small cap, even for the task import', async () => {
    const size = TRPC_BODY_LIMITS.anonymousStaff + 1;
    const body = lazyBody(TOTAL);
    const res = await trpcPost(post('http://127.0.0.1/api/trpc/benchmarks.importTaskSet', body.stream));
    expect(res.status).toBe(413);
    expect(body.pulled()).toBeLessThanOrEqual(size + 2 * CHUNK);
  });

  it('answers a batch with one error per call in tRPC shape', async () => {
    const res = await trpcPost(
      post('http://127.0.0.1/api/trpc/participant.heartbeat,participant.saveDraft?batch=1', lazyBody(TOTAL).stream, { 'content-length': String(TOTAL) }),
    );
    expect(res.status).toBe(413);
    expect(((await res.json()) as unknown[]).length).toBe(2);
  });

  it('passes bodies under the cap through to tRPC unchanged', async () => {
    const res = await trpcPost(post('http://127.0.0.1/api/trpc/participant.enter', JSON.stringify({ json: { slug: 'no-such-study-here' } })));
    expect(res.status).not.toBe(413);
    expect(res.status).toBeLessThan(500);
  });

  it('picks caps per procedure and caller', () => {
    expect(trpcBodyLimit(['participant.saveDraft'], false)).toBe(TRPC_BODY_LIMITS.participant);
    expect(trpcBodyLimit(['studies.saveDraft'], false)).toBe(TRPC_BODY_LIMITS.anonymousStaff);
    expect(trpcBodyLimit(['studies.saveDraft'], true)).toBe(TRPC_BODY_LIMITS.staff);
    expect(trpcBodyLimit(['benchmarks.importTaskSet'], true)).toBe(TRPC_BODY_LIMITS.taskImport);
    expect(trpcBodyLimit(['participant.state', 'benchmarks.importTaskSet'], false)).toBe(TRPC_BODY_LIMITS.participant);
  });
});

describe('readBodyWithin', () => {
  it('hands on a body under the cap byte for byte', async () => {
    const text = JSON.stringify({ hello: 'wörld'.repeat(1000) });
    const result = await readBodyWithin(post('http://127.0.0.1/x', text), 1 * MIB);
    expect(result.ok).toBe(true);
    if (result.ok) expect(await result.request.text()).toBe(text);
  });
});
