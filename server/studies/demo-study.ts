/**
 * The ready-made study from the CollabLLM paper (§6): three arms, three document types, topic
 * questions, at least 8 turns, a rating every 3 turns. It runs on the offline demo model out of
 * the box; env DEMO_<ARM>_BASE_URL/_API_KEY/_MODEL (or LLM_*) point arms at real endpoints.
 */
import crypto from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import type { Database } from '../../db';
import { llmConnections, studies, studyVersions } from '../../db/schema';
import { env } from '../env';
import { logger } from '../lib/logger';
import { encryptSecret, decryptSecret } from '../lib/secret';
import { BASELINE_SYSTEM_PROMPT, COLLABLLM_SYSTEM_PROMPT, PROACTIVE_SYSTEM_PROMPT } from './arm-prompts';
import { studyConfigSchema, type ArmConfig, type DemoStyle, type StudyConfig } from './config';

export const DEMO_STUDY_SLUG = 'demo';
/** Connections created from the environment carry this prefix; only arms on them (or on the demo model) follow env changes. */
export const DEMO_CONNECTION_PREFIX = 'demo: ';

export { COLLABLLM_SYSTEM_PROMPT, PROACTIVE_SYSTEM_PROMPT } from './arm-prompts';

const armDefaults = { temperature: 0.8, topP: 1, maxTokens: 1024, weight: 1 } as const;

const demoArms: { key: DemoStyle; label: string; systemPrompt: string }[] = [
  { key: 'baseline', label: 'Base (formatting instruction only)', systemPrompt: BASELINE_SYSTEM_PROMPT },
  { key: 'proactive', label: 'Proactive prompt', systemPrompt: PROACTIVE_SYSTEM_PROMPT },
  { key: 'collabllm', label: 'CollabLLM-style', systemPrompt: COLLABLLM_SYSTEM_PROMPT },
];

