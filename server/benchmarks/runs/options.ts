/** What the new-run form and the task-set pages offer: task sets with their tasks, connections, and study arms. */
import { asc, count, desc, eq } from 'drizzle-orm';
import type { Database } from '../../../db';
import { schema } from '../../../db';

const { benchmarkTasks, llmConnections } = schema;

/** Everything the new-run form offers: task sets, connections, and arms of existing studies. */
export async function newRunOptions(db: Database) {
  const taskSets = await db
    .select({ id: schema.benchmarkTaskSets.id, name: schema.benchmarkTaskSets.name, builtIn: schema.benchmarkTaskSets.builtIn })
    .from(schema.benchmarkTaskSets)
    .orderBy(desc(schema.benchmarkTaskSets.builtIn), asc(schema.benchmarkTaskSets.name));
  const tasks = await db
    .select({ id: benchmarkTasks.id, taskSetId: benchmarkTasks.taskSetId, key: benchmarkTasks.key, documentType: benchmarkTasks.documentType })
    .from(benchmarkTasks)
    .orderBy(asc(benchmarkTasks.key));
  const connections = await db
    .select({ id: llmConnections.id, name: llmConnections.name, defaultModel: llmConnections.defaultModel })
    .from(llmConnections)
    .orderBy(asc(llmConnections.name));
  const studies = await db
    .select({ id: schema.studies.id, name: schema.studies.name, config: schema.studies.draftConfig })
    .from(schema.studies)
    .orderBy(asc(schema.studies.name));
  return {
    taskSets: taskSets.map((s) => ({ ...s, tasks: tasks.filter((t) => t.taskSetId === s.id).map(({ taskSetId: _, ...t }) => t) })),
    connections,
    studyArms: studies.map((s) => ({ studyId: s.id, studyName: s.name, arms: s.config?.arms ?? [] })),
  };
}

export async function listTaskSets(db: Database) {
  const sets = await db
    .select({
      id: schema.benchmarkTaskSets.id,
      name: schema.benchmarkTaskSets.name,
      description: schema.benchmarkTaskSets.description,
      builtIn: schema.benchmarkTaskSets.builtIn,
      createdAt: schema.benchmarkTaskSets.createdAt,
      tasks: count(benchmarkTasks.id),
    })
    .from(schema.benchmarkTaskSets)
    .leftJoin(benchmarkTasks, eq(benchmarkTasks.taskSetId, schema.benchmarkTaskSets.id))
    .groupBy(schema.benchmarkTaskSets.id)
    .orderBy(desc(schema.benchmarkTaskSets.builtIn), asc(schema.benchmarkTaskSets.name));
  return sets;
}
