/**
 * Guards for server-rendered staff pages. The (staff) layout already sends signed-out visitors
 * to /sign-in; pages call this for their own minimum role (layouts and pages render in parallel,
 * so a page must not rely on the layout having checked).
 */
import 'server-only';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import type { Actor, Role } from './session';
import { getSessionActor } from './session';
import { hasRole } from './roles';
import { PATHNAME_HEADER, signInUrl } from './redirect';

export async function currentPath(): Promise<string | null> {
  return (await headers()).get(PATHNAME_HEADER);
}

/** The signed-in actor with at least `minimum`; otherwise a redirect to sign-in or the "not allowed" page. */
export async function requirePageRole(minimum: Role = 'viewer'): Promise<Actor> {
  const actor = await getSessionActor();
  if (!actor) redirect(signInUrl(await currentPath()));
  if (!hasRole(actor, minimum)) redirect(`/forbidden?need=${minimum}`);
  return actor;
}
