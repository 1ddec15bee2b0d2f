import { describe, expect, it } from 'vitest';
import { judgeInputForParticipant, paneDocument, participantBrief, transcriptOf, type ParticipantMaterial } from './material';

const material = (over: Partial<ParticipantMaterial> = {}): ParticipantMaterial => ({
  messages: [
    { role: 'user', content: 'A blog post about\n\nLisbon, please.', status: 'complete' },
    { role: 'assistant', content: 'Who reads it?', status: 'complete' },
    { role: 'user', content: 'Friends.', status: 'complete' },
    { role: 'assistant', content: 'partial repl', status: 'interrupted' },
  ],
  documentType: 'blog',
  documentTypeLabel: 'Blog post',
  topicLabel: 'Travel',
  setupAnswers: [
    { prompt: 'What is it about?', answer: 'A trip to Lisbon' },
    { prompt: 'Unanswered?', answer: null },
  ],
  surveyDocument: null,
  latestDraft: null,
  ...over,
});

describe('what the judges see of a participant', () => {
  it('keeps only complete user and assistant messages', () => {
    expect(transcriptOf(material().messages)).toEqual([
      { role: 'user', content: 'A blog post about\n\nLisbon, please.' },
      { role: 'assistant', content: 'Who reads it?' },
      { role: 'user', content: 'Friends.' },
    ]);
  });

  it('takes the pane document from the survey first, then the newest draft, ignoring blank text', () => {
    expect(paneDocument({ surveyDocument: 'Submitted', latestDraft: 'Draft' })).toBe('Submitted');
    expect(paneDocument({ surveyDocument: '  \n', latestDraft: 'Draft' })).toBe('Draft');
    expect(paneDocument({ surveyDocument: null, latestDraft: ' ' })).toBeNull();
  });

  it('writes the brief from the type, topic, pre-chat answers and the participant\'s own requests', () => {
    const m = material();
    expect(participantBrief(m, transcriptOf(m.messages))).toBe(
      [
        'The participant wrote a Blog post about Travel with the assistant.',
        '',
        'Their answers before the chat:',
        '- What is it about?: A trip to Lisbon',
        '',
        'What they asked for in the chat:',
        '- A blog post about Lisbon, please.',
        '- Friends.',
      ].join('\n'),
    );
  });

  it('gives the judge the pane document when there is one, and no target (so no BLEU)', () => {
    const pane = judgeInputForParticipant(material({ latestDraft: 'My final post' }));
    expect(pane.documentSource).toBe('pane');
    expect(pane.input).toMatchObject({ finalDocument: 'My final post', targetDocument: '', documentType: 'Blog post' });
    const none = judgeInputForParticipant(material());
    expect(none.documentSource).toBe('extraction');
    expect('finalDocument' in none.input).toBe(false);
  });

  it('keeps the first and last requests of a very long chat', () => {
    const messages = Array.from({ length: 100 }, (_, i) => ({ role: 'user', content: `request ${i}`, status: 'complete' }));
    const brief = participantBrief(material({ messages }), transcriptOf(messages));
    expect(brief).toContain('- request 0\n');
    expect(brief).toContain('- request 99');
    expect(brief).not.toContain('- request 50');
  });
});
