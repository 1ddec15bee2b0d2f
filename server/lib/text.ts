/**
 * Text that reaches Postgres from outside (participants, model endpoints). Postgres `text` and `jsonb` cannot
 * hold U+0000 (the insert fails), and the character carries nothing a person can see, so it is dropped where
 * such text enters rather than failing the message, the reply or the benchmark item that carries it.
 */
export function withoutNul(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '') : text;
}