export function demoStudyConfig(): StudyConfig {
  return studyConfigSchema.parse({
    title: 'Writing a document with an AI assistant',
    consent: {
      version: '1',
      text: [
        'This is a research study about how people write documents together with an AI writing assistant.',
        '',
        'What you will do: you will be given a type of document, choose a topic, answer three short questions, and then chat with an AI assistant for at least 8 turns to write the document together. Along the way and at the end you will rate the experience. It takes about 30 minutes.',
        '',
        'Your data: we store your messages, ratings and timing. Your conversation may be published in an anonymised research dataset, so please do not share personal information such as names, addresses or contact details; stick to general topics or fictional details.',
        '',
        'Voluntary participation: you may stop at any time by closing the page. If you stop before the end, your data from the unfinished session will not be used for analysis.',
        '',
        'By selecting "I agree" you confirm that you are at least 18 years old, have read this information, and agree to take part.',
      ].join('\n'),
    },
    instructions: [
      'You will write a document together with an AI assistant.',
      '',
      '1. You will be given a document type (a blog post, a piece of creative writing, or a personal statement). Choose a topic and answer three short questions about what you have in mind. A rough idea is fine.',
      '2. Chat with the assistant for at least 8 turns to write and improve the document. Tell it what you like and what you would change, just as you would with a human collaborator.',
      '3. Every few turns you will be asked to rate the conversation so far, and at the end you will rate the final document and the interaction.',
      '',
      'There are no right or wrong answers; we are interested in your honest experience. Please do not paste text written elsewhere, and do not include personal information.',
    ].join('\n'),
    documentTypes: [
      { key: 'blog-post', label: 'Blog post', description: 'An informal article for readers online, sharing ideas, experience or advice.' },
      { key: 'creative-writing', label: 'Creative writing', description: 'A short story, scene or other fiction.' },
      { key: 'personal-statement', label: 'Personal statement', description: 'A statement for an application to a university programme, job or scholarship.' },
    ],
    topics: [
      { id: 'new-skill', label: 'Learning a new skill as an adult' },
      { id: 'changed-place', label: 'A place that changed how you see the world' },
      { id: 'setback', label: 'Overcoming a setback' },
      { id: 'local-community', label: 'Why local communities matter' },
      { id: 'tradition', label: 'A family or cultural tradition worth keeping' },
      { id: 'technology-friendship', label: 'How technology shapes friendships' },
      { id: 'everyday-climate', label: 'Small everyday choices and the climate' },
      { id: 'ambition-rest', label: 'Balancing ambition and rest' },
      { id: 'mentor', label: 'A mentor or teacher who made a difference' },
    ],
    topicQuestions: [
      { id: 'purpose', prompt: 'What is the purpose of your document?', placeholder: 'e.g. to encourage others to try something new' },
      { id: 'audience', prompt: 'Who is your audience?', placeholder: 'e.g. friends, an admissions committee, readers of a blog' },
      { id: 'key-points', prompt: 'What key points or ideas would you like to include?', placeholder: 'a few words or bullet points are enough' },
    ],
    arms: demoArms.map((a) => ({ ...armDefaults, key: a.key, label: a.label, connectionId: null, model: a.key, systemPrompt: a.systemPrompt })),
    minTurns: 8,
    maxTurns: 30,
    ratingInterval: 3,
    maxMessageChars: 4000,
    messagesPerMinute: 12,
    timeLimitMinutes: 90,
    inactiveAfterMinutes: 30,
    minFreeTextChars: 20,
    // Asked after the chat; the participant flow records answers, nothing here reveals the arm.
    blindingOptions: [
      'A standard assistant that answers requests directly',
      'An assistant that asks questions to collaborate with me',
      'I am not sure',
    ],
    // Prolific's rules for attention checks: instructed-response items that say explicitly what to
    // select, do not depend on memory or knowledge, and give no reason to reject a careful reader.
    attentionChecks: [
      {
        id: 'colour-check',
        prompt: 'It is important that you pay attention to this study. Please select "Purple" below.',
        options: ['Red', 'Green', 'Purple', 'Blue', 'Yellow'],
        correctOption: 'Purple',
      },
      {
        id: 'agree-check',
        prompt: 'This question checks that you are reading the questions. Please select "Strongly disagree" regardless of your opinion.',
        options: ['Strongly agree', 'Agree', 'Neither agree nor disagree', 'Disagree', 'Strongly disagree'],
        correctOption: 'Strongly disagree',
      },
    ],
    completionCodes: {
      completed: 'CS-DEMO-DONE',
      noConsent: 'CS-DEMO-NOCONSENT',
      failedChecks: 'CS-DEMO-CHECKS',
      timedOut: 'CS-DEMO-TIMEOUT',
    },
  });
}

export interface ArmEndpoint {
  baseUrl: string;
  apiKey: string | null;
  model: string;
}

/** Which arms the environment points at real endpoints (per-arm variables, then the LLM_* defaults). */
export function demoEndpointsFromEnv(): Partial<Record<DemoStyle, ArmEndpoint>> {
  const perArm: Record<DemoStyle, { url?: string; key?: string; model?: string }> = {
    baseline: { url: env.DEMO_BASELINE_BASE_URL, key: env.DEMO_BASELINE_API_KEY, model: env.DEMO_BASELINE_MODEL },
    proactive: { url: env.DEMO_PROACTIVE_BASE_URL, key: env.DEMO_PROACTIVE_API_KEY, model: env.DEMO_PROACTIVE_MODEL },
    collabllm: { url: env.DEMO_COLLABLLM_BASE_URL, key: env.DEMO_COLLABLLM_API_KEY, model: env.DEMO_COLLABLLM_MODEL },
  };
  const out: Partial<Record<DemoStyle, ArmEndpoint>> = {};
  for (const [arm, v] of Object.entries(perArm) as [DemoStyle, (typeof perArm)[DemoStyle]][]) {
    const baseUrl = v.url ?? env.LLM_BASE_URL;
    if (!baseUrl) continue;
    const model = v.model ?? env.LLM_MODEL;
    if (!model) {
      logger.warn('demo study: an endpoint is set for an arm but no model; the arm stays on the offline demo model', { arm });
      continue;
    }
    // A per-arm URL with no per-arm key must not silently borrow the default key meant for another host.
    const apiKey = v.key ?? (v.url ? null : (env.LLM_API_KEY ?? null));
    out[arm] = { baseUrl, apiKey, model };
  }
  return out;
}

