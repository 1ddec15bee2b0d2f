/**
 * One simulated pilot participant, driven through the same service functions a person's browser calls
 * (server/participants: consent with assignment, instructions, setup answers, chat, ratings, document
 * pane, survey), so the study's prompts, arm snapshot, turn limits, rating gate, rate limit and time limit
 * all apply unchanged. Only the arm comes from the pilot's balanced allocation instead of the draw.
 *
 * Resumable and idempotent: the participant row is found by its stable external id (`pilot:<pilot>:<i>`,
 * unique per study and source), and every step starts from what is stored (stage, messages, ratings,
 * drafts), so a job attempt killed at any point continues where the last one stopped; the flow's own
 * steps are idempotent (a repeated step is a no-op).
 */
import { and, eq } from 'drizzle-orm';
import type { Database } from '../../db';
import { schema } from '../../db';
import { resolveConnectionTarget } from '../llm/resolve';
import type { ModelTarget } from '../llm/types';
import { createScriptedSimulator, SCRIPTED_SIMULATOR_VERSION } from '../benchmarks/demo';
import { PilotParticipantError } from './errors';
import { requestSeed, samplePersona, type Persona } from '../benchmarks/persona';
import { createLlmSimulator } from '../benchmarks/simulator';
import { SIMULATOR_PROMPT_VERSION } from '../benchmarks/simulator-prompt';
import type { SimulatedUser } from '../benchmarks/types';
import { finishInstructions, recordConsent, submitSetup, submitSurvey } from '../participants/flow';
import { latestDraft } from '../participants/drafts';
import type { ParticipantRow } from '../participants/identity';
import { loadVersionConfig, recordStageVisit } from '../participants/session';
import type { StudyConfig } from '../studies/config';
import { parsePilotConfig, pilotArmFor, pilotExternalId, pilotParticipantSeed, type PilotConfig } from './config';
import { addSimulatorUsage, conversationOf, recordProvenance, runSimulatedChat, transcriptOf } from './simulated-chat';
import { pilotBrief, typeLabelOf } from './brief';
import { answerSetupQuestions, answerSurvey, RESPONDENT_VERSION, seededPick, type RespondentContext } from './respondent';

export { PilotParticipantError, isTerminalPilotError } from './errors';

const SIMULATOR_MAX_TOKENS = 1024;

/** Finds or creates the pilot's participant `index` (idempotent: the unique external id keeps one row). */
export async function ensurePilotParticipant(
  db: Database,
  pilot: { id: string; studyId: string },
  config: PilotConfig,
  index: number,
): Promise<ParticipantRow> {
  const externalId = pilotExternalId(pilot.id, index);
  const where = and(eq(schema.participants.studyId, pilot.studyId), eq(schema.participants.source, 'link'), eq(schema.participants.externalId, externalId));
  const [existing] = await db.select().from(schema.participants).where(where);
  if (existing) return existing;
  return db.transaction(async (tx) => {
    const now = new Date();
    const [inserted] = await tx
      .insert(schema.participants)
      .values({
        studyId: pilot.studyId,
        studyVersionId: config.studyVersionId,
        source: 'link',
        externalId,
        externalParams: { pilot: pilot.id, index: String(index) },
        isPreview: false,
        pilotId: pilot.id,
        // The pilot's balanced allocation; assignArm records it for pilot participants instead of drawing.
        previewArmKey: pilotArmFor(config, index),
        userAgent: `CollabStudy simulated pilot participant (${RESPONDENT_VERSION})`,
        stage: 'consent',
        createdAt: now,
        lastSeenAt: now,
      })
      .onConflictDoNothing()
      .returning();
    if (inserted) {
      await recordStageVisit(tx, inserted.id, 'consent', now);
      return inserted;
    }
    const [winner] = await tx.select().from(schema.participants).where(where);
    if (!winner) throw new Error('pilot participant insert conflicted but no row was found');
    return winner;
  });
}

async function reload(db: Database, participantId: string): Promise<ParticipantRow> {
  const [row] = await db.select().from(schema.participants).where(eq(schema.participants.id, participantId));
  if (!row) throw new PilotParticipantError('The pilot participant was deleted.', 'terminal');
  return row;
}

export interface SimulatedParticipantDeps {
  signal?: AbortSignal;
  /** Called between steps: false when this attempt no longer holds its job (fencing; the attempt stops). */
  stillOwned?: () => Promise<boolean>;
}

interface Actors {
  persona: Persona;
  seed: string;
  simulatorTarget: ModelTarget | null;
}

async function actorsFor(db: Database, config: PilotConfig, index: number): Promise<Actors> {
  const seed = pilotParticipantSeed(config, index);
  const persona = samplePersona(seed);
  const sim = config.simulator;
  const simulatorTarget =
    sim.connectionId === null
      ? null
      : {
          ...(await resolveConnectionTarget(db, sim.connectionId, sim.model, { temperature: sim.temperature, maxTokens: SIMULATOR_MAX_TOKENS })),
          seed: requestSeed(seed, 'simulator'),
        };
  return { persona, seed, simulatorTarget };
}

