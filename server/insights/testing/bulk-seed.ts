/**
 * Fast synthetic studies for the benchmarks: rows are generated inside Postgres with generate_series
 * (one INSERT … SELECT per table) because a million rows sent from Node one batch at a time would take
 * longer than the benchmark itself. Bench-only: the app never runs raw SQL like this.
 */
import postgres from 'postgres';

export interface BulkStudyOptions {
  participants: number;
  messagesPerParticipant: number;
  heartbeatsPerParticipant: number;
  arms?: string[];
}

export async function bulkSeedStudy(databaseUrl: string, studyId: string, versionId: string, opts: BulkStudyOptions) {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const arms = opts.arms ?? ['baseline', 'collabllm'];
  const armArray = `{${arms.join(',')}}`;
  try {
    await sql`
      insert into participants (id, study_id, study_version_id, source, external_id, external_params, stage, outcome,
        consent_version, consented_at, arm_key, document_type, topic_id, topic_answers, attention_failures,
        created_at, last_seen_at, finished_at)
      select gen_random_uuid(), ${studyId}, ${versionId}, 'prolific', 'PID' || g,
        jsonb_build_object('PROLIFIC_PID', 'PID' || g, 'STUDY_ID', 'bench'),
        case when g % 10 = 0 then 'chat'::participant_stage else 'done'::participant_stage end,
        case when g % 10 = 0 then 'timed_out'::participant_outcome else 'completed'::participant_outcome end,
        'v1', t0, (${armArray}::text[])[1 + g % ${arms.length}], 'blog', 'travel',
        jsonb_build_object('q1', 'answer ' || g), case when g % 50 = 0 then 2 else 0 end,
        t0, t0 + interval '25 minutes', t0 + interval '25 minutes'
      from generate_series(1, ${opts.participants}::int) g,
        lateral (select now() - interval '2 days' + (g || ' seconds')::interval as t0) t`;
    await sql`
      insert into assignments (participant_id, study_id, study_version_id, arm_key, algorithm_version, seed, draw, counts_seen, sequence, created_at)
      select id, study_id, study_version_id, arm_key, 'bench', 'seed', random(), '{}'::jsonb,
        row_number() over (order by created_at), created_at
      from participants where study_id = ${studyId}`;
    await sql`
      insert into stage_visits (participant_id, stage, entered_at, left_at)
      select p.id, s.stage::participant_stage, p.created_at + (s.start_min || ' minutes')::interval, p.created_at + (s.end_min || ' minutes')::interval
      from participants p,
        (values ('consent', 0, 1), ('instructions', 1, 2), ('setup', 2, 4), ('chat', 4, 22), ('survey', 22, 25)) as s(stage, start_min, end_min)
      where p.study_id = ${studyId}`;
    await sql`
      insert into conversations (id, kind, participant_id, arm_key, assistant_config)
      select gen_random_uuid(), 'participant', id, arm_key, '{"model":"bench","demo":false}'::jsonb from participants where study_id = ${studyId}`;
    // Participant messages ~90 characters, assistant replies ~700 (a clarifying question or a draft section).
    await sql`
      insert into messages (conversation_id, seq, role, content, status, model, is_demo_model, ttft_ms, generation_ms, created_at, completed_at)
      select c.id, s, case when s % 2 = 0 then 'user'::message_role else 'assistant'::message_role end,
        case when s % 2 = 0
          then 'Could you make paragraph ' || s || ' more concrete, maybe with an example about ' || left(md5(c.id::text || s), 12) || '?'
          else 'Here is a revised version. ' || repeat('The draft now opens with a specific scene, then states the point plainly, ' || left(md5(c.id::text || s), 8) || '. ', 8) || 'What would you like to change next?'
        end,
        'complete', case when s % 2 = 1 then 'bench-model' end, false,
        case when s % 2 = 1 then 400 end, case when s % 2 = 1 then 3000 end,
        p.created_at + interval '4 minutes' + (s * 30 || ' seconds')::interval,
        case when s % 2 = 1 then p.created_at + interval '4 minutes' + (s * 30 + 3 || ' seconds')::interval end
      from conversations c join participants p on p.id = c.participant_id,
        generate_series(0, ${opts.messagesPerParticipant - 1}::int) s
      where p.study_id = ${studyId}`;
    await sql`
      insert into ratings (participant_id, after_turn, value, created_at)
      select p.id, t * 3, 1 + abs(hashtext(p.id::text || t)) % 10, p.created_at + (5 + t * 3 || ' minutes')::interval
      from participants p, generate_series(1, ${Math.max(1, Math.floor(opts.messagesPerParticipant / 6))}::int) t
      where p.study_id = ${studyId}`;
    await sql`
      insert into survey_responses (participant_id, document_quality, overall_interaction, strengths, weaknesses, blinding_guess, attention_answers, final_document)
      select id, 1 + abs(hashtext(id::text)) % 10, 1 + abs(hashtext(id::text || 'o')) % 10, 'Asked useful questions', 'Sometimes slow', 'A',
        '{"c1":"blue","c2":"red"}'::jsonb, 'Final document text'
      from participants where study_id = ${studyId} and outcome = 'completed'`;
    await sql`
      insert into heartbeats (participant_id, stage, focused, idle, interval_ms, waiting_for_model, received_at)
      select p.id, 'chat', h % 7 <> 0, h % 11 = 0, 15000, h % 3 = 0, p.created_at + interval '4 minutes' + (h * 15 || ' seconds')::interval
      from participants p, generate_series(1, ${opts.heartbeatsPerParticipant}::int) h
      where p.study_id = ${studyId}`;
    await sql`analyze`;
  } finally {
    await sql.end();
  }
}
