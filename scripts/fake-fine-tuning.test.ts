/** The fake's fine-tuning endpoints as another process (a Playwright spec) drives them: over HTTP, with control routes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAIServer, type FakeOpenAIServer } from './fake-openai-server';

let fake: FakeOpenAIServer;
let root: string;
beforeAll(async () => {
  fake = await startFakeOpenAIServer({ apiKey: 'sk-fake-ft' });
  root = fake.url.replace(/\/v1$/, '');
});
afterAll(() => fake.close());

const auth = { authorization: 'Bearer sk-fake-ft' };
const post = (path: string, body: unknown, headers: Record<string, string> = auth) =>
  fetch(`${root}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

async function upload(content: string) {
  const form = new FormData();
  form.set('purpose', 'fine-tune');
  form.set('file', new File([content], 'train.jsonl'));
  return fetch(`${fake.url}/files`, { method: 'POST', headers: auth, body: form });
}

describe('fake fine-tuning endpoints', () => {
  it('uploads, creates, advances one step per retrieve to the scripted failure, and lists events newest first', async () => {
    expect((await post('/__fake/fine-tuning/script', { outcome: 'fail', runningSteps: 1, error: { code: 'bad', message: 'scripted' } }, {})).status).toBe(200);
    expect((await upload('not json\n')).status).toBe(400);
    const file = (await (await upload('{"messages":[]}\n')).json()) as { id: string };
    const created = (await (await post('/v1/fine_tuning/jobs', { model: 'fake-model', training_file: file.id, method: { type: 'dpo', dpo: { hyperparameters: { beta: 0.1 } } } })).json()) as { id: string; status: string };
    expect(created.status).toBe('validating_files');
    const seen: string[] = [];
    for (let i = 0; i < 5; i++) {
      const job = (await (await fetch(`${fake.url}/fine_tuning/jobs/${created.id}`, { headers: auth })).json()) as { status: string; error: { message: string } | null };
      seen.push(job.status);
      if (job.status === 'failed') expect(job.error?.message).toBe('scripted');
    }
    expect(seen).toEqual(['queued', 'running', 'running', 'failed', 'failed']);
    const events = (await (await fetch(`${fake.url}/fine_tuning/jobs/${created.id}/events?limit=2`, { headers: auth })).json()) as { data: { message: string }[]; has_more: boolean };
    expect(events.data[0]!.message).toContain('scripted');
    expect(events.has_more).toBe(true);
    expect((await post(`/v1/fine_tuning/jobs/${created.id}/cancel`, {})).status).toBe(400);
  });

  it('applies injected failures per route and checks the key', async () => {
    await post('/__fake/fine-tuning/fail-next', [{ route: 'list', status: 429, retryAfterSeconds: 2 }], {});
    const limited = await fetch(`${fake.url}/fine_tuning/jobs`, { headers: auth });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect((await fetch(`${fake.url}/fine_tuning/jobs`, { headers: auth })).status).toBe(200);
    expect((await fetch(`${fake.url}/fine_tuning/jobs`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    const state = (await (await fetch(`${root}/__fake/fine-tuning/state`)).json()) as { jobs: unknown[] };
    expect(state.jobs).toHaveLength(1);
  });
});