/** Creates or refreshes the `demo: …` connection rows for the env endpoints; returns arm → connection id. */
async function upsertEnvConnections(db: Database, endpoints: Partial<Record<DemoStyle, ArmEndpoint>>): Promise<Partial<Record<DemoStyle, string>>> {
  // One connection per distinct (URL, key): arms sharing an endpoint share a row.
  const groups = new Map<string, { endpoint: ArmEndpoint; arms: DemoStyle[] }>();
  for (const [arm, endpoint] of Object.entries(endpoints) as [DemoStyle, ArmEndpoint][]) {
    const id = `${endpoint.baseUrl}\u0000${endpoint.apiKey ?? ''}`;
    const group = groups.get(id) ?? { endpoint, arms: [] };
    group.arms.push(arm);
    groups.set(id, group);
  }
  const urlCounts = new Map<string, number>();
  for (const g of groups.values()) urlCounts.set(g.endpoint.baseUrl, (urlCounts.get(g.endpoint.baseUrl) ?? 0) + 1);

  const result: Partial<Record<DemoStyle, string>> = {};
  for (const { endpoint, arms } of groups.values()) {
    // Named by URL (plus the arms when one URL is used with different keys): stable across restarts, no secret in it.
    const name = `${DEMO_CONNECTION_PREFIX}${endpoint.baseUrl}${(urlCounts.get(endpoint.baseUrl) ?? 0) > 1 ? ` (${arms.join(', ')})` : ''}`;
    const [existing] = await db.select().from(llmConnections).where(eq(llmConnections.name, name)).limit(1);
    let id: string;
    if (!existing) {
      const [row] = await db
        .insert(llmConnections)
        .values({ name, baseUrl: endpoint.baseUrl, apiKeyEncrypted: endpoint.apiKey ? encryptSecret(endpoint.apiKey) : null, defaultModel: endpoint.model })
        .onConflictDoNothing({ target: llmConnections.name })
        .returning();
      id = row?.id ?? (await db.select().from(llmConnections).where(eq(llmConnections.name, name)).limit(1))[0]!.id;
    } else {
      id = existing.id;
      let storedKey: string | null | undefined;
      try {
        storedKey = existing.apiKeyEncrypted ? decryptSecret(existing.apiKeyEncrypted) : null;
      } catch {
        storedKey = undefined; // unreadable (secret rotated): replace it
      }
      if (storedKey !== endpoint.apiKey || existing.baseUrl !== endpoint.baseUrl) {
        await db
          .update(llmConnections)
          .set({ baseUrl: endpoint.baseUrl, apiKeyEncrypted: endpoint.apiKey ? encryptSecret(endpoint.apiKey) : null })
          .where(eq(llmConnections.id, id));
        logger.info('demo study: updated connection from environment', { connection: name });
      }
    }
    for (const arm of arms) result[arm] = id;
  }
  return result;
}

export interface EnsureDemoStudyResult {
  studyId: string;
  versionId: string;
  version: number;
  created: boolean;
  /** A new version was created because the environment's endpoints changed. */
  newVersion: boolean;
}

/**
 * Idempotent: creates the demo study (running, version 1) on first start. On later starts it
 * changes nothing unless the env endpoints moved an arm; then it freezes a new version (never
 * rewriting the one participants already saw) and logs it. Arms a researcher pointed at their
 * own connection are left alone.
 */
