/**
 * Exports default to pseudonymous ids when the consent promises anonymised data; raw ids need an
 * admin and are audit-logged. Through the real route handler, on Postgres, reading the real zip.
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { closeDb, getDb, schema, type Database } from '../../db';
import { sha256 } from '../lib/secret';
import { seedParticipant, seedStudy } from '../insights/testing/seed';
import { GET } from '../../app/api/studies/[studyId]/export/route';
import { pseudonymize } from './participant-scope';
import { exportIdDecision } from './id-policy';

let db: Database;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'collab-idpolicy-'));

async function tokenFor(role: 'viewer' | 'researcher' | 'admin') {
  const [user] = await db.insert(schema.users).values({ email: `${role}-${crypto.randomUUID()}@test.local`, role }).returning();
  const token = `cst_${crypto.randomBytes(24).toString('base64url')}`;
  await db.insert(schema.apiTokens).values({ userId: user!.id, name: 'test', tokenHash: sha256(token), prefix: token.slice(0, 8) });
  return token;
}

async function exportedIds(studyId: string, token: string, query = '') {
  const res = await GET(
    // JSONL keeps ids exact; in CSV a pseudonym starting with "-" (1 in 64) is rightly neutralised with a leading "'".
    new Request(`http://localhost/api/studies/${studyId}/export?formats=jsonl${query}`, { headers: { authorization: `Bearer ${token}` } }),
    { params: Promise.resolve({ studyId }) },
  );
  if (res.status !== 200) return { status: res.status, body: (await res.json()) as { error: { code: string; message: string } } };
  const file = path.join(tmp, `${crypto.randomUUID()}.zip`);
  fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  const jsonl = execFileSync('unzip', ['-p', file, '*/participants.jsonl'], { encoding: 'utf8' });
  return { status: 200, ids: jsonl.trim().split('\n').map((line) => (JSON.parse(line) as { external_id: string | null }).external_id) };
}

async function studyWithPromise(promise: boolean) {
  const seeded = await seedStudy(db);
  const config = { ...seeded.versions[0]!.config, consentPromisesAnonymisedData: promise };
  await db.update(schema.studyVersions).set({ config }).where(eq(schema.studyVersions.id, seeded.versions[0]!.id));
  await db.update(schema.studies).set({ draftConfig: config }).where(eq(schema.studies.id, seeded.study.id));
  await seedParticipant(db, seeded.study.id, { versionId: seeded.versions[0]!.id, armKey: 'baseline', outcome: 'completed', externalId: 'PROLIFIC_RAW1' });
  return seeded.study.id;
}

beforeAll(async () => {
  db = await getDb();
});
afterAll(closeDb);

describe('export ids when the consent promises anonymised data', () => {
  it('are pseudonymous by default for every role, even when hashIds is not asked for', async () => {
    const studyId = await studyWithPromise(true);
    for (const role of ['viewer', 'researcher', 'admin'] as const) {
      const out = await exportedIds(studyId, await tokenFor(role));
      expect(out.ids).toEqual([pseudonymize(studyId, 'PROLIFIC_RAW1')]);
    }
  });

  it('are raw only for an admin who asks, and that export is audit-logged as unhashed', async () => {
    const studyId = await studyWithPromise(true);
    for (const role of ['viewer', 'researcher'] as const) {
      const refused = await exportedIds(studyId, await tokenFor(role), '&rawIds=1');
      expect(refused.status).toBe(403);
      expect(refused.body!.error.message).toMatch(/Only an admin/);
    }
    expect((await exportedIds(studyId, await tokenFor('admin'), '&rawIds=1')).ids).toEqual(['PROLIFIC_RAW1']);
    const audit = await db.select().from(schema.auditLog).where(eq(schema.auditLog.targetId, studyId));
    expect(audit.map((a) => (a.details as { externalIdsHashed?: boolean }).externalIdsHashed)).toEqual([false]);
  });

  it('without the promise, stay raw unless pseudonyms are asked for', async () => {
    const studyId = await studyWithPromise(false);
    const token = await tokenFor('researcher');
    expect((await exportedIds(studyId, token)).ids).toEqual(['PROLIFIC_RAW1']);
    expect((await exportedIds(studyId, token, '&hashIds=1')).ids).toEqual([pseudonymize(studyId, 'PROLIFIC_RAW1')]);
  });

  it('treats configs saved before the setting existed as promising anonymised data', () => {
    expect(exportIdDecision({ promisesAnonymised: true, role: 'researcher', hashIds: false, rawIds: false })).toEqual({ hashExternalIds: true });
  });
});
