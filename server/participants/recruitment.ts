/**
 * Recruitment query parameters (pure). Prolific sends PROLIFIC_PID, STUDY_ID and SESSION_ID;
 * MTurk sends workerId, assignmentId, hitId and turkSubmitTo (assignmentId=ASSIGNMENT_ID_NOT_AVAILABLE
 * while a worker only previews the HIT). Anything else is a plain link.
 */
import { cleanText } from '../lib/text';

export const MTURK_PREVIEW_ASSIGNMENT = 'ASSIGNMENT_ID_NOT_AVAILABLE';

const KNOWN_PARAMS = ['PROLIFIC_PID', 'STUDY_ID', 'SESSION_ID', 'workerId', 'assignmentId', 'hitId', 'turkSubmitTo'] as const;
const MAX_PARAM_CHARS = 300;

export type RecruitmentQuery = Record<string, string | string[] | undefined>;

export interface Recruitment {
  source: 'prolific' | 'mturk' | 'link';
  externalId: string | null;
  /** The known recruitment parameters, as received (trimmed, length-capped). */
  params: Record<string, string>;
  mturkPreview: boolean;
  /** `?preview=1` (published version) or `?preview=draft`: a researcher wants an uncounted preview session. */
  previewRequested: boolean;
  /** Preview options; ignored unless a preview is requested by someone allowed to preview. */
  preview: PreviewOptions;
}

export interface PreviewOptions {
  /** `?preview=draft`: preview the unpublished draft instead of the version participants get. */
  draft: boolean;
  /** `?arm=<key>`: the arm to preview; null = drawn as for a participant. */
  armKey: string | null;
  /** `?restart=<anything>`: start a new preview session instead of resuming the last one. */
  restart: string | null;
}

function first(value: string | string[] | undefined): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  // Query values reach Postgres (lookups by external id, external_params jsonb): NUL and lone surrogates go.
  const trimmed = v === undefined ? undefined : cleanText(v).trim();
  return trimmed ? trimmed.slice(0, MAX_PARAM_CHARS) : undefined;
}

export function parseRecruitment(query: RecruitmentQuery): Recruitment {
  const params: Record<string, string> = {};
  for (const name of KNOWN_PARAMS) {
    const value = first(query[name]);
    if (value !== undefined) params[name] = value;
  }
  const previewValue = first(query.preview);
  const previewRequested = previewValue === '1' || previewValue === 'draft';
  const armValue = first(query.arm);
  const preview: PreviewOptions = {
    draft: previewValue === 'draft',
    armKey: armValue && /^[a-z0-9][a-z0-9_-]{0,39}$/.test(armValue) ? armValue : null,
    restart: first(query.restart) ?? null,
  };
  if (params.PROLIFIC_PID) {
    return { source: 'prolific', externalId: params.PROLIFIC_PID, params, mturkPreview: false, previewRequested, preview };
  }
  if (params.assignmentId === MTURK_PREVIEW_ASSIGNMENT) {
    return { source: 'mturk', externalId: null, params, mturkPreview: true, previewRequested, preview };
  }
  if (params.workerId) {
    return { source: 'mturk', externalId: params.workerId, params, mturkPreview: false, previewRequested, preview };
  }
  return { source: 'link', externalId: null, params, mturkPreview: false, previewRequested, preview };
}

/**
 * Where MTurk's externalSubmit form goes, or null when turkSubmitTo is not an MTurk host
 * (the value comes from the query string, so anything else would be an open redirect).
 */
export function mturkSubmitUrl(turkSubmitTo: string | undefined): string | null {
  if (!turkSubmitTo) return null;
  try {
    const url = new URL(turkSubmitTo);
    const hostOk = url.hostname === 'mturk.com' || url.hostname.endsWith('.mturk.com');
    if (url.protocol !== 'https:' || !hostOk) return null;
    return `${url.origin}/mturk/externalSubmit`;
  } catch {
    return null;
  }
}

export function prolificCompletionUrl(template: string, code: string): string {
  return template.replaceAll('{code}', encodeURIComponent(code));
}
