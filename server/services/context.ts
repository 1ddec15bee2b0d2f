import type { Database } from '../../db';
import type { Actor } from '../auth/session';

/** What a service verb needs: the database and, for staff actions, who is acting. */
export interface ServiceContext {
  db: Database;
  actor: Actor | null;
}
