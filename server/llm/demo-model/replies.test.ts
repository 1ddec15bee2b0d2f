import { describe, expect, it } from 'vitest';
import { demoReply } from './index';
import { splitReply } from '../document-part';
import { streamChat, completeChat, LlmError } from '../index';
import { countTokens } from '../tokens';
import type { ChatMessage, StreamEvent } from '../types';
import type { DemoStyle } from '../../studies/config';

const styles: DemoStyle[] = ['baseline', 'proactive', 'collabllm'];

/** Plays a scripted conversation against one style, feeding each reply back as history. */
function play(style: DemoStyle, userTurns: string[]): { messages: ChatMessage[]; replies: string[] } {
  const messages: ChatMessage[] = [];
  const replies: string[] = [];
  for (const content of userTurns) {
    messages.push({ role: 'user', content });
    const reply = demoReply(style, messages);
    replies.push(reply);
    messages.push({ role: 'assistant', content: reply });
  }
  return { messages, replies };
}

const draftOf = (reply: string) => splitReply(reply).document ?? '';
const hasDraft = (reply: string) => !!splitReply(reply).document && !splitReply(reply).open;
const afterDraft = (reply: string) => splitReply(reply).after;

const blog = ['I need to write a blog post about learning to cook as an adult.', '1b, 2a', 'Can you make it more casual and add something about burning my first risotto?', 'make it shorter'];

