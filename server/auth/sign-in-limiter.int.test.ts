import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { closeDb, getDb, schema, type Database } from '../../db';
import { limitedSignIn, reserveSignInAttempt, type SignInLimits } from './sign-in-limiter';

let db: Database;
beforeAll(async () => {
  db = await getDb();
});
afterAll(closeDb);

const unique = (label: string) => `${label}-${Date.now()}-${Math.floor(Math.random() * 1e9)}`;
const limits: SignInLimits = { perEmail: 5, perAddress: 12, windowMs: 15 * 60_000 };

/** A password check that counts how often it really ran (stands in for bcrypt) and always fails. */
function countingWrongPassword() {
  const counter = { checks: 0 };
  const verify = async () => {
    counter.checks++;
    await new Promise((resolve) => setImmediate(resolve));
    return null;
  };
  return { counter, verify };
}

describe('sign-in limits in Postgres', () => {
  it('lets at most the limit of concurrent wrong passwords for one email reach the password check', async () => {
    const email = `${unique('race')}@test.local`;
    const { counter, verify } = countingWrongPassword();
    // Every guess from its own address, so only the per-email limit applies.
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => limitedSignIn(db, { email, address: `10.1.0.${i}` }, verify, limits)),
    );
    expect(counter.checks).toBe(limits.perEmail);
    expect(results.filter((r) => r.outcome === 'wrong')).toHaveLength(limits.perEmail);
    expect(results.filter((r) => r.outcome === 'blocked')).toHaveLength(30 - limits.perEmail);
    expect(results.every((r) => r.outcome !== 'blocked' || r.blockedBy === 'email')).toBe(true);
  });

  it('keeps a block however many other emails are tried afterwards', async () => {
    const victim = `${unique('victim')}@test.local`;
    for (let i = 0; i < limits.perEmail; i++) await reserveSignInAttempt(db, { email: victim, address: `10.2.0.${i}` }, limits);
    expect(await reserveSignInAttempt(db, { email: victim, address: '10.2.1.1' }, limits)).toEqual({ allowed: false, blockedBy: 'email' });
    // More made-up emails than the old in-memory limiter kept (10,000), from many addresses.
    const flood = Array.from({ length: 10_050 }, (_, i) => ({ email: `${unique('flood')}-${i}@test.local`, address: `10.3.${i >> 8}.${i & 255}` }));
    for (let i = 0; i < flood.length; i += 50) {
      await Promise.all(flood.slice(i, i + 50).map((a) => reserveSignInAttempt(db, a, limits)));
    }
    expect(await reserveSignInAttempt(db, { email: victim, address: '10.2.1.2' }, limits)).toEqual({ allowed: false, blockedBy: 'email' });
  }, 180_000);

  it('limits one client address across many emails, and a success gives its attempt back', async () => {
    const address = unique('addr');
    const { counter, verify } = countingWrongPassword();
    for (let i = 0; i < limits.perAddress - 1; i++) {
      expect((await limitedSignIn(db, { email: `${unique('spray')}@test.local`, address }, verify, limits)).outcome).toBe('wrong');
    }
    // A colleague behind the same address signs in correctly: that attempt is not held against the address.
    const ok = await limitedSignIn(db, { email: `${unique('colleague')}@test.local`, address }, async () => ({ id: 'u' }), limits);
    expect(ok.outcome).toBe('signed-in');
    expect((await limitedSignIn(db, { email: `${unique('spray')}@test.local`, address }, verify, limits)).outcome).toBe('wrong');
    const blocked = await limitedSignIn(db, { email: `${unique('spray')}@test.local`, address }, verify, limits);
    expect(blocked).toEqual({ outcome: 'blocked', blockedBy: 'address' });
    expect(counter.checks).toBe(limits.perAddress);
    // Another address is unaffected.
    expect((await limitedSignIn(db, { email: `${unique('spray')}@test.local`, address: unique('other') }, verify, limits)).outcome).toBe('wrong');
  });

  it('holds across separate database clients (stand-ins for web processes) and ends with its window', async () => {
    // Its own connection pool, as another web process would have.
    const client = postgres(process.env.DATABASE_URL!, { max: 4, onnotice: () => {} });
    const second = { db: drizzle(client, { schema, casing: 'snake_case' }) as unknown as Database };
    try {
      const email = `${unique('procs')}@test.local`;
      const clients = [db, second.db];
      const verdicts = await Promise.all(
        Array.from({ length: 12 }, (_, i) => reserveSignInAttempt(clients[i % 2]!, { email, address: `10.4.0.${i}` }, limits)),
      );
      expect(verdicts.filter((v) => v.allowed)).toHaveLength(limits.perEmail);
      // The block is in the database, not in either client: a "restarted process" sees it too.
      expect((await reserveSignInAttempt(second.db, { email, address: '10.4.1.1' }, limits)).allowed).toBe(false);
      const later = new Date(Date.now() + limits.windowMs + 1000);
      expect(await reserveSignInAttempt(db, { email, address: '10.4.1.2' }, limits, later)).toEqual({ allowed: true });
    } finally {
      await client.end();
    }
  });

  it('starts an email afresh after a correct password', async () => {
    const email = `${unique('fresh')}@test.local`;
    const { verify } = countingWrongPassword();
    for (let i = 0; i < limits.perEmail - 1; i++) await limitedSignIn(db, { email, address: `10.5.0.${i}` }, verify, limits);
    expect((await limitedSignIn(db, { email, address: '10.5.1.0' }, async () => ({ id: 'u' }), limits)).outcome).toBe('signed-in');
    for (let i = 0; i < limits.perEmail; i++) {
      expect((await limitedSignIn(db, { email, address: `10.5.2.${i}` }, verify, limits)).outcome).toBe('wrong');
    }
    expect((await limitedSignIn(db, { email, address: '10.5.3.0' }, verify, limits)).outcome).toBe('blocked');
  });
});
