/**
 * The links and codes a researcher pastes into a recruitment platform (pure). Prolific replaces
 * its `{{%…%}}` placeholders itself, so they must stay literal (not URL-encoded); MTurk appends
 * assignmentId, hitId, workerId and turkSubmitTo to the ExternalURL on its own.
 */
import type { StudyConfig } from './config';
import { prolificCompletionUrl } from '../participants/recruitment';

export interface RecruitmentLinks {
  prolific: string;
  mturk: string;
  plain: string;
  completionCode: string;
  /** The Prolific completion URL with the code filled in; null when none is configured. */
  prolificCompletionUrl: string | null;
  /** Codes for the other endings, to set up on the platform as separate completion paths. */
  otherCodes: { label: string; code: string }[];
}

export function studyEntryUrl(origin: string, slug: string): string {
  return `${origin.replace(/\/+$/, '')}/s/${encodeURIComponent(slug)}`;
}

export function recruitmentLinks(origin: string, slug: string, config: StudyConfig): RecruitmentLinks {
  const base = studyEntryUrl(origin, slug);
  const template = config.prolificCompletionUrl.trim();
  return {
    prolific: `${base}?PROLIFIC_PID={{%PROLIFIC_PID%}}&STUDY_ID={{%STUDY_ID%}}&SESSION_ID={{%SESSION_ID%}}`,
    mturk: base,
    plain: base,
    completionCode: config.completionCodes.completed,
    prolificCompletionUrl: template ? prolificCompletionUrl(template, config.completionCodes.completed) : null,
    otherCodes: [
      { label: 'Declined consent', code: config.completionCodes.noConsent },
      { label: 'Failed attention checks', code: config.completionCodes.failedChecks },
      { label: 'Ran out of time', code: config.completionCodes.timedOut },
    ],
  };
}

/**
 * The site's public origin: NEXTAUTH_URL when set (it must be the public address for sign-in
 * anyway), otherwise the request's own host, which is right for direct and simple proxied setups.
 */
export function publicOrigin(configured: string | undefined, headers: { get(name: string): string | null }): string {
  if (configured) return new URL(configured).origin;
  const host = headers.get('x-forwarded-host') ?? headers.get('host') ?? 'localhost:3000';
  const proto = headers.get('x-forwarded-proto') ?? (/^(localhost|127\.|\[::1\])/.test(host) ? 'http' : 'https');
  return `${proto.split(',')[0]!.trim()}://${host.split(',')[0]!.trim()}`;
}