describe('offline demo model', () => {
  it('is deterministic: the same conversation gives the same reply', () => {
    for (const style of styles) expect(play(style, blog).replies).toEqual(play(style, blog).replies);
  });

  it('varies with the conversation', () => {
    const a = demoReply('baseline', [{ role: 'user', content: 'Write a blog post about urban gardening.' }]);
    const b = demoReply('baseline', [{ role: 'user', content: 'Write a blog post about night trains in Europe.' }]);
    expect(a).not.toBe(b);
    expect(a).toContain('urban gardening');
    expect(b).toContain('night trains in Europe');
  });

  it('baseline drafts at once; the other styles ask questions first', () => {
    const first = [{ role: 'user' as const, content: blog[0]! }];
    expect(hasDraft(demoReply('baseline', first))).toBe(true);
    for (const style of ['proactive', 'collabllm'] as const) {
      const reply = demoReply(style, first);
      expect(hasDraft(reply)).toBe(false);
      expect(reply.match(/\?/g)?.length ?? 0).toBeGreaterThanOrEqual(2);
    }
  });

  it('only the collaborative style offers multiple-choice options, and it uses the chosen ones in the draft', () => {
    const proactive = play('proactive', blog.slice(0, 2)).replies;
    const collab = play('collabllm', blog.slice(0, 2)).replies;
    expect(proactive[0]).not.toMatch(/\(a\)/);
    expect(collab[0]).toMatch(/\(a\)[\s\S]*\(b\)[\s\S]*\(c\)/);
    // "1b, 2a": the second audience option and the first takeaway option.
    expect(collab[1]).toContain('readers who already care and want a fresh angle');
    expect(draftOf(collab[1]!)).toContain('a practical tip they can use this week');
    // It proposes next steps after the draft; baseline only offers generic changes.
    expect(afterDraft(collab[1]!)).toMatch(/\(a\)[\s\S]*\(b\)[\s\S]*\(c\)/);
  });

  it('revises the draft on later turns according to the request', () => {
    for (const style of styles) {
      const { replies } = play(style, blog);
      const withRisotto = draftOf(replies[2]!);
      expect(withRisotto).toContain('burning my first risotto');
      expect(withRisotto).toMatch(/we've all been there/);
      const shorter = draftOf(replies[3]!);
      expect(shorter.length).toBeLessThan(withRisotto.length);
      expect(shorter).toContain('burning my first risotto');
    }
  });

  it('writes recognisable documents for each document type', () => {
    const story = demoReply('baseline', [{ role: 'user', content: 'Help me write a short story about a lighthouse keeper who finds a letter' }]);
    expect(draftOf(story)).toMatch(/^# /);
    expect(draftOf(story)).toMatch(/"You always do this,"/);
    const statement = play('collabllm', [
      'I am writing a personal statement for a master in public health. I volunteered at a clinic for two years.',
      'a) university programme, c) care for other people',
      'add my research on malaria in Ghana',
    ]).replies;
    expect(draftOf(statement[1]!)).toMatch(/^# Personal Statement/);
    expect(draftOf(statement[1]!)).toContain('I volunteered at a clinic for two years');
    expect(draftOf(statement[1]!)).toContain('this programme');
    expect(draftOf(statement[2]!)).toContain('My research on malaria in Ghana');
  });

  it('asks what to write when the conversation has no topic yet, then starts from the first real request', () => {
    for (const style of styles) {
      const { replies } = play(style, ['hi', 'I need to write a blog post about learning to cook as an adult.']);
      expect(hasDraft(replies[0]!)).toBe(false);
      expect(replies[0]).toMatch(/what/i);
      expect(replies[1]).toBe(demoReply(style, [{ role: 'user', content: 'I need to write a blog post about learning to cook as an adult.' }]));
    }
  });

  it('finds the topic in common phrasings', () => {
    const opening = (content: string) => demoReply('baseline', [{ role: 'user', content }]).split('\n')[0];
    expect(opening('blog post: my trip to Japan. I visited Kyoto.')).toContain('about my trip to Japan');
    expect(opening('Help me write a poem about the sea')).toContain('about the sea');
    expect(opening('I am writing a personal statement for a master in public health.')).toContain('about public health');
  });

  it('acts on a picked option letter and on a "yes" to its own suggestion', () => {
    const first = play('collabllm', ['Help me write a short story about a lighthouse keeper who finds a letter', 'b and bittersweet']);
    const options = [...afterDraft(first.replies[1]!).matchAll(/^\(([abc])\) (.+)$/gm)].map((m) => m[2]!);
    expect(options).toHaveLength(3);
    const picked = play('collabllm', ['Help me write a short story about a lighthouse keeper who finds a letter', 'b and bittersweet', 'a']).replies[2]!;
    expect(picked).not.toMatch(/polished the wording/);
    expect(draftOf(picked)).not.toBe(draftOf(first.replies[1]!));

    const suggestion = picked.match(/we could (.+?)\. Would that help/)?.[1];
    expect(suggestion).toBeTruthy();
    const accepted = play('collabllm', ['Help me write a short story about a lighthouse keeper who finds a letter', 'b and bittersweet', 'a', 'yes please']).replies[3]!;
    expect(accepted).not.toMatch(/polished the wording/);
    expect(draftOf(accepted)).not.toBe(draftOf(picked));
  });

  it('never names its style or claims to be a real model', () => {
    for (const style of styles) {
      for (const reply of play(style, blog).replies) {
        expect(reply.toLowerCase()).not.toMatch(/collab|proactive|baseline|gpt|llama|claude|demo/);
      }
    }
  });

  it('streams word by word with cl100k usage and the demo flag', async () => {
    const messages: ChatMessage[] = [{ role: 'user', content: blog[0]! }];
    const events: StreamEvent[] = [];
    for await (const e of streamChat({ connection: null, model: 'collabllm' }, messages)) events.push(e);
    const done = events.at(-1);
    if (done?.type !== 'done') throw new Error('no done event');
    const deltas = events.filter((e) => e.type === 'delta') as { text: string }[];
    expect(deltas.length).toBeGreaterThan(20);
    expect(deltas.map((d) => d.text).join('')).toBe(done.text);
    expect(done.text).toBe(demoReply('collabllm', messages));
    expect(done).toMatchObject({ model: 'demo-collabllm', isDemo: true, attempts: 1 });
    expect(done.usage.completionTokens).toBe(countTokens(done.text));
    expect(done.usage.estimated).toBeUndefined();

    const completion = await completeChat({ connection: null, model: 'baseline' }, messages);
    expect(completion).toMatchObject({ model: 'demo-baseline', isDemo: true, text: demoReply('baseline', messages) });
  });

  it('honours abort and rejects unknown demo styles', async () => {
    const controller = new AbortController();
    controller.abort();
    const run = async () => {
      for await (const _ of streamChat({ connection: null, model: 'baseline' }, [{ role: 'user', content: 'hi' }], { signal: controller.signal })) void _;
    };
    await expect(run()).rejects.toMatchObject({ reason: 'aborted' });
    await expect(completeChat({ connection: null, model: 'gpt-4o' }, [{ role: 'user', content: 'hi' }])).rejects.toBeInstanceOf(LlmError);
  });
});
