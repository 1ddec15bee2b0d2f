/**
 * Which participant ids an export carries. When the study's consent promises anonymised data
 * (`consentPromisesAnonymisedData`, in the draft or any published version), Prolific/MTurk ids are
 * replaced by per-study pseudonyms unless an admin explicitly asks for the raw ids.
 */
import { eq } from 'drizzle-orm';
import type { DbExecutor } from '../../db';
import { schema } from '../../db';
import type { Role } from '../auth/session';
import { ServiceError } from '../services/errors';

/** Configs saved before the setting existed count as promising it (the default, and the safe side). */
export async function consentPromisesAnonymisedData(db: DbExecutor, studyId: string): Promise<boolean> {
  const [[study], versions] = await Promise.all([
    db.select({ config: schema.studies.draftConfig }).from(schema.studies).where(eq(schema.studies.id, studyId)),
    db.select({ config: schema.studyVersions.config }).from(schema.studyVersions).where(eq(schema.studyVersions.studyId, studyId)),
  ]);
  return [study, ...versions].some((row) => row && row.config.consentPromisesAnonymisedData !== false);
}

/** Pure: whether to pseudonymize, or why the request is refused. */
export function exportIdDecision(input: { promisesAnonymised: boolean; role: Role; hashIds: boolean; rawIds: boolean }): {
  hashExternalIds: boolean;
} {
  if (!input.promisesAnonymised) return { hashExternalIds: input.hashIds && !input.rawIds };
  if (!input.rawIds) return { hashExternalIds: true };
  if (input.role !== 'admin')
    throw new ServiceError(
      'FORBIDDEN',
      "This study's consent promises anonymised data, so exports carry pseudonymous ids. Only an admin can export the raw Prolific/MTurk ids.",
    );
  return { hashExternalIds: false };
}
