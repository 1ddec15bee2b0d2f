/**
 * User administration: the first admin at start-up, creating users with a role, role changes and
 * disabling. The last enabled admin can be neither disabled nor demoted, so an install can never
 * lock itself out.
 */
import { and, asc, eq, isNull, ne } from 'drizzle-orm';
import type { z } from 'zod';
import type { Database, DbExecutor, Tx } from '../../db';
import { schema } from '../../db';
import type { Actor, Role } from '../auth/session';
import { requireRole } from '../auth/roles';
import { recordAudit } from '../services/audit';
import type { ServiceContext } from '../services/context';
import { conflict, notFound, precondition, ServiceError } from '../services/errors';
import { generatePassword, hashPassword, verifyPassword } from './passwords';
import { bumpSessionVersion, revokeAllApiTokens } from './sessions';
import type {
  changeOwnPasswordInput,
  createUserInput,
  resetPasswordInput,
  setDisabledInput,
  setRoleInput,
} from './schemas';

export interface UserSummary {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  disabled: boolean;
  hasPassword: boolean;
  createdAt: Date;
}

/** Email used for the generated first admin when ADMIN_EMAIL is not set. */
export const DEFAULT_ADMIN_EMAIL = 'admin@collabstudy.local';

type UserRow = typeof schema.users.$inferSelect;

function summarize(u: UserRow): UserSummary {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    disabled: u.disabledAt !== null,
    hasPassword: u.passwordHash !== null,
    createdAt: u.createdAt,
  };
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export interface EnsureAdminResult {
  created: boolean;
  email?: string;
  /** Only when the password was generated; the caller prints it once. */
  generatedPassword?: string;
}

/**
 * Creates the first admin when there is none. With `email`/`password` (ADMIN_EMAIL / ADMIN_PASSWORD)
 * those are used; otherwise a password is generated and returned so start-up can print it once.
 * Safe when several processes start together: the unique email lets exactly one insert win.
 */
export async function ensureAdmin(db: Database, opts: { email?: string; password?: string } = {}): Promise<EnsureAdminResult> {
  const [existingAdmin] = await db
    .select({ id: schema.users.id })
    .from(schema.users)
    .where(eq(schema.users.role, 'admin'))
    .limit(1);
  if (existingAdmin) return { created: false };

  const email = normalizeEmail(opts.email ?? DEFAULT_ADMIN_EMAIL);
  const generated = opts.password ? undefined : generatePassword();
  const passwordHash = await hashPassword(opts.password ?? generated!);
  return db.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(schema.users)
      .values({ email, name: 'Administrator', role: 'admin', passwordHash })
      .onConflictDoNothing({ target: schema.users.email })
      .returning();
    if (!inserted) {
      // The address already exists (as a non-admin, or another process just created it).
      const [row] = await tx.select().from(schema.users).where(eq(schema.users.email, email));
      if (row && row.role !== 'admin' && opts.email) {
        await tx.update(schema.users).set({ role: 'admin', disabledAt: null }).where(eq(schema.users.id, row.id));
        await recordAudit(tx, { actorUserId: null, action: 'admin.bootstrapped', targetType: 'user', targetId: row.id, details: { promoted: true } });
        return { created: false, email };
      }
      return { created: false };
    }
    await recordAudit(tx, {
      actorUserId: null,
      action: 'admin.bootstrapped',
      targetType: 'user',
      targetId: inserted.id,
      details: { email, source: opts.password ? 'environment' : 'generated' },
    });
    return { created: true, email, generatedPassword: generated };
  });
}

export async function listUsers(ctx: ServiceContext): Promise<UserSummary[]> {
  requireRole(ctx.actor, 'admin');
  const rows = await ctx.db.select().from(schema.users).orderBy(asc(schema.users.email));
  return rows.map(summarize);
}

export async function getUser(db: DbExecutor, userId: string): Promise<UserSummary | null> {
  const [row] = await db.select().from(schema.users).where(eq(schema.users.id, userId));
  return row ? summarize(row) : null;
}

export async function createUser(ctx: ServiceContext, input: z.infer<typeof createUserInput>): Promise<UserSummary> {
  const actor = requireRole(ctx.actor, 'admin');
  const email = normalizeEmail(input.email);
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(schema.users)
      .values({ email, name: input.name?.trim() || null, role: input.role, passwordHash })
      .onConflictDoNothing({ target: schema.users.email })
      .returning();
    if (!row) throw conflict(`A user with the email ${email} already exists.`);
    await recordAudit(tx, {
      actorUserId: actor.id,
      action: 'user.created',
      targetType: 'user',
      targetId: row.id,
      details: { email, role: input.role },
    });
    return summarize(row);
  });
}

/**
 * Locks every enabled admin row, so two concurrent demotions cannot both see "another admin remains".
 */
async function enabledAdminIds(tx: Tx): Promise<string[]> {
  const rows = await tx
    .select({ id: schema.users.id })
    .from(schema.users)
    .where(and(eq(schema.users.role, 'admin'), isNull(schema.users.disabledAt)))
    .for('update');
  return rows.map((r) => r.id);
}

async function lockUser(tx: Tx, userId: string): Promise<UserRow> {
  const [row] = await tx.select().from(schema.users).where(eq(schema.users.id, userId)).for('update');
  if (!row) throw notFound('The user');
  return row;
}

