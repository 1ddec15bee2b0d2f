/**
 * Test studies for the participant flow (vitest and Playwright). Never imported by app code.
 * Takes a Database so e2e specs can pass their own connection to the run's database.
 */
import crypto from 'node:crypto';
import type { Database } from '../../../db';
import * as schema from '../../../db/schema';
import { eq } from 'drizzle-orm';
import { studyConfigSchema, type ArmConfig, type StudyConfig } from '../../studies/config';

export const TEST_SYSTEM_PROMPTS: Record<string, string> = {
  baseline: '',
  proactive: 'SECRET-PROMPT-proactive: ask clarifying questions before drafting.',
  collabllm: 'SECRET-PROMPT-collabllm: collaborate over several turns and look ahead.',
};

export function demoArm(key: 'baseline' | 'proactive' | 'collabllm', overrides: Partial<ArmConfig> = {}): ArmConfig {
  return {
    key,
    label: `Arm ${key}`,
    connectionId: null,
    model: key,
    systemPrompt: TEST_SYSTEM_PROMPTS[key] ?? '',
    temperature: 0.8,
    topP: 1,
    maxTokens: 512,
    weight: 1,
    ...overrides,
  };
}

export function testStudyConfig(overrides: Partial<StudyConfig> = {}): StudyConfig {
  return studyConfigSchema.parse({
    title: 'Writing with an assistant',
    consent: { version: 'v1', text: 'You are invited to take part in a study about writing with an AI assistant.' },
    instructions: 'Write a short document together with the assistant. Chat for a while, then answer a few questions.',
    documentTypes: [
      { key: 'blog_post', label: 'Blog post', description: 'A short post for a general audience.' },
      { key: 'creative_writing', label: 'Creative writing', description: 'A short story or poem.' },
      { key: 'personal_statement', label: 'Personal statement', description: 'A statement for an application.' },
    ],
    topics: [
      { id: 'travel', label: 'A memorable trip' },
      { id: 'cooking', label: 'Learning to cook' },
    ],
    topicQuestions: [
      { id: 'audience', prompt: 'Who will read it?', placeholder: 'e.g. friends' },
      { id: 'point', prompt: 'What is the main point?', placeholder: '' },
    ],
    arms: [demoArm('baseline'), demoArm('proactive'), demoArm('collabllm')],
    minTurns: 2,
    maxTurns: 6,
    ratingInterval: 2,
    maxMessageChars: 500,
    messagesPerMinute: 30,
    timeLimitMinutes: 90,
    inactiveAfterMinutes: 30,
    minFreeTextChars: 10,
    blindingOptions: ['A standard assistant', 'An assistant that asks questions', 'Not sure'],
    attentionChecks: [
      { id: 'check_a', prompt: 'To show you are reading, please select "Purple".', options: ['Red', 'Purple', 'Green'], correctOption: 'Purple' },
      { id: 'check_b', prompt: 'Please select "Strongly disagree" for this item.', options: ['Strongly agree', 'Neutral', 'Strongly disagree'], correctOption: 'Strongly disagree' },
    ],
    completionCodes: { completed: 'CODE-DONE', noConsent: 'CODE-NOCONSENT', failedChecks: 'CODE-CHECKS', timedOut: 'CODE-TIMEOUT' },
    ...overrides,
  });
}

export async function createTestStudy(
  db: Database,
  input: { slug?: string; status?: 'draft' | 'running' | 'paused' | 'closed'; config?: StudyConfig; withVersion?: boolean } = {},
): Promise<{ studyId: string; versionId: string | null; slug: string; config: StudyConfig }> {
  const slug = input.slug ?? `t-${crypto.randomBytes(5).toString('hex')}`;
  const config = input.config ?? testStudyConfig();
  const [study] = await db
    .insert(schema.studies)
    .values({ slug, name: config.title, status: input.status ?? 'running', draftConfig: config, assignmentSeed: `seed-${slug}` })
    .returning();
  if (input.withVersion === false) return { studyId: study!.id, versionId: null, slug, config };
  const [version] = await db.insert(schema.studyVersions).values({ studyId: study!.id, version: 1, config }).returning();
  await db.update(schema.studies).set({ currentVersionId: version!.id }).where(eq(schema.studies.id, study!.id));
  return { studyId: study!.id, versionId: version!.id, slug, config };
}

/** An llm_connections row for an OpenAI-compatible endpoint without an API key (the local fake server). */
export async function createTestConnection(db: Database, baseUrl: string, name = `fake-${crypto.randomBytes(4).toString('hex')}`) {
  const [row] = await db.insert(schema.llmConnections).values({ name, baseUrl, defaultModel: 'fake-model' }).returning();
  return row!;
}
