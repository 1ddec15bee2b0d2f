import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, getDb, schema, type Database } from '../../db';
import { sha256 } from '../lib/secret';
import { seedParticipant, seedStudy } from '../insights/testing/seed';
import { GET } from '../../app/api/studies/[studyId]/export/route';

let db: Database;

async function tokenFor(role: 'viewer' | 'researcher' | 'admin', opts: { disabled?: boolean; revoked?: boolean } = {}) {
  const [user] = await db
    .insert(schema.users)
    .values({ email: `${role}-${crypto.randomUUID()}@test.local`, role, disabledAt: opts.disabled ? new Date() : null })
    .returning();
  const token = `cst_${crypto.randomBytes(24).toString('base64url')}`;
  await db.insert(schema.apiTokens).values({
    userId: user!.id,
    name: 'test',
    tokenHash: sha256(token),
    prefix: token.slice(0, 8),
    revokedAt: opts.revoked ? new Date() : null,
  });
  return token;
}

function call(studyId: string, token: string | null, query = '') {
  const headers = new Headers(token ? { authorization: `Bearer ${token}` } : {});
  return GET(new Request(`http://localhost/api/studies/${studyId}/export${query}`, { headers }), {
    params: Promise.resolve({ studyId }),
  });
}

describe('GET /api/studies/:id/export with a personal API token', () => {
  let studyId: string;
  beforeAll(async () => {
    db = await getDb();
    const seeded = await seedStudy(db);
    studyId = seeded.study.id;
    await seedParticipant(db, studyId, { versionId: seeded.versions[0]!.id, armKey: 'baseline', outcome: 'completed', turns: [{ user: 'u', assistant: 'a' }] });
  });
  afterAll(closeDb);

  it('streams a zip for every staff role', async () => {
    for (const role of ['viewer', 'researcher', 'admin'] as const) {
      const res = await call(studyId, await tokenFor(role));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/zip');
      expect(res.headers.get('content-disposition')).toMatch(/attachment; filename=".+\.zip"/);
      const body = Buffer.from(await res.arrayBuffer());
      expect(body.subarray(0, 2).toString()).toBe('PK');
    }
  });

  it('answers UNAUTHORIZED as JSON for unknown, revoked or disabled tokens', async () => {
    for (const token of ['cst_not-a-real-token', await tokenFor('admin', { revoked: true }), await tokenFor('admin', { disabled: true })]) {
      const res = await call(studyId, token);
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');
    }
  });

  it('rejects bad options and unknown studies with JSON errors', async () => {
    const token = await tokenFor('viewer');
    const bad = await call(studyId, token, '?formats=xml');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('BAD_REQUEST');
    const missing = await call(crypto.randomUUID(), token);
    expect(missing.status).toBe(404);
    const notUuid = await call('nope', token);
    expect(notUuid.status).toBe(404);
  });

  it('records the export in the audit log', async () => {
    const token = await tokenFor('researcher');
    await (await call(studyId, token, '?formats=csv&hashIds=1')).arrayBuffer();
    const rows = await db.select().from(schema.auditLog);
    expect(rows.some((r) => r.action === 'study.export' && r.targetId === studyId && (r.details as { hashIds?: boolean }).hashIds === true)).toBe(true);
  });
});
