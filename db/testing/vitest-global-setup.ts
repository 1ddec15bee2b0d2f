/** One fresh Postgres database per vitest run; test files share it and use unique slugs/ids. */
import { createTestDatabase, dropTestDatabase } from './test-database';

export default async function setup() {
  const url = await createTestDatabase('collab_vitest');
  process.env.DATABASE_URL = url;
  return async () => {
    await dropTestDatabase(url);
  };
}
