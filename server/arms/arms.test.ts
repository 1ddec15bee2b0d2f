import { describe, expect, it } from 'vitest';
import { runConfigSchema } from '../benchmarks/run-config';
import { armCall, streamArmReply, templateValues } from './generate';
import { FieldStream, parseStructuredReply } from './reply';
import { renderTemplate, templateProblems, type TemplateValues } from './template';
import type { ArmConfig } from '../studies/config';

const values: TemplateValues = {
  conversation: '**User**: write {{task}} please',
  conversation_json: '[]',
  last_user_message: 'write {{task}} please',
  task: 'help the user write a blog post',
  document_type: 'blog post',
  topic: 'Tomatoes',
  max_new_tokens: '512',
};

describe('template rendering', () => {
  it('fills placeholders in one pass, keeps inserted text literal, and honours \\{{', () => {
    const out = renderTemplate('A {{ conversation }} B {{task}} C \\{{task}} D {"response": "x"}', values);
    // The participant's "{{task}}" inside the conversation is not expanded again.
    expect(out).toBe('A **User**: write {{task}} please B help the user write a blog post C {{task}} D {"response": "x"}');
  });

  it('rejects unknown placeholders and templates without the conversation', () => {
    expect(templateProblems('{{conversation}} {{chat_history}}')[0]).toMatch(/unknown placeholder \{\{chat_history\}\}/);
    expect(templateProblems('Answer as JSON about {{topic}}')).toEqual([
      'the template must include the conversation: {{conversation}} or {{conversation_json}}',
    ]);
    expect(templateProblems('{{conversation_json}}')).toEqual([]);
  });

  it('is checked by the run config schema with a path to the field', () => {
    const base = {
      key: 'p',
      label: 'P',
      connectionId: null,
      model: 'proactive',
      systemPrompt: '',
      mode: 'template' as const,
    };
    const bad = runConfigSchema.safeParse({
      arms: [{ ...base, template: { text: 'no chat here' } }, { ...base, key: 'q' }],
      taskIds: ['00000000-0000-4000-8000-000000000000'],
      simulator: { connectionId: null },
      judge: { connectionId: null },
    });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(['arms.0.template.text', 'arms.1.template']);
  });
});

describe('structured replies', () => {
  it('parses the shown field forgivingly and names what is wrong', () => {
    expect(parseStructuredReply('```json\n{"thought": "t", "response": "Hi"}\n```', 'response')).toEqual({
      ok: true,
      shown: 'Hi',
      fields: { thought: 't', response: 'Hi' },
    });
    expect(parseStructuredReply('plain text', 'response')).toMatchObject({ ok: false, reason: 'no_json' });
    expect(parseStructuredReply('{"answer": "x"}', 'response')).toMatchObject({ ok: false, reason: 'missing_field' });
    expect(parseStructuredReply('{"response": 3}', 'response')).toMatchObject({ ok: false, reason: 'not_text' });
    expect(parseStructuredReply('{"response": "  "}', 'response')).toMatchObject({ ok: false, reason: 'empty' });
  });

  it('streams only the top-level field, whatever the chunking', () => {
    const raw = 'Sure:\n```json\n{"thought": {"response": "nested, hidden"}, "current_problem": "p \\"q\\"", "response": "Line 1\\nSa\\u00efd \\"hi\\" \\ud83d\\ude00 end", "x": [1, {"response": "no"}]}\n```';
    const expected = 'Line 1\nSaïd "hi" 😀 end';
    for (const size of [1, 2, 3, 5, 7, 64, raw.length]) {
      const stream = new FieldStream('response');
      const pieces: string[] = [];
      for (let i = 0; i < raw.length; i += size) pieces.push(stream.push(raw.slice(i, i + size)));
      expect(pieces.join(''), `chunk size ${size}`).toBe(expected);
      // Never half of a surrogate pair in a piece.
      for (const p of pieces) expect(/[\uD800-\uDBFF]$/.test(p)).toBe(false);
      expect(stream.consistent).toBe(true);
    }
  });

  it('shows nothing from text that is not JSON', () => {
    const stream = new FieldStream('response');
    expect(stream.push('I think the answer is "response": yes')).toBe('');
    expect(stream.push(' {oops not json')).toBe('');
  });
});

const templateArm: ArmConfig = {
  key: 'tpl',
  label: 'Template',
  connectionId: null,
  model: 'proactive',
  systemPrompt: '',
  temperature: 0.8,
  topP: 1,
  maxTokens: 256,
  weight: 1,
  mode: 'template',
  template: { text: 'Chat:\n{{conversation}}\nReply as JSON with "thought" and "answer" ({{max_new_tokens}} tokens).', responseField: 'answer', parseRetries: 1 },
};

describe('arm calls', () => {
  const history = [{ role: 'user' as const, content: 'I need a blog post about tomatoes on my balcony' }];
  const context = { documentType: 'blog post', topic: '', task: 'help the user write a blog post' };

  it('sends the rendered template as the whole request', () => {
    const call = armCall(templateArm, { connection: null, model: 'proactive' }, history, context);
    expect(call.messages).toEqual([
      { role: 'user', content: 'Chat:\n**User**: I need a blog post about tomatoes on my balcony\nReply as JSON with "thought" and "answer" (256 tokens).' },
    ]);
    expect(templateValues(templateArm, history, context).last_user_message).toBe(history[0]!.content);
    const plain = armCall({ ...templateArm, mode: undefined, systemPrompt: 'Be kind.' }, { connection: null, model: 'proactive' }, history, context);
    expect(plain.messages).toEqual([{ role: 'system', content: 'Be kind.' }, ...history]);
    expect(plain.structured).toBeUndefined();
  });

  it('runs offline: the demo model answers in JSON and only the shown field streams', async () => {
    const call = armCall(templateArm, { connection: null, model: 'proactive' }, history, context);
    let streamed = '';
    let done: { text: string; structured?: { fields: Record<string, unknown> } } | undefined;
    for await (const event of streamArmReply(call)) {
      if (event.type === 'delta') streamed += event.text;
      if (event.type === 'reset') streamed = '';
      if (event.type === 'done') done = event;
    }
    expect(done).toBeDefined();
    expect(streamed).toBe(done!.text);
    expect(streamed).not.toContain('"thought"');
    expect(done!.structured!.fields.answer).toBe(streamed);
    expect(String(done!.structured!.fields.thought)).toMatch(/template mode/);
  });
});
