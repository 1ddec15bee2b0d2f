import { dropTestDatabase } from '../../db/testing/test-database';
import { e2eDatabaseUrl } from './env';

export default async function globalTeardown() {
  // The server may still hold connections for a moment; WITH (FORCE) ends them.
  await dropTestDatabase(e2eDatabaseUrl()).catch((err) => console.warn('could not drop e2e database', err));
}
