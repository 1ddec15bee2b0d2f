/** Manual exclusions by researchers; automatic ones (failed attention checks) are derived in populations.ts. */
import { and, eq } from 'drizzle-orm';
import type { Database } from '../../db';
import { schema } from '../../db';
import type { ServiceContext } from '../services/context';
import { badRequest, notFound, ServiceError } from '../services/errors';

export interface SetExclusionInput {
  studyId: string;
  participantId: string;
  excluded: boolean;
  /** Required when excluding; shown in the flow diagram and exported. */
  reason?: string;
}

export async function setExclusion(ctx: ServiceContext & { db: Database }, input: SetExclusionInput) {
  if (!ctx.actor) throw new ServiceError('FORBIDDEN', 'Please sign in.');
  const reason = input.reason?.trim() ?? '';
  if (input.excluded && reason.length < 3) throw badRequest('Give a reason for the exclusion (at least 3 characters).');
  return ctx.db.transaction(async (tx) => {
    const p = schema.participants;
    const [updated] = await tx
      .update(p)
      .set(
        input.excluded
          ? { excluded: true, exclusionReason: reason, excludedById: ctx.actor!.id }
          : { excluded: false, exclusionReason: null, excludedById: null },
      )
      .where(and(eq(p.id, input.participantId), eq(p.studyId, input.studyId)))
      .returning({ id: p.id, excluded: p.excluded, exclusionReason: p.exclusionReason });
    if (!updated) throw notFound('The participant');
    await tx.insert(schema.auditLog).values({
      actorUserId: ctx.actor!.id,
      action: input.excluded ? 'participant.exclude' : 'participant.include',
      targetType: 'participant',
      targetId: input.participantId,
      details: { studyId: input.studyId, reason: input.excluded ? reason : null },
    });
    return updated;
  });
}