function respondentFor(actors: Actors, study: StudyConfig, participant: ParticipantRow, signal?: AbortSignal): RespondentContext {
  const topic = study.topics.find((t) => t.id === participant.topicId);
  return {
    persona: actors.persona,
    seed: actors.seed,
    documentTypeLabel: typeLabelOf(study, participant.documentType),
    topicLabel: topic?.label ?? '',
    target: actors.simulatorTarget,
    signal,
  };
}

function simulatorFor(actors: Actors, study: StudyConfig, participant: ParticipantRow): SimulatedUser {
  const goal = pilotBrief(study, participant);
  if (!actors.simulatorTarget)
    return createScriptedSimulator({ documentType: participant.documentType ?? 'document', topic: goal.topic, brief: goal.brief, details: goal.details, persona: actors.persona });
  return createLlmSimulator({ target: actors.simulatorTarget, brief: goal.brief, details: goal.details, documentTypeLabel: goal.label, persona: actors.persona });
}

/** Provenance kept with the participant's conversation (never shown to anyone but staff). */
function provenance(pilotId: string, config: PilotConfig, index: number, actors: Actors) {
  const demo = config.simulator.connectionId === null;
  return {
    pilotId,
    index,
    seed: actors.seed,
    persona: actors.persona,
    simulator: {
      kind: demo ? 'scripted' : 'llm',
      connectionId: config.simulator.connectionId,
      model: demo ? SCRIPTED_SIMULATOR_VERSION : config.simulator.model,
      promptVersion: demo ? SCRIPTED_SIMULATOR_VERSION : SIMULATOR_PROMPT_VERSION,
      respondentVersion: RESPONDENT_VERSION,
      requestSeed: actors.simulatorTarget?.seed ?? null,
    },
  };
}

export type SimulatedParticipantResult = { participantId: string; outcome: ParticipantRow['outcome'] } | { stopped: true };

/** Runs (or resumes) pilot participant `index` to an outcome. Throws for the queue to retry or stop the pilot. */
export async function runSimulatedParticipant(
  db: Database,
  pilotId: string,
  index: number,
  deps: SimulatedParticipantDeps = {},
): Promise<SimulatedParticipantResult> {
  const [pilot] = await db.select().from(schema.studyPilots).where(eq(schema.studyPilots.id, pilotId));
  if (!pilot) throw new PilotParticipantError('The pilot no longer exists.', 'terminal');
  const config = parsePilotConfig(pilot.config);
  if (index < 0 || index >= config.participants) throw new PilotParticipantError(`The pilot has no participant ${index}.`, 'terminal');
  const study = await loadVersionConfig(db, config.studyVersionId);
  const actors = await actorsFor(db, config, index);
  let participant = await ensurePilotParticipant(db, pilot, config, index);
  const { signal } = deps;

  // Each stage's step, repeated until the participant reaches an outcome; bounded so a bug cannot spin.
  for (let step = 0; step < 20; step++) {
    signal?.throwIfAborted();
    if (deps.stillOwned && !(await deps.stillOwned())) return { stopped: true };
    participant = await reload(db, participant.id);
    if (participant.outcome) return { participantId: participant.id, outcome: participant.outcome };
    switch (participant.stage) {
      case 'consent':
        await recordConsent(db, participant, { accept: true, consentVersion: study.consent.version });
        break;
      case 'instructions':
        await finishInstructions(db, participant);
        break;
      case 'setup': {
        // The persona picks a topic the way a participant would, then answers the questions in character.
        const topic = seededPick(study.topics, actors.seed, 'topic');
        const ctx = respondentFor(actors, study, { ...participant, topicId: topic.id }, signal);
        const answers = await answerSetupQuestions(ctx, study.topicQuestions);
        await submitSetup(db, participant, { topicId: topic.id, answers: answers.value });
        const conversationId = await conversationOf(db, participant.id);
        if (conversationId) {
          await recordProvenance(db, conversationId, provenance(pilotId, config, index, actors));
          await addSimulatorUsage(db, conversationId, answers.usage);
        }
        break;
      }
      case 'chat': {
        const conversationId = await conversationOf(db, participant.id);
        if (conversationId) await recordProvenance(db, conversationId, provenance(pilotId, config, index, actors));
        await runSimulatedChat(db, {
          participant,
          study,
          simulator: simulatorFor(actors, study, participant),
          respondent: respondentFor(actors, study, participant, signal),
          signal,
          stillOwned: deps.stillOwned,
        });
        break;
      }
      case 'survey': {
        const conversationId = await conversationOf(db, participant.id);
        const { history, ratings } = await transcriptOf(db, participant.id, conversationId);
        const finalDocument = await latestDraft(db, participant.id);
        const survey = await answerSurvey(respondentFor(actors, study, participant, signal), { history, finalDocument, ratings }, study);
        await submitSurvey(db, participant, survey.value);
        if (conversationId) await addSimulatorUsage(db, conversationId, survey.usage);
        break;
      }
      case 'done':
        return { participantId: participant.id, outcome: participant.outcome };
    }
  }
  throw new PilotParticipantError('The simulated participant did not reach the end of the study.', 'retryable');
}
