import { describe, expect, it } from 'vitest';
import { extractJsonObject, numberField, stringField } from './json';

describe('extractJsonObject', () => {
  it('parses plain JSON', () => {
    expect(extractJsonObject('{"a": 1, "b": "x"}')).toEqual({ a: 1, b: 'x' });
  });

  it('finds JSON inside a code fence with prose around it', () => {
    const raw = 'Sure, here you go:\n```json\n{"message": "hi there", "done": false}\n```\nHope that helps!';
    expect(extractJsonObject(raw)).toEqual({ message: 'hi there', done: false });
  });

  it('accepts a fence without a language tag', () => {
    expect(extractJsonObject('```\n{"x": 2}\n```')).toEqual({ x: 2 });
  });

  it('repairs single quotes and trailing commas', () => {
    expect(extractJsonObject("{'message': 'I need a blog post', 'done': false,}")).toEqual({
      message: 'I need a blog post',
      done: false,
    });
  });

  it('ignores trailing text after the closing brace, including braces in it', () => {
    const raw = '{"thought": "ok", "message": "use {braces} inside"} and then some {noise}';
    expect(extractJsonObject(raw)).toEqual({ thought: 'ok', message: 'use {braces} inside' });
  });

  it('keeps apostrophes inside words when scanning', () => {
    const raw = '{"message": "I don\'t want it too long"} trailing';
    expect(extractJsonObject(raw)).toEqual({ message: "I don't want it too long" });
  });

  it('repairs a truncated object', () => {
    expect(extractJsonObject('{"thought": "short", "message": "cut off here')).toEqual({
      thought: 'short',
      message: 'cut off here',
    });
  });

  it('returns null when there is no object', () => {
    expect(extractJsonObject('no json at all')).toBeNull();
    expect(extractJsonObject('[1, 2, 3]')).toBeNull();
    expect(extractJsonObject('')).toBeNull();
  });
});

describe('field readers', () => {
  it('reads strings and numbers forgivingly', () => {
    const obj = { a: ' text ', n: '0.5', f: '7/10', bad: 'seven', num: 3 };
    expect(stringField(obj, 'missing', 'a')).toBe('text');
    expect(stringField(obj, 'num')).toBe('3');
    expect(numberField(obj, 'n')).toBe(0.5);
    expect(numberField(obj, 'f')).toBe(7);
    expect(numberField(obj, 'bad')).toBeUndefined();
    expect(numberField(obj, 'num')).toBe(3);
  });
});
