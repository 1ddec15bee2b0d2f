import { describe, expect, it } from 'vitest';
import { createDemoJudge, createScriptedSimulator, DEMO_JUDGE_LABEL, heuristicExtract, toFirstPerson } from './demo';
import { samplePersona } from './persona';
import { builtinTasks } from './tasks/builtin';
import type { TranscriptMessage } from './simulator-prompt';

const task = builtinTasks().find((t) => t.key === 'blog-balcony-tomatoes')!;
const details = task.metadata.details as string[];

function personaWith(verbosity: 'terse' | 'chatty') {
  for (let i = 0; ; i++) {
    const p = samplePersona(`p${i}`);
    if (p.verbosity.startsWith(verbosity)) return p;
  }
}

describe('scripted simulator', () => {
  it('opens vaguely, reveals one detail per turn, asks for a draft, then ends when a draft exists', async () => {
    const sim = createScriptedSimulator({ documentType: 'blog_post', topic: 'Growing tomatoes', brief: task.brief, details, persona: personaWith('terse') });
    const history: TranscriptMessage[] = [];
    const first = await sim.next(history);
    expect(first.terminate).toBe(false);
    expect(first.message.toLowerCase()).toContain('blog post');
    expect(first.message).not.toContain('Sungold');
    history.push({ role: 'user', content: first.message }, { role: 'assistant', content: 'Which variety do you grow?' });
    const revealed: string[] = [];
    for (let i = 0; i < details.length; i++) {
      const t = await sim.next(history);
      expect(t.terminate).toBe(false);
      revealed.push(t.message);
      history.push({ role: 'user', content: t.message }, { role: 'assistant', content: 'Noted. Anything else?' });
    }
    expect(revealed[0]).toMatch(/^To answer your question: My balcony faces south-west/);
    expect(revealed.join(' ')).toContain('Sungold');
    const ask = await sim.next(history);
    expect(ask.message).toMatch(/write the full blog post now/);
    history.push({ role: 'user', content: ask.message }, { role: 'assistant', content: 'word '.repeat(200) });
    const end = await sim.next(history);
    expect(end).toMatchObject({ terminate: true, isDemo: true, message: 'This works for me, thank you.' });
  });

  it('reveals two details per turn for chatty personas and is deterministic', async () => {
    const persona = personaWith('chatty');
    const a = createScriptedSimulator({ documentType: 'blog_post', topic: 'x', brief: task.brief, details, persona });
    const b = createScriptedSimulator({ documentType: 'blog_post', topic: 'x', brief: task.brief, details, persona });
    const history: TranscriptMessage[] = [
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'Tell me more.' },
    ];
    const ta = await a.next(history);
    expect(ta).toEqual(await b.next(history));
    expect(ta.message).toContain(toFirstPerson(details[0]!));
    expect(ta.message).toContain(toFirstPerson(details[1]!));
  });

  it('ends even when the assistant never writes a draft', async () => {
    const sim = createScriptedSimulator({ documentType: 'poem', topic: 'rain', brief: 'You want a poem.\n- short\n- about rain', persona: personaWith('terse') });
    const history: TranscriptMessage[] = [];
    let ended = false;
    for (let i = 0; i < 10 && !ended; i++) {
      const t = await sim.next(history);
      ended = t.terminate;
      if (t.message) history.push({ role: 'user', content: t.message }, { role: 'assistant', content: 'ok' });
    }
    expect(ended).toBe(true);
  });
});

describe('demo judge', () => {
  const draft = `Here is a draft:\n\n${task.targetDocument}\n\nWould you like a different title?`;

  it('extracts the last draft without its lead-in and closing question', () => {
    const doc = heuristicExtract([
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'What is it about?' },
      { role: 'assistant', content: draft },
    ]);
    expect(doc).toBe(task.targetDocument.split(/\n\s*\n/).map((p) => p.trim()).join('\n\n'));
  });

  it('takes the marked document when the reply marks one (<document> convention), lead-in and follow-up left out', () => {
    const doc = heuristicExtract([
      { role: 'user', content: 'Write it' },
      { role: 'assistant', content: `Sure! Here it is:\n\n<document>\n${task.targetDocument}\n</document>\n\nShall I shorten it?\n(a) yes\n(b) no` },
    ]);
    expect(doc).toBe(task.targetDocument.trim());
  });

  it('scores an interactive conversation with a faithful draft highly, labelled as demo', async () => {
    const judge = createDemoJudge();
    expect(judge.label).toBe(DEMO_JUDGE_LABEL);
    expect(judge.label).toMatch(/^demo-judge/);
    const out = await judge.judge({
      history: [
        { role: 'user', content: 'I need a blog post about tomatoes.' },
        { role: 'assistant', content: 'Happy to. Which way does your balcony face? What variety do you grow?' },
        { role: 'user', content: details.join(' ') },
        { role: 'assistant', content: draft },
      ],
      brief: task.brief,
      documentType: 'blog_post',
      targetDocument: task.targetDocument,
      details,
    });
    const score = (m: string) => out.scores.find((s) => s.metric === m)?.value;
    expect(score('interactivity')).toBe(1);
    expect(score('quality')).toBeGreaterThanOrEqual(6);
    const offTopic = await judge.judge({
      history: [
        { role: 'user', content: 'I need a blog post about tomatoes.' },
        { role: 'assistant', content: builtinTasks().find((t) => t.key === 'ps-law-debate-tenant')!.targetDocument },
      ],
      brief: task.brief,
      documentType: 'blog_post',
      targetDocument: task.targetDocument,
      details,
    });
    expect(offTopic.scores.find((s) => s.metric === 'quality')!.value).toBeLessThan(score('quality')! - 2);
    expect(score('bleu_word')).toBeGreaterThan(0.9);
    expect(score('turns')).toBe(2);
    expect(out.scores.every((s) => s.metric === 'tokens_read' || s.metric === 'tokens_typed' || s.metric === 'turns' || s.metric.startsWith('bleu') || s.metric === 'clarifying_questions' || (s.details as { demo?: boolean }).demo === true)).toBe(true);
  });

  it('scores a non-interactive conversation with no draft low', async () => {
    const out = await createDemoJudge().judge({
      history: [
        { role: 'user', content: 'I need a blog post.' },
        { role: 'assistant', content: 'Sure.' },
      ],
      brief: task.brief,
      documentType: 'blog_post',
      targetDocument: task.targetDocument,
    });
    const score = (m: string) => out.scores.find((s) => s.metric === m)?.value;
    expect(score('interactivity')).toBe(0);
    expect(score('quality')).toBeLessThanOrEqual(2);
  });
});
