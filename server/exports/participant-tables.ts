/**
 * The export's per-participant tables (participants, assignments, ratings, surveys, stage timings, drafts,
 * heartbeats): columns with their codebook text, and rows read for one participant page at a time.
 */
import { schema } from '../../db';
import { externalIdOf, participantIdColumn, participantPages, pseudonymize, rowsPerParticipantPage } from './participant-scope';
import type { TableSpec } from './table-spec';

export const participantsTable: TableSpec = {
  name: 'participants',
  description: 'One row per participant session (previews only if requested).',
  columns: [
    participantIdColumn,
    { name: 'external_id', type: 'text', description: 'PROLIFIC_PID / MTurk workerId, or its HMAC-SHA256 pseudonym (base64url) when the export hashes ids; empty for plain links.' },
    { name: 'external_id_hashed', type: 'boolean', description: 'Whether external_id and external_params values are pseudonymized.' },
    { name: 'source', type: 'text', description: 'Recruitment source: prolific, mturk, link or preview.' },
    { name: 'external_params', type: 'json', description: 'Recruitment query parameters as received (values pseudonymized when hashing).' },
    { name: 'is_preview', type: 'boolean', description: 'Researcher preview session; never counted in statistics.' },
    { name: 'study_version', type: 'integer', description: 'Study version the participant saw.' },
    { name: 'arm_key', type: 'text', description: 'Assigned arm; empty before randomization.' },
    { name: 'arm_label', type: 'text', description: "The assigned arm's label in the participant's study version, as shown on the staff pages." },
    { name: 'stage', type: 'text', description: 'Last stage reached: consent, instructions, setup, chat, survey, done.' },
    { name: 'outcome', type: 'text', description: 'completed, no_consent, failed_checks, timed_out; empty while in progress or after dropping out.' },
    { name: 'consent_version', type: 'text', description: 'Version of the consent text agreed to.' },
    { name: 'consented_at', type: 'timestamp', description: 'When consent was given (ISO 8601, UTC).' },
    { name: 'document_type', type: 'text', description: 'Document type assigned.' },
    { name: 'topic_id', type: 'text', description: 'Topic chosen.' },
    { name: 'topic_answers', type: 'json', description: 'Answers to the pre-chat topic questions (never shown to the assistant).' },
    { name: 'completion_code', type: 'text', description: 'Completion code shown at the end.' },
    { name: 'attention_failures', type: 'integer', description: 'Number of attention checks failed.' },
    { name: 'excluded', type: 'boolean', description: 'Excluded manually by a researcher.' },
    { name: 'exclusion_reason', type: 'text', description: 'Reason given for a manual exclusion.' },
    { name: 'created_at', type: 'timestamp', description: 'Session start (ISO 8601, UTC).' },
    { name: 'finished_at', type: 'timestamp', description: 'When an outcome was reached.' },
    { name: 'last_seen_at', type: 'timestamp', description: 'Last server-side activity.' },
  ],
  async *pages(ctx) {
    for await (const page of participantPages(ctx)) {
      yield page.map((p) => ({
        participant_id: p.id,
        external_id: externalIdOf(ctx, p.externalId),
        external_id_hashed: ctx.scope.hashExternalIds,
        source: p.source,
        external_params: ctx.scope.hashExternalIds
          ? Object.fromEntries(Object.entries(p.externalParams).map(([k, v]) => [k, pseudonymize(ctx.scope.studyId, v)]))
          : p.externalParams,
        is_preview: p.isPreview,
        study_version: ctx.versionNumbers.get(p.studyVersionId) ?? null,
        arm_key: p.armKey,
        arm_label: p.armKey ? (ctx.armLabels.get(`${p.studyVersionId}:${p.armKey}`) ?? null) : null,
        stage: p.stage,
        outcome: p.outcome,
        consent_version: p.consentVersion,
        consented_at: p.consentedAt,
        document_type: p.documentType,
        topic_id: p.topicId,
        topic_answers: p.topicAnswers,
        completion_code: p.completionCode,
        attention_failures: p.attentionFailures,
        excluded: p.excluded,
        exclusion_reason: p.exclusionReason,
        created_at: p.createdAt,
        finished_at: p.finishedAt,
        last_seen_at: p.lastSeenAt,
      }));
    }
  },
};

