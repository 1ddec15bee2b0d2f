/**
 * Turns a study's document types × topics into simulated-user briefs, so a benchmark run can use the
 * same tasks human participants get and the two kinds of result line up. Study briefs have no target
 * document, so BLEU is skipped for them (judges still score interactivity and quality).
 */
import { eq } from 'drizzle-orm';
import type { Database } from '../../../db';
import { benchmarkTasks, benchmarkTaskSets } from '../../../db/schema';
import type { StudyConfig } from '../../studies/config';
import { conflict } from '../../services/errors';

export interface StudyBrief {
  key: string;
  documentType: string;
  topic: string;
  brief: string;
  /** Facts the offline scripted simulator reveals one per turn. */
  details: string[];
}

export function briefsFromStudyConfig(config: Pick<StudyConfig, 'documentTypes' | 'topics' | 'topicQuestions'>): StudyBrief[] {
  const briefs: StudyBrief[] = [];
  for (const type of config.documentTypes) {
    for (const topic of config.topics) {
      const details = [
        `It is a ${type.label.toLowerCase()}.`,
        `The topic is: ${topic.label}.`,
        ...(type.description ? [type.description] : []),
      ];
      const questions = config.topicQuestions.map((q) => `- ${q.prompt}`);
      const brief = [
        `You want help writing a ${type.label.toLowerCase()} about "${topic.label}".`,
        ...(type.description ? [type.description] : []),
        'Before the chat you were asked the questions below. Invent plausible, specific answers of your own and keep to them throughout:',
        ...questions,
      ].join('\n');
      briefs.push({ key: `${type.key}.${topic.id}`, documentType: type.key, topic: topic.label, brief, details });
    }
  }
  return briefs;
}

/** Stores the study's briefs as a task set (targets left empty). */
export async function createTaskSetFromStudyConfig(
  db: Database,
  input: { name: string; config: Pick<StudyConfig, 'documentTypes' | 'topics' | 'topicQuestions'> },
): Promise<{ taskSetId: string; created: number }> {
  const briefs = briefsFromStudyConfig(input.config);
  return db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: benchmarkTaskSets.id }).from(benchmarkTaskSets).where(eq(benchmarkTaskSets.name, input.name));
    if (existing) throw conflict(`A task set named "${input.name}" already exists.`);
    const [set] = await tx
      .insert(benchmarkTaskSets)
      .values({ name: input.name, description: 'Briefs from a study configuration (no target documents).' })
      .returning({ id: benchmarkTaskSets.id });
    if (!set) throw new Error('task set insert returned nothing');
    await tx.insert(benchmarkTasks).values(
      briefs.map((b) => ({
        taskSetId: set.id,
        key: b.key,
        documentType: b.documentType,
        brief: b.brief,
        targetDocument: '',
        metadata: { topic: b.topic, details: b.details, source: 'study' },
      })),
    );
    return { taskSetId: set.id, created: briefs.length };
  });
}
