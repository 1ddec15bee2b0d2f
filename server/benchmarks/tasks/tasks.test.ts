import { describe, expect, it } from 'vitest';
import { builtinTasks, countWords } from './builtin';
import { validateTaskRows } from './import';
import { briefsFromStudyConfig } from './study-briefs';

describe('built-in tasks', () => {
  const tasks = builtinTasks();

  it('has at least 30 tasks across the three document types with unique keys', () => {
    expect(tasks.length).toBeGreaterThanOrEqual(30);
    expect(new Set(tasks.map((t) => t.key)).size).toBe(tasks.length);
    const byType = new Map<string, number>();
    for (const t of tasks) byType.set(t.documentType, (byType.get(t.documentType) ?? 0) + 1);
    expect([...byType.keys()].sort()).toEqual(['blog_post', 'creative_writing', 'personal_statement']);
    for (const n of byType.values()) expect(n).toBeGreaterThanOrEqual(10);
  });

  it('has targets of 200–500 words and briefs with details and an approximate length', () => {
    for (const t of tasks) {
      const words = countWords(t.targetDocument);
      expect(words, t.key).toBeGreaterThanOrEqual(200);
      expect(words, t.key).toBeLessThanOrEqual(500);
      expect(t.brief).toMatch(/about \d+ words/);
      expect((t.metadata.details as string[]).length, t.key).toBeGreaterThanOrEqual(3);
    }
  });

  it('validates against the import schema (the same rules as imported tasks)', () => {
    const jsonl = tasks.map((t) => JSON.stringify(t)).join('\n');
    const { tasks: parsed, errors } = validateTaskRows('jsonl', jsonl);
    expect(errors).toEqual([]);
    expect(parsed).toHaveLength(tasks.length);
  });
});

describe('validateTaskRows', () => {
  const good = { key: 'a', documentType: 'blog_post', brief: 'You want a post about bees and honey.', targetDocument: 'x'.repeat(60) };

  it('reports per-row errors with line numbers for JSONL', () => {
    const content = [
      JSON.stringify(good),
      '',
      '{not json',
      JSON.stringify({ ...good, key: 'b', brief: 'short' }),
      JSON.stringify([1]),
      JSON.stringify({ ...good, brief: `${good.brief} Another task.` }),
      JSON.stringify({ ...good, key: 'Bad Key!' }),
      JSON.stringify({ ...good }),
    ].join('\n');
    const { errors, tasks, duplicatesDropped } = validateTaskRows('jsonl', content);
    expect(tasks).toHaveLength(1);
    // The exact repeat of line 1 (line 8) is dropped as a duplicate, not reported.
    expect(duplicatesDropped).toBe(1);
    expect(errors.map((e) => e.line)).toEqual([3, 4, 5, 6, 7]);
    expect(errors[0]?.message).toMatch(/invalid JSON/);
    expect(errors[1]?.message).toMatch(/brief: brief must be at least 20 characters/);
    expect(errors[2]?.message).toBe('expected a JSON object');
    expect(errors[3]?.message).toBe('key "a" is already used on line 1');
    expect(errors[4]?.message).toMatch(/^key: /);
  });

  it('accepts the paper single-turn fields and keeps unknown fields as metadata', () => {
    const row = { prompt: 'Write an article about optimism for my blog.', completion: 'y'.repeat(80), source_url: 'n/a' };
    const { tasks, errors } = validateTaskRows('jsonl', JSON.stringify(row));
    expect(errors).toEqual([]);
    expect(tasks[0]).toMatchObject({ key: 'task-1', documentType: 'document', brief: row.prompt, metadata: { source_url: 'n/a' } });
  });

  it('reads CSV with quoted multi-line fields and reports the starting line of bad rows', () => {
    const csv = [
      'key,document_type,brief,target_document,metadata',
      `one,blog_post,"You want a post about bees, honey and hives.","${'Line one of the target document.\nLine two of it, continuing on.'}",`,
      'two,blog_post,too short,"' + 'z'.repeat(60) + '",',
      `three,poem,"You want a poem about the sea at night.","${'w'.repeat(60)}","{""mood"": ""calm""}"`,
      `four,poem,"You want a poem about the sea at dawn.","${'w'.repeat(60)}","{broken"`,
    ].join('\n');
    const { tasks, errors } = validateTaskRows('csv', csv);
    expect(tasks.map((t) => t.key)).toEqual(['one', 'three']);
    expect(tasks[1]?.metadata).toEqual({ mood: 'calm' });
    expect(errors).toEqual([
      { line: 4, message: 'brief: brief must be at least 20 characters' },
      { line: 6, message: 'metadata: not valid JSON' },
    ]);
  });

  it('reports an unreadable CSV as one error', () => {
    const { errors } = validateTaskRows('csv', 'key,brief\n"unterminated,quote');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(/CSV could not be read/);
  });

  it('refuses empty and oversized files', () => {
    expect(() => validateTaskRows('jsonl', '\n\n')).toThrow(/no tasks/);
    expect(() => validateTaskRows('jsonl', 'x'.repeat(5 * 1024 * 1024 + 1))).toThrow(/larger than 5 MB/);
  });
});

describe('briefsFromStudyConfig', () => {
  it('makes one brief per document type × topic that mentions both and the topic questions', () => {
    const briefs = briefsFromStudyConfig({
      documentTypes: [
        { key: 'blog_post', label: 'Blog post', description: 'An informal article.' },
        { key: 'creative', label: 'Creative writing', description: '' },
      ],
      topics: [
        { id: 'travel', label: 'A memorable trip' },
        { id: 'food', label: 'A favourite recipe' },
      ],
      topicQuestions: [{ id: 'q1', prompt: 'Who is the audience?', placeholder: '' }],
    });
    expect(briefs.map((b) => b.key)).toEqual(['blog_post.travel', 'blog_post.food', 'creative.travel', 'creative.food']);
    expect(briefs[0]?.brief).toContain('blog post about "A memorable trip"');
    expect(briefs[0]?.brief).toContain('An informal article.');
    expect(briefs[0]?.brief).toContain('- Who is the audience?');
    expect(briefs[3]?.details).toEqual(['It is a creative writing.', 'The topic is: A favourite recipe.']);
  });
});