export const assignmentsTable: TableSpec = {
  name: 'assignments',
  description: 'The recorded randomization draw per assigned participant: enough to audit and replay it.',
  columns: [
    participantIdColumn,
    { name: 'study_version', type: 'integer', description: 'Study version at assignment.' },
    { name: 'arm_key', type: 'text', description: 'Arm drawn.' },
    { name: 'algorithm_version', type: 'text', description: 'Randomization algorithm version.' },
    { name: 'seed', type: 'text', description: 'Seed used for the draw.' },
    { name: 'draw', type: 'number', description: 'Uniform random number drawn in [0, 1).' },
    { name: 'counts_seen', type: 'json', description: 'Per-arm counts (completed + recently active) the algorithm balanced on.' },
    { name: 'sequence', type: 'integer', description: 'Order of the assignment within the study.' },
    { name: 'assigned_at', type: 'timestamp', description: 'Time of the draw.' },
    { name: 'stratum_factor', type: 'text', description: 'Stratified draws: document_type or topic_question:<id>; empty when unstratified.' },
    { name: 'stratum', type: 'text', description: 'Stratified draws: the participant\'s stratum value (counts_seen are within it).' },
  ],
  async *pages(ctx) {
    const A = schema.assignments;
    for await (const rows of rowsPerParticipantPage(ctx, A, [A.sequence])) {
      yield rows.map((a) => ({
        participant_id: a.participantId,
        study_version: ctx.versionNumbers.get(a.studyVersionId) ?? null,
        arm_key: a.armKey,
        algorithm_version: a.algorithmVersion,
        seed: a.seed,
        draw: a.draw,
        counts_seen: a.countsSeen,
        sequence: a.sequence,
        assigned_at: a.createdAt,
        stratum_factor: a.stratumFactor,
        stratum: a.stratum,
      }));
    }
  },
};

export const ratingsTable: TableSpec = {
  name: 'ratings',
  description: 'Periodic in-chat interaction ratings (1-10).',
  columns: [
    participantIdColumn,
    { name: 'after_turn', type: 'integer', description: 'Shown after this many completed turns (3, 6, 9, ...).' },
    { name: 'value', type: 'integer', description: 'Rating 1 (worst) to 10 (best) of the interaction so far.' },
    { name: 'created_at', type: 'timestamp', description: 'When the rating was given.' },
  ],
  async *pages(ctx) {
    const R = schema.ratings;
    for await (const rows of rowsPerParticipantPage(ctx, R, [R.participantId, R.afterTurn])) {
      yield rows.map((r) => ({ participant_id: r.participantId, after_turn: r.afterTurn, value: r.value, created_at: r.createdAt }));
    }
  },
};

export const surveysTable: TableSpec = {
  name: 'surveys',
  description: 'Final survey, one row per participant who submitted it.',
  columns: [
    participantIdColumn,
    { name: 'document_quality', type: 'integer', description: 'Final document quality, 1-10.' },
    { name: 'overall_interaction', type: 'integer', description: 'Overall interaction, 1-10.' },
    { name: 'strengths', type: 'text', description: 'Free text: strengths of the assistant.' },
    { name: 'weaknesses', type: 'text', description: 'Free text: weaknesses of the assistant.' },
    { name: 'blinding_guess', type: 'text', description: 'Which assistant the participant believes they used.' },
    { name: 'attention_answers', type: 'json', description: 'Answers to the attention-check items, by check id.' },
    { name: 'final_document', type: 'text', description: 'The document as submitted.' },
    { name: 'created_at', type: 'timestamp', description: 'Submission time.' },
  ],
  async *pages(ctx) {
    const S = schema.surveyResponses;
    for await (const rows of rowsPerParticipantPage(ctx, S, [S.participantId])) {
      yield rows.map((s) => ({
        participant_id: s.participantId,
        document_quality: s.documentQuality,
        overall_interaction: s.overallInteraction,
        strengths: s.strengths,
        weaknesses: s.weaknesses,
        blinding_guess: s.blindingGuess,
        attention_answers: s.attentionAnswers,
        final_document: s.finalDocument,
        created_at: s.createdAt,
      }));
    }
  },
};

