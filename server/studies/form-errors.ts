/**
 * Field errors for the study setup form, keyed by config path ("arms.0.key"). Pure, so the browser
 * form and tests share it; wording is for the researcher filling the form, not for developers.
 */
import type { z } from 'zod';

export type FieldErrors = Record<string, string>;

/** zod's default wording is written for developers; say the same thing for the person filling the form. */
export function friendlyMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'too_small') {
    const min = Number(issue.minimum);
    if (issue.origin === 'string') return min <= 1 ? 'required' : `at least ${min} characters`;
    if (issue.origin === 'array') return min <= 1 ? 'add at least one' : `add at least ${min}`;
    if (issue.origin === 'number') return `at least ${min}`;
  }
  if (issue.code === 'too_big') {
    const max = Number(issue.maximum);
    if (issue.origin === 'string') return `at most ${max} characters`;
    if (issue.origin === 'array') return `at most ${max}`;
    if (issue.origin === 'number') return `at most ${max}`;
  }
  if (issue.code === 'invalid_type' && issue.expected === 'number') return 'enter a number';
  if (issue.code === 'invalid_type' && issue.expected === 'int') return 'enter a whole number';
  return issue.message;
}

export function issuesToErrors(issues: z.core.$ZodIssue[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join('.');
    errors[key] ??= friendlyMessage(issue);
  }
  return errors;
}
