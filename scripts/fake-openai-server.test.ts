import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAIServer, type FakeOpenAIServer, type RecordedRequest } from './fake-openai-server';

let fake: FakeOpenAIServer;
const root = () => fake.url.replace(/\/v1$/, '');
const post = (path: string, body: unknown) =>
  fetch(`${root()}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const chat = (content: string, extra: Record<string, unknown> = {}) =>
  fetch(`${fake.url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content }], ...extra }),
  });

beforeAll(async () => {
  fake = await startFakeOpenAIServer({ models: ['a', 'b'] });
});
afterAll(() => fake.close());

describe('fake OpenAI-compatible server', () => {
  it('lists models and answers deterministically from the last user message', async () => {
    const models = (await (await fetch(`${fake.url}/models`)).json()) as { data: { id: string }[] };
    expect(models.data.map((m) => m.id)).toEqual(['a', 'b']);
    const one = (await (await chat('same words')).json()) as { choices: { message: { content: string } }[] };
    const two = (await (await chat('same words')).json()) as { choices: { message: { content: string } }[] };
    expect(one.choices[0]!.message.content).toBe(two.choices[0]!.message.content);
  });

  it('streams SSE chunks, a usage chunk when asked, and [DONE]', async () => {
    const text = await (await chat('stream please', { stream: true, stream_options: { include_usage: true } })).text();
    const events = text.split('\n\n').filter(Boolean);
    expect(events.at(-1)).toBe('data: [DONE]');
    const usageChunk = JSON.parse(events.at(-2)!.slice(6)) as { choices: unknown[]; usage: { completion_tokens: number } };
    expect(usageChunk.choices).toEqual([]);
    expect(usageChunk.usage.completion_tokens).toBeGreaterThan(0);
  });

  it('is scriptable over HTTP from another process: failures, replies, recorded requests, reset', async () => {
    await post('/__fake/reset', {});
    expect((await post('/__fake/fail-next', [{ kind: 'status', status: 429, retryAfterSeconds: 2 }])).status).toBe(200);
    const limited = await chat('x');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    await post('/__fake/replies', ['{"verdict":"A"}']);
    const scripted = (await (await chat('y')).json()) as { choices: { message: { content: string } }[] };
    expect(scripted.choices[0]!.message.content).toBe('{"verdict":"A"}');
    const recorded = (await (await fetch(`${root()}/__fake/requests`)).json()) as RecordedRequest[];
    expect(recorded.map((r) => r.failure?.kind ?? null)).toEqual(['status', null]);
    expect(recorded[1]!.body?.messages?.[0]).toEqual({ role: 'user', content: 'y' });
    expect((await post('/__fake/fail-next', [{ kind: 'nonsense' }])).status).toBe(400);
  });

  it('runs as a CLI and prints its URL', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/fake-openai-server.ts', '--port', '0', '--latency-ms', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = out.match(/(http:\/\/\S+\/v1)/);
          if (m) resolve(m[1]!);
        });
        child.on('exit', (code) => reject(new Error(`exited ${code}`)));
      });
      const res = await fetch(`${url}/models`);
      expect(res.status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
