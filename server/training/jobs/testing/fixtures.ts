/** Test helpers for training jobs: a ready dataset with preference pairs, and waiting on a job's status. */
import { randomUUID } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import { schema, type Database } from '../../../../db';

/** A ready synthetic dataset: `conversations` conversations of two turns, each turn with a chosen and a rejected reply. */
export async function insertReadyDataset(db: Database, opts: { conversations?: number; evalEvery?: number } = {}) {
  const n = opts.conversations ?? 4;
  const [dataset] = await db
    .insert(schema.trainingDatasets)
    .values({
      name: `test-dataset-${randomUUID().slice(0, 8)}`,
      version: 1,
      sourceKind: 'synthetic',
      status: 'ready',
      settings: { systemPrompt: 'You are a collaborative writing assistant.' },
      seed: 'seed',
      splitSeed: 'split',
      appVersion: 'test',
    })
    .returning();
  for (let i = 0; i < n; i++) {
    const user1 = { role: 'user' as const, content: `Help me write an article about topic ${i}.` };
    const reply1 = `What audience is topic ${i} for?`;
    const user2 = { role: 'user' as const, content: 'Beginners, please.' };
    const reply2 = `Here is a draft about topic ${i} for beginners.`;
    const [conversation] = await db
      .insert(schema.trainingConversations)
      .values({
        datasetId: dataset!.id,
        idx: i,
        split: opts.evalEvery && i % opts.evalEvery === opts.evalEvery - 1 ? 'eval' : 'train',
        status: 'completed',
        messages: [user1, { role: 'assistant', content: reply1 }, user2, { role: 'assistant', content: reply2 }],
      })
      .returning();
    await db.insert(schema.trainingTurns).values([
      { datasetId: dataset!.id, conversationId: conversation!.id, turnIndex: 0, prompt: [user1], completion: reply1, rejectedCompletion: 'Here is a generic article.', chosenMr: 0.4, rejectedMr: 0.2 },
      {
        datasetId: dataset!.id,
        conversationId: conversation!.id,
        turnIndex: 1,
        prompt: [user1, { role: 'assistant', content: reply1 }, user2],
        completion: reply2,
        rejectedCompletion: 'Sure.',
        chosenMr: 0.5,
        rejectedMr: 0.1,
      },
    ]);
  }
  return dataset!;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits (generously: CI machines are busy) until the job reaches one of the statuses; returns the row. */
export async function waitForJob(db: Database, jobId: string, statuses: string[], timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [job] = await db.select().from(schema.trainingJobs).where(eq(schema.trainingJobs.id, jobId));
    if (job && statuses.includes(job.status)) return job;
    if (Date.now() > deadline) throw new Error(`training job ${jobId} is ${job?.status} (${job?.statusReason}), expected ${statuses.join('/')}`);
    await sleep(25);
  }
}

export async function jobEvents(db: Database, jobId: string) {
  return db
    .select()
    .from(schema.trainingJobEvents)
    .where(eq(schema.trainingJobEvents.jobId, jobId))
    .orderBy(asc(schema.trainingJobEvents.createdAt), asc(schema.trainingJobEvents.occurredAt));
}