export const stageTimingsTable: TableSpec = {
  name: 'stage_timings',
  description: 'Server-side time per stage visit.',
  columns: [
    participantIdColumn,
    { name: 'stage', type: 'text', description: 'consent, instructions, setup, chat, survey or done.' },
    { name: 'entered_at', type: 'timestamp', description: 'Entered the stage (server clock).' },
    { name: 'left_at', type: 'timestamp', description: 'Left the stage; empty if never left.' },
    { name: 'duration_sec', type: 'number', description: 'left_at - entered_at in seconds; empty if never left.' },
  ],
  async *pages(ctx) {
    const V = schema.stageVisits;
    for await (const rows of rowsPerParticipantPage(ctx, V, [V.participantId, V.enteredAt])) {
      yield rows.map((v) => ({
        participant_id: v.participantId,
        stage: v.stage,
        entered_at: v.enteredAt,
        left_at: v.leftAt,
        duration_sec: v.leftAt ? (v.leftAt.getTime() - v.enteredAt.getTime()) / 1000 : null,
      }));
    }
  },
};

export const draftsTable: TableSpec = {
  name: 'drafts',
  description: "Every saved state of the participant's working document.",
  columns: [
    participantIdColumn,
    { name: 'draft_id', type: 'uuid', description: 'Draft id.' },
    { name: 'source', type: 'text', description: 'edit (typed by the participant) or use_message (copied from an assistant reply).' },
    { name: 'source_message_id', type: 'uuid', description: 'The assistant message copied, for use_message.' },
    { name: 'content', type: 'text', description: 'Full draft text at that moment.' },
    { name: 'created_at', type: 'timestamp', description: 'When it was saved.' },
  ],
  async *pages(ctx) {
    const D = schema.documentDrafts;
    for await (const rows of rowsPerParticipantPage(ctx, D, [D.participantId, D.createdAt])) {
      yield rows.map((d) => ({
        participant_id: d.participantId,
        draft_id: d.id,
        source: d.source,
        source_message_id: d.sourceMessageId,
        content: d.content,
        created_at: d.createdAt,
      }));
    }
  },
};

export const heartbeatsTable: TableSpec = {
  name: 'heartbeats',
  description: 'Client heartbeats (focus, idle, waiting for the model) attributed to a stage.',
  columns: [
    participantIdColumn,
    { name: 'stage', type: 'text', description: 'Stage the participant was in.' },
    { name: 'focused', type: 'boolean', description: 'The study tab had focus.' },
    { name: 'idle', type: 'boolean', description: 'No input for the idle threshold.' },
    { name: 'interval_ms', type: 'integer', description: 'Milliseconds since the previous heartbeat (capped server-side).' },
    { name: 'waiting_for_model', type: 'boolean', description: 'A reply was being generated during the interval.' },
    { name: 'received_at', type: 'timestamp', description: 'Server receive time.' },
  ],
  async *pages(ctx) {
    const H = schema.heartbeats;
    for await (const rows of rowsPerParticipantPage(ctx, H, [H.participantId, H.receivedAt])) {
      yield rows.map((h) => ({
        participant_id: h.participantId,
        stage: h.stage,
        focused: h.focused,
        idle: h.idle,
        interval_ms: h.intervalMs,
        waiting_for_model: h.waitingForModel,
        received_at: h.receivedAt,
      }));
    }
  },
};
