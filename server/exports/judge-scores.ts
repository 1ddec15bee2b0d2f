/**
 * The judge_scores table of a study export: every stored score of the benchmark's judges for the exported
 * participants (issue 11 §1), long format, one row per participant × judge × metric. Read page by page
 * through the participant pages it is given (tables.ts passes `participantPages`, so it follows the same
 * scope: no pilot participants, previews only when asked for).
 */
import { asc, eq, inArray } from 'drizzle-orm';
import { schema } from '../../db';
import type { ExportContext, Row, TableSpec } from './table-spec';

type ParticipantPages = (ctx: ExportContext) => AsyncGenerator<{ id: string }[]>;

export function judgeScoresTableSpec(participantPages: ParticipantPages): TableSpec {
  return {
    name: 'judge_scores',
    description:
      "Scores of the benchmark's LLM judges (or the offline demo-judge) for each participant's conversation and final document; one row per participant, judge and metric. Re-judging with another judge adds rows under its own label. BLEU is absent: it needs a target document, which a human participant does not have.",
    columns: [
      { name: 'participant_id', type: 'uuid', description: 'Internal participant id (random UUID; joins every table).' },
      {
        name: 'judge',
        type: 'text',
        description: 'Judge identity: model@prompt-version#connection-id for an LLM judge (plus +itr-table1 on the Table 1 interactivity scale), demo-judge@demo-v1 for the offline demo-judge.',
      },
      { name: 'prompt_version', type: 'text', description: 'Version of the judge prompts and parsing rules (judge-v1, or demo-v1 for the demo-judge).' },
      {
        name: 'metric',
        type: 'text',
        description:
          'interactivity (0-1, or rescaled Table 1 scale), quality (document quality 1-10), document_words, turns, tokens_read, tokens_typed (cl100k), clarifying_questions.',
      },
      { name: 'value', type: 'number', description: 'The score or count.' },
      { name: 'rationale', type: 'text', description: "The judge's reasoning for interactivity and quality; empty for counts." },
      { name: 'document_source', type: 'text', description: "Where the judged final document came from: pane (the participant's document pane at the end) or extraction (extracted from the chat because the pane was empty)." },
      { name: 'run_id', type: 'uuid', description: 'The judging run that produced the score.' },
      { name: 'judged_at', type: 'timestamp', description: 'When the score was stored (ISO 8601, UTC).' },
    ],
    async *pages(ctx) {
      const S = schema.studyJudgeScores;
      const I = schema.studyJudgeItems;
      for await (const page of participantPages(ctx)) {
        const rows = await ctx.db
          .select({
            participantId: S.participantId,
            judge: S.judge,
            promptVersion: S.promptVersion,
            metric: S.metric,
            value: S.value,
            rationale: S.rationale,
            documentSource: I.documentSource,
            runId: I.runId,
            createdAt: S.createdAt,
          })
          .from(S)
          .innerJoin(I, eq(I.id, S.itemId))
          .where(inArray(S.participantId, page.map((p) => p.id)))
          .orderBy(asc(S.participantId), asc(S.judge), asc(S.metric));
        yield rows.map(
          (s): Row => ({
            participant_id: s.participantId,
            judge: s.judge,
            prompt_version: s.promptVersion,
            metric: s.metric,
            value: s.value,
            rationale: s.rationale,
            document_source: s.documentSource,
            run_id: s.runId,
            judged_at: s.createdAt,
          }),
        );
      }
    },
  };
}
