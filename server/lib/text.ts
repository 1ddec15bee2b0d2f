/**
 * Text that reaches Postgres from outside (participants, model endpoints). Postgres `text` and `jsonb` cannot
 * hold U+0000 (the insert fails), and the character carries nothing a person can see, so it is dropped where
 * such text enters rather than failing the message, the reply or the benchmark item that carries it.
 */
export function withoutNul(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '') : text;
}

// A UTF-16 half of a surrogate pair without its other half. JSON.stringify escapes it as `\udXXX`, which
// Postgres jsonb refuses; in text it silently becomes U+FFFD. Replacing it where text enters makes both the same.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Every string a participant (or a recruitment platform's redirect) sends: U+0000 dropped, lone surrogates
 * replaced by U+FFFD, so it can always be stored in text and jsonb columns and compared with what is stored.
 */
export function cleanText(text: string): string {
  return withoutNul(text).replace(LONE_SURROGATE, '\uFFFD');
}

/** True when `cleanText` would leave the string unchanged. */
export function isCleanText(text: string): boolean {
  return !text.includes('\u0000') && !new RegExp(LONE_SURROGATE.source).test(text);
}
