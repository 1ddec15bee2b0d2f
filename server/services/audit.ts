/**
 * The audit trail: who launched, published, changed roles or connections, and when.
 * Written inside the caller's transaction so an action and its audit row commit together.
 */
import type { DbExecutor } from '../../db';
import { schema } from '../../db';

export type AuditAction =
  | 'user.created'
  | 'user.role_changed'
  | 'user.disabled'
  | 'user.enabled'
  | 'user.password_changed'
  | 'admin.bootstrapped'
  | 'token.created'
  | 'token.revoked'
  | 'connection.created'
  | 'connection.updated'
  | 'connection.deleted'
  | 'study.created'
  | 'study.launched'
  | 'study.version_published'
  | 'study.status_changed'
  | (string & {});

export interface AuditEntry {
  actorUserId: string | null;
  action: AuditAction;
  targetType?: string;
  targetId?: string;
  details?: Record<string, unknown>;
}

export async function recordAudit(db: DbExecutor, entry: AuditEntry): Promise<void> {
  await db.insert(schema.auditLog).values({
    actorUserId: entry.actorUserId,
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    details: entry.details ?? null,
  });
}
