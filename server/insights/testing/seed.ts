/**
 * Test data for the researcher area: a study with frozen versions and participants with every kind of
 * record the participant flow produces. Used by tests and the benchmarks only, never by app code.
 */
import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Database } from '../../../db';
import { schema } from '../../../db';
import type { StudyConfig } from '../../studies/config';

export function testStudyConfig(armKeys: string[] = ['baseline', 'collabllm']): StudyConfig {
  return {
    title: 'Writing with an assistant',
    consent: { version: 'v1', text: 'You agree to take part.' },
    consentPromisesAnonymisedData: false,
    instructions: 'Write a document with the assistant.',
    documentTypes: [{ key: 'blog', label: 'Blog post', description: '' }],
    topics: [{ id: 'travel', label: 'Travel' }],
    topicQuestions: [{ id: 'q1', prompt: 'What is it about?', placeholder: '' }],
    arms: armKeys.map((key) => ({
      key,
      label: key[0]!.toUpperCase() + key.slice(1),
      connectionId: null,
      model: 'baseline',
      systemPrompt: '',
      temperature: 0.8,
      topP: 1,
      maxTokens: 1024,
      weight: 1,
    })),
    minTurns: 1,
    maxTurns: 30,
    ratingInterval: 3,
    maxMessageChars: 4000,
    messagesPerMinute: 12,
    timeLimitMinutes: 90,
    inactiveAfterMinutes: 30,
    minFreeTextChars: 0,
    blindingOptions: ['A', 'B'],
    attentionChecks: [
      { id: 'c1', prompt: 'Pick blue', options: ['red', 'blue'], correctOption: 'blue' },
      { id: 'c2', prompt: 'Pick red', options: ['red', 'blue'], correctOption: 'red' },
    ],
    completionCodes: { completed: 'DONE', noConsent: 'NOC', failedChecks: 'FAIL', timedOut: 'TIME' },
    prolificCompletionUrl: 'https://app.prolific.com/submissions/complete?cc={code}',
  };
}

export async function seedStudy(db: Database, opts: { armKeys?: string[]; versions?: number } = {}) {
  const config = testStudyConfig(opts.armKeys);
  const slug = `t-${crypto.randomBytes(5).toString('hex')}`;
  const [study] = await db
    .insert(schema.studies)
    .values({ slug, name: `Study ${slug}`, status: 'running', draftConfig: config, assignmentSeed: 'seed-1' })
    .returning();
  const versions = [];
  for (let v = 1; v <= (opts.versions ?? 1); v++) {
    const [row] = await db.insert(schema.studyVersions).values({ studyId: study!.id, version: v, config }).returning();
    versions.push(row!);
  }
  await db.update(schema.studies).set({ currentVersionId: versions[versions.length - 1]!.id }).where(eq(schema.studies.id, study!.id));
  return { study: study!, versions, config };
}

export interface SeedParticipant {
  versionId: string;
  armKey?: string | null;
  externalId?: string | null;
  source?: 'prolific' | 'mturk' | 'link' | 'preview';
  isPreview?: boolean;
  consented?: boolean;
  outcome?: 'completed' | 'no_consent' | 'failed_checks' | 'timed_out' | null;
  stage?: 'consent' | 'instructions' | 'setup' | 'chat' | 'survey' | 'done';
  attentionFailures?: number | null;
  excluded?: boolean;
  exclusionReason?: string | null;
  /** Participant/assistant message pairs. */
  turns?: { user: string; assistant: string; isDemo?: boolean }[];
  generating?: { since: Date } | null;
  ratings?: { afterTurn: number; value: number }[];
  survey?: { documentQuality: number; overallInteraction: number } | null;
  startedAt?: Date;
  durationSec?: number;
  heartbeatAt?: Date | null;
  drafts?: string[];
}

let sequence = 0;

