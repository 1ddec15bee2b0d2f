/**
 * The manifest (JSON) and the dataset card (Markdown) that go with every export: where the data came from,
 * the settings and seeds that reproduce it, the app version, counts per format and split, and how to load it.
 */
import { and, count, eq, isNotNull } from 'drizzle-orm';
import type { DbExecutor } from '../../../db';
import { trainingConversations, trainingDatasets, trainingTurns } from '../../../db/schema';
import { notFound } from '../../services/errors';
import { appVersion } from '../app-version';
import { DATASET_EXPORT_FORMATS, exportFileName, isPreferenceFormat } from './formats';

export async function datasetManifest(db: DbExecutor, datasetId: string) {
  const [dataset] = await db.select().from(trainingDatasets).where(eq(trainingDatasets.id, datasetId));
  if (!dataset) throw notFound('Dataset');
  const [convRows, pairRows] = await Promise.all([
    db
      .select({ split: trainingConversations.split, n: count() })
      .from(trainingConversations)
      .where(and(eq(trainingConversations.datasetId, datasetId), eq(trainingConversations.status, 'completed')))
      .groupBy(trainingConversations.split),
    db
      .select({ split: trainingConversations.split, n: count() })
      .from(trainingTurns)
      .innerJoin(trainingConversations, eq(trainingConversations.id, trainingTurns.conversationId))
      .where(and(eq(trainingTurns.datasetId, datasetId), eq(trainingConversations.status, 'completed'), isNotNull(trainingTurns.rejectedCompletion)))
      .groupBy(trainingConversations.split),
  ]);
  const per = (rows: { split: string; n: number }[]) => {
    const train = rows.find((r) => r.split === 'train')?.n ?? 0;
    const evalN = rows.find((r) => r.split === 'eval')?.n ?? 0;
    return { train, eval: evalN, all: train + evalN };
  };
  const conversations = per(convRows);
  const pairs = per(pairRows);
  return {
    kind: 'collabstudy-training-dataset',
    manifestVersion: 1,
    dataset: {
      id: dataset.id,
      name: dataset.name,
      version: dataset.version,
      source: dataset.sourceKind,
      status: dataset.status,
      isDemo: dataset.isDemo,
      createdAt: dataset.createdAt,
      finishedAt: dataset.finishedAt,
      createdWith: dataset.appVersion,
    },
    exportedWith: appVersion(),
    exportedAt: new Date().toISOString(),
    settings: dataset.settings,
    seeds: {
      seed: dataset.seed,
      splitSeed: dataset.splitSeed,
      evalRatio: dataset.evalRatio,
      derivation:
        'conversation = <seed>:conversation:<idx>; a turn = <conversation>:turn:<t>; a forward sample = <turn>:sample:<s>; ' +
        'request seeds = sha256("request:<role>:<that seed>") (first 31 bits); eval split = the round(n·evalRatio) conversations with the smallest sha256(<splitSeed>:<idx>).',
    },
    counts: dataset.counts,
    files: DATASET_EXPORT_FORMATS.flatMap((format) =>
      (['train', 'eval'] as const).map((split) => ({
        format,
        split,
        file: exportFileName(dataset.name, dataset.version, format, split),
        lines: isPreferenceFormat(format) ? pairs[split] : conversations[split],
      })),
    ),
  };
}

export async function datasetCard(db: DbExecutor, datasetId: string): Promise<string> {
  const m = await datasetManifest(db, datasetId);
  const s = m.settings as Record<string, unknown>;
  const mr = (s.mr ?? null) as Record<string, unknown> | null;
  const lines = [
    `# ${m.dataset.name} (version ${m.dataset.version})`,
    '',
    m.dataset.isDemo ? '> **Demo data.** Made with the offline demo model, scripted simulated user or demo judge: for trying the pipeline, not for training a real model.\n' : '',
    `- Source: ${m.dataset.source === 'synthetic' ? 'synthetic multiturn conversations (CollabLLM-style generation loop with multiturn-aware rewards)' : 'conversations of a human study (completed, non-excluded participants; pseudonymous ids)'}`,
    `- Status: ${m.dataset.status}; created ${new Date(m.dataset.createdAt).toISOString()} with ${m.dataset.createdWith}`,
    `- Conversations: ${m.counts.completed ?? 0} (train ${m.counts.train ?? 0}, eval ${m.counts.eval ?? 0}); turns ${m.counts.turns ?? 0}; preference pairs ${m.counts.pairs ?? 0}`,
    `- Seeds: \`${m.seeds.seed}\`, split seed \`${m.seeds.splitSeed}\`, eval ratio ${m.seeds.evalRatio}`,
    '',
  ];
  if (mr) {
    lines.push(
      '## Multiturn-aware reward',
      '',
      `Each candidate reply was scored by ${String(mr.samples)} forward samples of window ${String(mr.window)} (simulated user and policy continuing the chat); a sample's reward is Σ weight·component − min(λ·tokens, 1) with weights \`${JSON.stringify(mr.weights)}\` and λ = ${String(mr.lambda)}; a candidate's MR is the mean over its samples.`,
      `The reply with the highest MR was kept (ties: lower spread); a turn has a preference pair when the best and worst MR differ by at least ${String(s.minGap)}.`,
      '',
    );
  }
  lines.push('## Files', '', '| File | Format | Split | Lines |', '| --- | --- | --- | --- |');
  for (const f of m.files) lines.push(`| ${f.file} | ${f.format} | ${f.split} | ${f.lines} |`);
  lines.push(
    '',
    '## Formats',
    '',
    '- `trl-sft`, `openai-sft`: `{"messages": [...]}` — one whole chosen conversation per line (system prompt first when set).',
    '- `trl-dpo`: `{"prompt": [...], "chosen": [{"role": "assistant", ...}], "rejected": [...]}` — TRL conversational preference format.',
    '- `openai-dpo`: `{"input": {"messages": [...]}, "preferred_output": [...], "non_preferred_output": [...]}` — OpenAI preference fine-tuning.',
    '',
    'Load with 🤗 datasets: `load_dataset("json", data_files={"train": "<train file>", "test": "<eval file>"})`.',
    '',
  );
  return lines.filter((l, i) => l !== '' || lines[i - 1] !== '').join('\n');
}
