/**
 * Who may open a study as a participant in preview mode (`/s/<slug>?preview=1`).
 * The participant flow calls this and ignores the preview flag for anyone else, so a
 * recruited participant cannot make themselves uncounted by adding it to their link.
 */
import type { Actor } from '../auth/session';
import { hasRole } from '../auth/roles';

export function canPreview(actor: Actor | null | undefined): boolean {
  return hasRole(actor, 'researcher');
}
