/**
 * Role ordering shared by services, pages and tests. tRPC procedures enforce roles at the edge;
 * services re-check with these helpers so a server-side caller cannot skip the check.
 */
import type { Actor, Role } from './session';
import { ServiceError } from '../services/errors';

export const roles = ['viewer', 'researcher', 'admin'] as const satisfies readonly Role[];
const rank: Record<Role, number> = { viewer: 1, researcher: 2, admin: 3 };

export function hasRole(actor: Pick<Actor, 'role'> | null | undefined, minimum: Role): boolean {
  return !!actor && rank[actor.role] >= rank[minimum];
}

/** The acting user, or a FORBIDDEN error when there is none or the role is too low. */
export function requireRole(actor: Actor | null | undefined, minimum: Role): Actor {
  if (!actor) throw new ServiceError('FORBIDDEN', 'Please sign in.');
  if (!hasRole(actor, minimum)) throw new ServiceError('FORBIDDEN', 'Your role does not allow this.');
  return actor;
}

export const roleLabels: Record<Role, string> = { viewer: 'Viewer', researcher: 'Researcher', admin: 'Admin' };
