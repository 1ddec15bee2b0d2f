/**
 * Everything the participant's screen needs, in one read. Only participant-safe fields leave here:
 * the public study view, their own messages (text and status) and their own answers.
 */
import { eq } from 'drizzle-orm';
import type { Database } from '../../db';
import { schema } from '../../db';
import { chatProgress, participantMessages } from './conversation';
import { latestDraft, latestSavedDraft } from './drafts';
import { liveText } from './generation-hub';
import type { ParticipantRow } from './identity';
import { documentTypeView, publicStudyView, type PublicStudyView } from './public-view';
import { mturkSubmitUrl, prolificCompletionUrl } from './recruitment';
import { isSafeExternalUrl } from '../lib/safe-url';
import { enforceTimeLimit, loadVersionConfig, sessionDeadline, type Outcome, type Stage } from './session';

export type CompletionRedirect =
  | { kind: 'prolific'; url: string }
  | { kind: 'mturk'; action: string; assignmentId: string }
  | null;

export interface ParticipantState {
  stage: Stage;
  outcome: Outcome | null;
  isPreview: boolean;
  study: PublicStudyView;
  documentType: { label: string; description: string } | null;
  topicId: string | null;
  deadline: Date;
  chat: {
    messages: { id: string; seq: number; role: 'system' | 'user' | 'assistant'; content: string; status: string }[];
    turnsCompleted: number;
    userMessages: number;
    generating: boolean;
    pendingRatingAfterTurn: number | null;
    canFinish: boolean;
    draft: string | null;
    /** The draft's revision (see SavedDraft), 0 before the first save. */
    draftRevision: number;
  } | null;
  completion: { code: string; redirect: CompletionRedirect } | null;
  /** The participant's last saved document, shown in the final survey while it asks about its quality. */
  surveyDocument: string | null;
}

function redirectFor(participant: ParticipantRow, code: string, prolificTemplate: string): CompletionRedirect {
  if (participant.isPreview) return null;
  const params = participant.externalParams;
  if (participant.source === 'prolific') {
    // Checked again here, not only at save: a version stored before the rule existed may hold any scheme.
    const url = prolificCompletionUrl(prolificTemplate, code);
    return isSafeExternalUrl(url) ? { kind: 'prolific', url } : null;
  }
  if (participant.source === 'mturk') {
    const action = mturkSubmitUrl(params.turkSubmitTo);
    if (action && params.assignmentId) return { kind: 'mturk', action, assignmentId: params.assignmentId };
  }
  return null;
}

export async function getParticipantState(db: Database, participant: ParticipantRow, now = new Date()): Promise<ParticipantState> {
  const config = await loadVersionConfig(db, participant.studyVersionId);
  if (!participant.outcome && (await enforceTimeLimit(db, participant, config, now))) {
    const [fresh] = await db.select().from(schema.participants).where(eq(schema.participants.id, participant.id));
    if (fresh) participant = fresh;
  }
  let chat: ParticipantState['chat'] = null;
  if (participant.stage === 'chat') {
    const progress = await chatProgress(db, participant.id, config);
    const draft = await latestSavedDraft(db, participant.id);
    const messages = progress.conversationId ? await participantMessages(db, progress.conversationId) : [];
    chat = {
      messages: messages.map((m) => (m.status === 'generating' ? { ...m, content: liveText(m.id) ?? m.content } : m)),
      turnsCompleted: progress.turnsCompleted,
      userMessages: progress.userMessages,
      generating: progress.generating,
      pendingRatingAfterTurn: progress.pendingRatingAfterTurn,
      canFinish: progress.turnsCompleted >= config.minTurns && !progress.generating && progress.pendingRatingAfterTurn === null,
      draft: draft?.content ?? null,
      draftRevision: draft?.revision ?? 0,
    };
  }
  const completion =
    participant.stage === 'done' && participant.completionCode
      ? { code: participant.completionCode, redirect: redirectFor(participant, participant.completionCode, config.prolificCompletionUrl) }
      : null;
  return {
    stage: participant.stage,
    outcome: participant.outcome,
    isPreview: participant.isPreview,
    study: publicStudyView(config),
    documentType: documentTypeView(config, participant.documentType),
    topicId: participant.topicId,
    deadline: sessionDeadline(participant, config),
    chat,
    completion,
    surveyDocument: participant.stage === 'survey' ? await latestDraft(db, participant.id) : null,
  };
}
