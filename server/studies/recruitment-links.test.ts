import { describe, expect, it } from 'vitest';
import { parseRecruitment } from '../participants/recruitment';
import { publicOrigin, recruitmentLinks } from './recruitment-links';
import { starterStudyConfig } from './template';

describe('recruitmentLinks', () => {
  const config = starterStudyConfig();
  const links = recruitmentLinks('https://study.example.org/', 'blog-1', config);

  it('gives Prolific the literal placeholders it fills in, and MTurk/plain the bare entry URL', () => {
    expect(links.prolific).toBe(
      'https://study.example.org/s/blog-1?PROLIFIC_PID={{%PROLIFIC_PID%}}&STUDY_ID={{%STUDY_ID%}}&SESSION_ID={{%SESSION_ID%}}',
    );
    expect(links.mturk).toBe('https://study.example.org/s/blog-1');
    expect(links.plain).toBe('https://study.example.org/s/blog-1');
  });

  it('round-trips: the Prolific link, once filled in by Prolific, is read as a Prolific entry', () => {
    const filled = new URL(links.prolific.replace('{{%PROLIFIC_PID%}}', 'pid1').replace('{{%STUDY_ID%}}', 's1').replace('{{%SESSION_ID%}}', 'x1'));
    expect(parseRecruitment(Object.fromEntries(filled.searchParams))).toMatchObject({ source: 'prolific', externalId: 'pid1' });
  });

  it('gives the completion code and URL to enter on the platform', () => {
    expect(links.completionCode).toBe(config.completionCodes.completed);
    expect(links.prolificCompletionUrl).toBe(`https://app.prolific.com/submissions/complete?cc=${config.completionCodes.completed}`);
    expect(recruitmentLinks('https://x.org', 's', { ...config, prolificCompletionUrl: '' }).prolificCompletionUrl).toBeNull();
  });

  it('takes the origin from NEXTAUTH_URL, else from the request', () => {
    const h = (m: Record<string, string>) => ({ get: (n: string) => m[n] ?? null });
    expect(publicOrigin('https://study.example.org/base', h({ host: 'internal:3000' }))).toBe('https://study.example.org');
    expect(publicOrigin(undefined, h({ host: 'localhost:3000' }))).toBe('http://localhost:3000');
    expect(publicOrigin(undefined, h({ host: 'internal', 'x-forwarded-host': 'pub.example.org', 'x-forwarded-proto': 'https' }))).toBe(
      'https://pub.example.org',
    );
  });
});