export async function setUserRole(ctx: ServiceContext, input: z.infer<typeof setRoleInput>): Promise<UserSummary> {
  const actor = requireRole(ctx.actor, 'admin');
  return ctx.db.transaction(async (tx) => {
    const admins = await enabledAdminIds(tx);
    const user = await lockUser(tx, input.userId);
    if (user.role === input.role) return summarize(user);
    if (user.role === 'admin' && admins.length === 1 && admins[0] === user.id)
      throw precondition('This is the last admin. Make another user an admin first.');
    await bumpSessionVersion(tx, user.id);
    const [updated] = await tx
      .update(schema.users)
      .set({ role: input.role })
      .where(eq(schema.users.id, user.id))
      .returning();
    await recordAudit(tx, {
      actorUserId: actor.id,
      action: 'user.role_changed',
      targetType: 'user',
      targetId: user.id,
      details: { email: user.email, from: user.role, to: input.role },
    });
    return summarize(updated!);
  });
}

export async function setUserDisabled(ctx: ServiceContext, input: z.infer<typeof setDisabledInput>): Promise<UserSummary> {
  const actor = requireRole(ctx.actor, 'admin');
  return ctx.db.transaction(async (tx) => {
    const admins = await enabledAdminIds(tx);
    const user = await lockUser(tx, input.userId);
    if ((user.disabledAt !== null) === input.disabled) return summarize(user);
    if (input.disabled && user.role === 'admin' && admins.length === 1 && admins[0] === user.id)
      throw precondition('This is the last admin. Make another user an admin first.');
    const [updated] = await tx
      .update(schema.users)
      .set({ disabledAt: input.disabled ? new Date() : null })
      .where(eq(schema.users.id, user.id))
      .returning();
    if (input.disabled) {
      // A disabled account's sessions stay dead if it is enabled again, and its scripts stop at once too.
      await bumpSessionVersion(tx, user.id);
      await revokeAllApiTokens(tx, user.id);
    }
    await recordAudit(tx, {
      actorUserId: actor.id,
      action: input.disabled ? 'user.disabled' : 'user.enabled',
      targetType: 'user',
      targetId: user.id,
      details: { email: user.email },
    });
    return summarize(updated!);
  });
}

export async function resetUserPassword(ctx: ServiceContext, input: z.infer<typeof resetPasswordInput>): Promise<void> {
  const actor = requireRole(ctx.actor, 'admin');
  const passwordHash = await hashPassword(input.password);
  await ctx.db.transaction(async (tx) => {
    const user = await lockUser(tx, input.userId);
    await tx.update(schema.users).set({ passwordHash }).where(eq(schema.users.id, user.id));
    // Whoever knew the old password may hold a session or a token made with it.
    await bumpSessionVersion(tx, user.id);
    const tokensRevoked = await revokeAllApiTokens(tx, user.id);
    await recordAudit(tx, { actorUserId: actor.id, action: 'user.password_changed', targetType: 'user', targetId: user.id, details: { by: 'admin', tokensRevoked } });
  });
}

export async function changeOwnPassword(ctx: ServiceContext, input: z.infer<typeof changeOwnPasswordInput>): Promise<void> {
  const actor: Actor = requireRole(ctx.actor, 'viewer');
  const [row] = await ctx.db.select().from(schema.users).where(eq(schema.users.id, actor.id));
  if (!row) throw notFound('Your account');
  if (!row.passwordHash || !(await verifyPassword(input.currentPassword, row.passwordHash)))
    throw new ServiceError('BAD_REQUEST', 'The current password is not correct.');
  const passwordHash = await hashPassword(input.newPassword);
  await ctx.db.transaction(async (tx) => {
    await tx.update(schema.users).set({ passwordHash }).where(eq(schema.users.id, actor.id));
    // Ends every session, this one included (the page signs in again), and the tokens made with the old password.
    await bumpSessionVersion(tx, actor.id);
    const tokensRevoked = await revokeAllApiTokens(tx, actor.id);
    await recordAudit(tx, { actorUserId: actor.id, action: 'user.password_changed', targetType: 'user', targetId: actor.id, details: { by: 'self', tokensRevoked } });
  });
}

let dummyHash: Promise<string> | undefined;
function timingDummyHash(): Promise<string> {
  return (dummyHash ??= hashPassword(generatePassword()));
}

/** Checks an email + password pair; null for unknown, disabled or password-less users. */
export async function verifyCredentials(db: DbExecutor, email: string, password: string): Promise<UserRow | null> {
  const [user] = await db.select().from(schema.users).where(eq(schema.users.email, normalizeEmail(email)));
  if (!user?.passwordHash || user.disabledAt) {
    // Spend the same bcrypt time as for a real account, so response time does not reveal which emails exist.
    await verifyPassword(password, await timingDummyHash());
    return null;
  }
  return (await verifyPassword(password, user.passwordHash)) ? user : null;
}

/** Other enabled admins besides `userId` (used by pages to explain why a control is disabled). */
export async function countOtherEnabledAdmins(db: DbExecutor, userId: string): Promise<number> {
  const rows = await db
    .select({ id: schema.users.id })
    .from(schema.users)
    .where(and(eq(schema.users.role, 'admin'), isNull(schema.users.disabledAt), ne(schema.users.id, userId)));
  return rows.length;
}