export async function ensureDemoStudy(
  db: Database,
  /** Tests use their own slug and endpoints so they never disturb the shared `demo` study. */
  opts: { slug?: string; endpoints?: Partial<Record<DemoStyle, ArmEndpoint>> } = {},
): Promise<EnsureDemoStudyResult> {
  const slug = opts.slug ?? DEMO_STUDY_SLUG;
  const endpoints = opts.endpoints ?? demoEndpointsFromEnv();
  const connectionIds = await upsertEnvConnections(db, endpoints);
  const applyEndpoints = (arms: ArmConfig[], managedConnectionIds: Set<string>) =>
    arms.map((arm) => {
      const style = arm.key as DemoStyle;
      if (!demoArms.some((a) => a.key === style)) return arm;
      const managed = arm.connectionId === null || managedConnectionIds.has(arm.connectionId);
      if (!managed) return arm;
      const endpoint = endpoints[style];
      const connectionId = connectionIds[style];
      return endpoint && connectionId ? { ...arm, connectionId, model: endpoint.model } : { ...arm, connectionId: null, model: style };
    });

  return db.transaction(async (tx) => {
    const managedRows = await tx.select({ id: llmConnections.id, name: llmConnections.name }).from(llmConnections);
    const managed = new Set(managedRows.filter((r) => r.name.startsWith(DEMO_CONNECTION_PREFIX)).map((r) => r.id));

    const base = demoStudyConfig();
    const desired: StudyConfig = { ...base, arms: applyEndpoints(base.arms, managed) };
    const inserted = await tx
      .insert(studies)
      .values({ slug, name: desired.title, status: 'running', draftConfig: desired, assignmentSeed: crypto.randomBytes(16).toString('hex') })
      .onConflictDoNothing({ target: studies.slug })
      .returning();
    if (inserted[0]) {
      const study = inserted[0];
      const [version] = await tx.insert(studyVersions).values({ studyId: study.id, version: 1, config: desired, note: 'Created at first start' }).returning();
      await tx.update(studies).set({ currentVersionId: version!.id }).where(eq(studies.id, study.id));
      logger.info('demo study created', { slug, arms: describeArms(desired.arms) });
      return { studyId: study.id, versionId: version!.id, version: 1, created: true, newVersion: false };
    }

    // Serialises concurrent starts so two processes never both add "the next" version.
    const [study] = await tx.select().from(studies).where(eq(studies.slug, slug)).for('update');
    const [current] = study!.currentVersionId
      ? await tx.select().from(studyVersions).where(and(eq(studyVersions.id, study!.currentVersionId), eq(studyVersions.studyId, study!.id)))
      : await tx.select().from(studyVersions).where(and(eq(studyVersions.studyId, study!.id), eq(studyVersions.draftPreview, false))).orderBy(desc(studyVersions.version)).limit(1);
    if (!current) throw new Error('The demo study exists without any version; delete it or publish a version.');

    const nextArms = applyEndpoints(current.config.arms, managed);
    const changed = nextArms.some((a, i) => a.connectionId !== current.config.arms[i]!.connectionId || a.model !== current.config.arms[i]!.model);
    if (!changed) return { studyId: study!.id, versionId: current.id, version: current.version, created: false, newVersion: false };

    const [latest] = await tx.select({ version: studyVersions.version }).from(studyVersions).where(and(eq(studyVersions.studyId, study!.id), eq(studyVersions.draftPreview, false))).orderBy(desc(studyVersions.version)).limit(1);
    const config: StudyConfig = { ...current.config, arms: nextArms };
    const versionNumber = (latest?.version ?? current.version) + 1;
    const [version] = await tx
      .insert(studyVersions)
      .values({ studyId: study!.id, version: versionNumber, config, note: `Arm endpoints changed in the environment at start: ${describeArms(nextArms)}` })
      .returning();
    await tx.update(studies).set({ currentVersionId: version!.id, draftConfig: { ...study!.draftConfig, arms: applyEndpoints(study!.draftConfig.arms, managed) } }).where(eq(studies.id, study!.id));
    logger.warn('demo study: arm endpoints changed in the environment; created a new version (participants already started keep theirs)', {
      version: versionNumber,
      arms: describeArms(nextArms),
    });
    return { studyId: study!.id, versionId: version!.id, version: versionNumber, created: false, newVersion: true };
  });
}

function describeArms(arms: ArmConfig[]): string {
  return arms.map((a) => `${a.key}=${a.connectionId ? `connection:${a.model}` : `offline demo`}`).join(', ');
}
