/**
 * The audit trail: who launched, published, changed roles or connections, and when.
 * Written inside the caller's transaction so an action and its audit row commit together.
 */
import { desc, eq } from 'drizzle-orm';
import type { DbExecutor } from '../../db';
import { schema } from '../../db';
import { requireRole } from '../auth/roles';
import type { ServiceContext } from './context';

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
  | 'benchmark.run_started'
  | 'benchmark.run_cancelled'
  | 'benchmark.rescore_requested'
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

export interface AuditRow {
  id: string;
  action: string;
  actorEmail: string | null;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown> | null;
  createdAt: Date;
}

/** The most recent audit entries, newest first (admins). */
export async function listAudit(ctx: ServiceContext, opts: { limit?: number } = {}): Promise<AuditRow[]> {
  requireRole(ctx.actor, 'admin');
  const limit = Math.min(Math.max(opts.limit ?? 200, 1), 1000);
  return ctx.db
    .select({
      id: schema.auditLog.id,
      action: schema.auditLog.action,
      actorEmail: schema.users.email,
      targetType: schema.auditLog.targetType,
      targetId: schema.auditLog.targetId,
      details: schema.auditLog.details,
      createdAt: schema.auditLog.createdAt,
    })
    .from(schema.auditLog)
    .leftJoin(schema.users, eq(schema.users.id, schema.auditLog.actorUserId))
    .orderBy(desc(schema.auditLog.createdAt))
    .limit(limit);
}
