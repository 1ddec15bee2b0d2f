import { describe, expect, it } from 'vitest';
import { samplePersona, conversationSeed, personaOptions } from './persona';
import {
  TERMINATION_SIGNAL,
  isClosingMessage,
  isEndlessGoodbye,
  parseSimulatorReply,
  renderTranscript,
  simulatorMessages,
} from './simulator-prompt';

describe('parseSimulatorReply', () => {
  it('reads a well-formed reply', () => {
    const r = parseSimulatorReply('{"thought": "start vague", "message": "Hi, can you help me with a blog post?", "done": false}');
    expect(r).toEqual({ ok: true, message: 'Hi, can you help me with a blog post?', thought: 'start vague', terminate: false });
  });

  it('reads replies in code fences with trailing chatter and single quotes', () => {
    const r = parseSimulatorReply("```json\n{'thought': 'x', 'message': 'Make it shorter please.'}\n```\nLet me know!");
    expect(r).toMatchObject({ ok: true, message: 'Make it shorter please.', terminate: false });
  });

  it('rejects output without JSON or without a message field', () => {
    expect(parseSimulatorReply('I would like a poem.')).toMatchObject({ ok: false, reason: 'malformed' });
    expect(parseSimulatorReply('{"thought": "hmm"}')).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('detects the termination signal, strips it and keeps the closing remark', () => {
    const r = parseSimulatorReply(`{"message": "This is exactly what I wanted, thanks! ${TERMINATION_SIGNAL}"}`);
    expect(r).toEqual({ ok: true, message: 'This is exactly what I wanted, thanks!', thought: '', terminate: true });
  });

  it('accepts spelling variants of the signal and the done flag', () => {
    expect(parseSimulatorReply('{"message": "bye [[terminate]]"}')).toMatchObject({ ok: true, message: 'bye', terminate: true });
    expect(parseSimulatorReply('{"message": "All set.", "done": "true"}')).toMatchObject({ ok: true, terminate: true });
  });

  it('allows an empty message only when it terminates', () => {
    expect(parseSimulatorReply(`{"message": "${TERMINATION_SIGNAL}"}`)).toEqual({ ok: true, message: '', thought: '', terminate: true });
    expect(parseSimulatorReply('{"message": "   "}')).toMatchObject({ ok: false, reason: 'empty' });
  });

  it('strips a leading user label but rejects role flips', () => {
    expect(parseSimulatorReply('{"message": "**User**: add a title"}')).toMatchObject({ ok: true, message: 'add a title' });
    expect(parseSimulatorReply('{"message": "Assistant: Here is your draft about tomatoes."}')).toMatchObject({
      ok: false,
      reason: 'role_flip',
    });
    expect(parseSimulatorReply('{"message": "Sure! I\'d be happy to help you with that blog post."}')).toMatchObject({
      ok: false,
      reason: 'role_flip',
    });
    expect(parseSimulatorReply('{"message": "As an AI, I cannot have preferences."}')).toMatchObject({ ok: false, reason: 'role_flip' });
    expect(
      parseSimulatorReply('{"message": "ok thanks\\n\\n**Assistant**: You are welcome! Anything else?"}'),
    ).toMatchObject({ ok: false, reason: 'role_flip' });
  });

  it('rejects a user message that is really the whole document', () => {
    const long = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');
    expect(parseSimulatorReply(JSON.stringify({ message: long }))).toMatchObject({ ok: false, reason: 'too_long' });
  });

  it('rejects a repeated message unless it ends the chat', () => {
    const previous = ['Can you make it shorter?'];
    expect(parseSimulatorReply('{"message": "can you make it SHORTER"}', previous)).toMatchObject({ ok: false, reason: 'repeated' });
    expect(parseSimulatorReply('{"message": "Can you make it shorter?", "done": true}', previous)).toMatchObject({ ok: true, terminate: true });
  });
});

describe('closing guards', () => {
  it('recognises short goodbyes but not requests', () => {
    expect(isClosingMessage('Thanks so much!')).toBe(true);
    expect(isClosingMessage('Perfect, bye.')).toBe(true);
    expect(isClosingMessage('Thanks! Could you add a title?')).toBe(false);
    expect(isClosingMessage('Please add a conclusion.')).toBe(false);
  });

  it('flags two goodbyes in a row as endless', () => {
    expect(isEndlessGoodbye(['Write a poem', 'Thanks!'])).toBe(false);
    expect(isEndlessGoodbye(['Write a poem', 'Thanks!', 'Great, bye!'])).toBe(true);
  });
});

describe('prompt building and personas', () => {
  it('hides nothing from the simulator and renders the history with role labels', () => {
    const persona = samplePersona('s');
    const msgs = simulatorMessages({
      brief: 'You want a poem about rain.',
      documentTypeLabel: 'poem',
      persona,
      history: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: 'What is it for?' },
      ],
    });
    expect(msgs[0]?.role).toBe('system');
    expect(msgs[0]?.content).toContain('You want a poem about rain.');
    expect(msgs[0]?.content).toContain(persona.tone);
    expect(msgs[1]?.content).toContain('**User**: hi\n\n**Assistant**: What is it for?');
    expect(renderTranscript([])).toBe('');
  });

  it('gives the simulator the whole hidden goal: brief, details and the target document', () => {
    const msgs = simulatorMessages({
      brief: 'You want a poem about rain.',
      details: ['It rains on a tin roof.'],
      targetDocument: 'Rain on the tin roof, a drum for the sleepless.',
      documentTypeLabel: 'poem',
      persona: samplePersona('s'),
      history: [],
    });
    expect(msgs[0]?.content).toContain('- It rains on a tin roof.');
    expect(msgs[0]?.content).toContain('Rain on the tin roof, a drum for the sleepless.');
    // Without a target the section is left out rather than shown empty.
    const bare = simulatorMessages({ brief: 'b', documentTypeLabel: 'poem', persona: samplePersona('s'), history: [] });
    expect(bare[0]?.content).not.toContain('The document you have in mind');
  });

  it('samples personas deterministically and covers the options', () => {
    expect(samplePersona('abc')).toEqual(samplePersona('abc'));
    const tones = new Set(Array.from({ length: 60 }, (_, i) => samplePersona(`seed-${i}`).tone));
    expect(tones.size).toBe(personaOptions.tone.length);
    expect(conversationSeed('run', 'task', 2)).toBe('run:task:2');
  });
});
