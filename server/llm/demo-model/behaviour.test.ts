/**
 * What a newcomer's first pilot judges the offline demo model by: it answers what was asked (the right
 * kind of document, about the requested length), never greets the same way twice, marks the document
 * part of its replies, and the arms differ the way they are meant to.
 */
import { describe, expect, it } from 'vitest';
import type { DemoStyle } from '../../studies/config';
import { documentToInsert, splitReply } from '../document-part';
import type { ChatMessage } from '../types';
import { demoReply } from './index';
import { wordCount } from './reading';

const styles: DemoStyle[] = ['baseline', 'proactive', 'collabllm'];

function play(style: DemoStyle, userTurns: string[], seed?: number): string[] {
  const messages: ChatMessage[] = [];
  const replies: string[] = [];
  for (const content of userTurns) {
    messages.push({ role: 'user', content });
    const reply = demoReply(style, messages, { seed });
    replies.push(reply);
    messages.push({ role: 'assistant', content: reply });
  }
  return replies;
}

/** Plays until the first reply that holds a document (the asking styles get a short answer to their questions). */
function firstDraft(style: DemoStyle, request: string): string {
  const replies = play(style, [request, 'a, b', 'Please go ahead and write it.']);
  const reply = replies.find((r) => splitReply(r).document !== null);
  if (!reply) throw new Error(`no draft from ${style}`);
  return splitReply(reply).document!;
}

describe('demo model: answers what was asked', () => {
  it.each([250, 400, 600])('a %i-word blog post request yields a blog post of about that length in every arm', (words) => {
    for (const style of styles) {
      const draft = firstDraft(style, `Write a ${words}-word blog post about urban gardening on small balconies.`);
      expect(draft).toMatch(/^# .+\n/);
      expect(draft).toMatch(/^## /m); // a blog post has sections
      expect(draft.toLowerCase()).toContain('urban gardening');
      const n = wordCount(draft);
      expect(n, `${style}: ${n} words for ${words}`).toBeGreaterThanOrEqual(words * 0.8);
      expect(n, `${style}: ${n} words for ${words}`).toBeLessThanOrEqual(words * 1.2);
    }
  });

  it('writes the document type that was asked for, at a sensible default length', () => {
    for (const style of styles) {
      const story = firstDraft(style, 'Help me write a short story about a lighthouse keeper who finds a letter.');
      expect(story).not.toMatch(/^## /m);
      expect(story).toMatch(/"[^"]+," /); // dialogue
      const statement = firstDraft(style, 'I am writing a personal statement for a master in public health.');
      expect(statement).toMatch(/^# Personal Statement/);
      expect(statement).toMatch(/\bI\b/);
      const blog = firstDraft(style, 'I need a blog post about learning to cook as an adult.');
      for (const draft of [story, statement, blog]) {
        expect(wordCount(draft)).toBeGreaterThanOrEqual(250);
        expect(wordCount(draft)).toBeLessThanOrEqual(500);
      }
    }
  });

  it('revises to a length named later', () => {
    const replies = play('baseline', ['Write a blog post about night trains in Europe.', 'Can you cut it to 200 words?']);
    const n = wordCount(splitReply(replies[1]!).document!);
    expect(n).toBeGreaterThanOrEqual(160);
    expect(n).toBeLessThanOrEqual(240);
  });

  it('marks the document part, so "Use this" leaves the lead-in and the closing question out', () => {
    for (const style of styles) {
      const replies = play(style, ['Write a blog post about urban gardening.', 'a, b', 'Make the ending stronger.']);
      for (const reply of replies.filter((r) => splitReply(r).document !== null)) {
        const parts = splitReply(reply);
        expect(parts.open).toBe(false);
        expect(parts.before.length).toBeGreaterThan(0);
        expect(parts.after.length).toBeGreaterThan(0);
        const inserted = documentToInsert(reply);
        expect(inserted).toBe(parts.document);
        expect(inserted).not.toContain(parts.before);
        expect(inserted).not.toContain('<document>');
      }
    }
  });
});

describe('demo model: never repeats itself', () => {
  it('greets differently every time while it does not know what to write', () => {
    for (const style of styles) {
      const replies = play(style, ['hi', 'hello?', 'ok', 'hmm', 'can you help me', 'hi', 'yes', 'what can you do', 'ok', 'hello', 'so', 'right', 'hi']);
      expect(new Set(replies).size, style).toBe(replies.length);
      for (const reply of replies) expect(splitReply(reply).document).toBeNull();
    }
  });

  it('varies its lead-ins and closings over consecutive revisions', () => {
    const replies = play('baseline', [
      'Write a blog post about urban gardening.',
      'Make it more casual.',
      'Add something about tomatoes on the windowsill.',
      'Change the title.',
      'Rewrite the ending.',
    ]).slice(1);
    const leads = replies.map((r) => splitReply(r).before);
    expect(new Set(leads).size).toBe(leads.length);
    const closings = replies.map((r) => splitReply(r).after);
    expect(new Set(closings).size).toBe(closings.length);
  });
});

describe('demo model: the arms differ as designed', () => {
  const request = 'Write a blog post about learning to cook as an adult.';

  it('baseline drafts at once; the collaborative arm asks clarifying questions with options first; proactive asks open questions', () => {
    const [baseline] = play('baseline', [request]);
    expect(splitReply(baseline!).document).not.toBeNull();
    expect(splitReply(baseline!).before).not.toMatch(/\?/);

    const [collab] = play('collabllm', [request]);
    expect(splitReply(collab!).document).toBeNull();
    expect(collab!.match(/\?/g)!.length).toBeGreaterThanOrEqual(2);
    expect(collab).toMatch(/\(a\)[\s\S]*\(b\)[\s\S]*\(c\)/);

    const [proactive] = play('proactive', [request]);
    expect(splitReply(proactive!).document).toBeNull();
    expect(proactive!.match(/\?/g)!.length).toBeGreaterThanOrEqual(2);
    expect(proactive).not.toMatch(/\(a\)/);
  });

  it('the collaborative arm uses the answers and proposes concrete next steps; baseline only offers generic changes', () => {
    const collab = play('collabllm', [request, '1b, 2a']);
    expect(splitReply(collab[1]!).before).toContain('readers who already care');
    expect(splitReply(collab[1]!).after).toMatch(/\(a\)[\s\S]*\(b\)[\s\S]*\(c\)/);
    const baseline = play('baseline', [request]);
    expect(splitReply(baseline[0]!).after).not.toMatch(/\(a\)/);
  });
});

describe('demo model: deterministic and seeded', () => {
  const turns = ['Write a short story about a lighthouse keeper.', 'b, hopeful', 'Make it longer.'];

  it('repeats itself exactly for the same conversation and seed', () => {
    for (const style of styles) {
      expect(play(style, turns, 7)).toEqual(play(style, turns, 7));
      expect(play(style, turns)).toEqual(play(style, turns));
    }
  });

  it('a different seed can pick different variants', () => {
    const bySeed = new Set(Array.from({ length: 8 }, (_, seed) => play('baseline', turns.slice(0, 1), seed)[0]));
    expect(bySeed.size).toBeGreaterThan(1);
  });
});