export async function seedParticipant(db: Database, studyId: string, p: SeedParticipant) {
  const start = p.startedAt ?? new Date(Date.now() - 3600_000);
  const end = new Date(start.getTime() + (p.durationSec ?? 600) * 1000);
  const finished = p.outcome !== undefined && p.outcome !== null;
  const [participant] = await db
    .insert(schema.participants)
    .values({
      studyId,
      studyVersionId: p.versionId,
      source: p.source ?? (p.externalId ? 'prolific' : 'link'),
      externalId: p.externalId ?? null,
      externalParams: p.externalId ? { PROLIFIC_PID: p.externalId, STUDY_ID: 'abc' } : {},
      isPreview: p.isPreview ?? false,
      stage: p.stage ?? (finished ? 'done' : 'chat'),
      outcome: p.outcome ?? null,
      consentVersion: p.consented === false ? null : 'v1',
      consentedAt: p.consented === false ? null : start,
      armKey: p.armKey ?? null,
      documentType: 'blog',
      topicId: 'travel',
      topicAnswers: { q1: 'A trip to Lisbon' },
      attentionFailures: p.attentionFailures ?? null,
      excluded: p.excluded ?? false,
      exclusionReason: p.exclusionReason ?? null,
      createdAt: start,
      lastSeenAt: end,
      finishedAt: finished ? end : null,
    })
    .returning();
  const id = participant!.id;
  if (p.armKey) {
    await db.insert(schema.assignments).values({
      participantId: id,
      studyId,
      studyVersionId: p.versionId,
      armKey: p.armKey,
      algorithmVersion: 'test-1',
      seed: 'seed-1',
      draw: 0.5,
      countsSeen: {},
      sequence: ++sequence,
      createdAt: start,
    });
  }
  await db.insert(schema.stageVisits).values([
    { participantId: id, stage: 'consent', enteredAt: start, leftAt: new Date(start.getTime() + 30_000) },
    { participantId: id, stage: 'chat', enteredAt: new Date(start.getTime() + 30_000), leftAt: finished ? end : null },
  ]);
  if (p.turns?.length || p.generating) {
    const [conversation] = await db
      .insert(schema.conversations)
      .values({ kind: 'participant', participantId: id, armKey: p.armKey ?? null, assistantConfig: { model: 'baseline', demo: true } })
      .returning();
    const rows: (typeof schema.messages.$inferInsert)[] = [];
    let seq = 0;
    for (const [i, t] of (p.turns ?? []).entries()) {
      const at = new Date(start.getTime() + 60_000 + i * 20_000);
      rows.push({ conversationId: conversation!.id, seq: seq++, role: 'user', content: t.user, createdAt: at });
      rows.push({
        conversationId: conversation!.id,
        seq: seq++,
        role: 'assistant',
        content: t.assistant,
        model: 'baseline',
        isDemoModel: t.isDemo ?? false,
        ttftMs: 300,
        generationMs: 2000,
        createdAt: new Date(at.getTime() + 100),
        completedAt: new Date(at.getTime() + 2100),
      });
    }
    if (p.generating) {
      rows.push({ conversationId: conversation!.id, seq: seq++, role: 'user', content: 'one more thing', createdAt: p.generating.since });
      rows.push({ conversationId: conversation!.id, seq: seq++, role: 'assistant', content: '', status: 'generating', createdAt: p.generating.since });
    }
    await db.insert(schema.messages).values(rows);
  }
  if (p.ratings?.length) await db.insert(schema.ratings).values(p.ratings.map((r) => ({ participantId: id, ...r })));
  if (p.survey) {
    await db.insert(schema.surveyResponses).values({
      participantId: id,
      ...p.survey,
      strengths: 'Helpful questions',
      weaknesses: 'A bit slow',
      blindingGuess: 'A',
      attentionAnswers: { c1: 'blue', c2: 'red' },
      finalDocument: 'Final text',
    });
  }
  if (p.heartbeatAt) {
    await db.insert(schema.heartbeats).values({ participantId: id, stage: 'chat', focused: true, idle: false, intervalMs: 15_000, receivedAt: p.heartbeatAt });
  }
  if (p.drafts?.length) {
    await db.insert(schema.documentDrafts).values(
      p.drafts.map((content, i) => ({ participantId: id, content, source: 'edit' as const, createdAt: new Date(start.getTime() + 120_000 + i * 1000) })),
    );
  }
  return participant!;
}
