/**
 * Participant procedures. All public: the caller is identified by the study's signed cookie
 * (server/participants/identity.ts), never by an id in the input.
 */
import { z } from 'zod';
import { tracked } from '@trpc/server';
import { publicProcedure, router, toClientError } from '../trpc';
import { identifyParticipant, requireParticipant } from '../../participants/identity';
import { enterStudy } from '../../participants/enter';
import { finishChat, finishInstructions, recordConsent, submitSetup, submitSurvey } from '../../participants/flow';
import { saveDraft, MAX_DRAFT_CHARS } from '../../participants/drafts';
import { submitRating } from '../../participants/ratings';
import { followOwnReply, retryReply } from '../../participants/replies';
import { sendMessage } from '../../participants/send-message';
import { recordHeartbeat } from '../../participants/heartbeat';
import { getParticipantState } from '../../participants/state';
import { cleanText } from '../../lib/text';

/** Every string from a participant's browser is cleaned (NUL, lone surrogates) before any service sees it. */
const text = (max: number) => z.string().max(max).transform(cleanText);
const slug = z.string().min(1).max(100).transform(cleanText);
const bySlug = z.object({ slug });
const freeText = text(5000);

export const participantRouter = router({
  enter: publicProcedure
    .input(z.object({ slug, query: z.record(z.string().max(50), text(2000)).default({}) }))
    .mutation(({ ctx, input }) =>
      enterStudy(ctx.db, {
        slug: input.slug,
        query: input.query,
        actor: ctx.actor,
        cookies: ctx.cookies,
        userAgent: ctx.userAgent,
        clientKey: ctx.clientKey,
      }),
    ),

  state: publicProcedure.input(bySlug).query(async ({ ctx, input }) => {
    const { participant } = await requireParticipant(ctx.db, ctx.cookies, input.slug);
    return getParticipantState(ctx.db, participant);
  }),

  consent: publicProcedure
    .input(z.object({ slug, accept: z.boolean(), consentVersion: text(40) }))
    .mutation(async ({ ctx, input }) => {
      const { participant } = await requireParticipant(ctx.db, ctx.cookies, input.slug);
      await recordConsent(ctx.db, participant, input);
    }),

  finishInstructions: publicProcedure.input(bySlug).mutation(async ({ ctx, input }) => {
    const { participant } = await requireParticipant(ctx.db, ctx.cookies, input.slug);
    await finishInstructions(ctx.db, participant);
  }),

  submitSetup: publicProcedure
    .input(z.object({ slug, topicId: text(40), answers: z.record(z.string().max(40), text(2000)) }))
    .mutation(async ({ ctx, input }) => {
      const { participant } = await requireParticipant(ctx.db, ctx.cookies, input.slug);
      await submitSetup(ctx.db, participant, input);
    }),

  sendMessage: publicProcedure
    .input(z.object({ slug, clientMessageId: z.string().min(8).max(64).transform(cleanText), content: text(20_000) }))
    .mutation(async ({ ctx, input }) => {
      // The send locks and reads the participant row itself; reading it here too would delay the reply.
      const who = await identifyParticipant(ctx.db, ctx.cookies, input.slug);
      return sendMessage(ctx.db, who, input);
    }),

  retryReply: publicProcedure.input(z.object({ slug, messageId: z.uuid() })).mutation(async ({ ctx, input }) => {
    const { participant } = await requireParticipant(ctx.db, ctx.cookies, input.slug);
    await retryReply(ctx.db, participant, input);
  }),

  /** Streams one reply; `lastEventId` (set by the SSE link on reconnect) resumes where the browser left off. */
  reply: publicProcedure
    .input(z.object({ slug, messageId: z.uuid(), lastEventId: text(40).nullish() }))
    .subscription(async function* ({ ctx, input, signal }) {
      try {
        const { participantId } = await identifyParticipant(ctx.db, ctx.cookies, input.slug);
        for await (const { id, event } of followOwnReply(ctx.db, participantId, input, signal)) {
          yield tracked(id, event);
        }
      } catch (error) {
        // The generator runs after the error-mapping middleware returned; map here so "not found" stays a 404.
        throw toClientError(error, 'participant.reply');
      }
    }),

  rate: publicProcedure
    .input(z.object({ slug, afterTurn: z.number().int().min(1).max(1000), value: z.number().int().min(1).max(10) }))
    .mutation(async ({ ctx, input }) => {
      const { participant } = await requireParticipant(ctx.db, ctx.cookies, input.slug);
      await submitRating(ctx.db, participant, input);
    }),

  saveDraft: publicProcedure
    .input(
      z.object({
        slug,
        content: text(MAX_DRAFT_CHARS),
        source: z.enum(['edit', 'use_message']),
        sourceMessageId: z.uuid().nullish(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { participant } = await requireParticipant(ctx.db, ctx.cookies, input.slug);
      return saveDraft(ctx.db, participant, input);
    }),

  finishChat: publicProcedure.input(bySlug).mutation(async ({ ctx, input }) => {
    const { participant } = await requireParticipant(ctx.db, ctx.cookies, input.slug);
    await finishChat(ctx.db, participant);
  }),

  submitSurvey: publicProcedure
    .input(
      z.object({
        slug,
        documentQuality: z.number().int().min(1).max(10),
        overallInteraction: z.number().int().min(1).max(10),
        strengths: freeText,
        weaknesses: freeText,
        blindingGuess: text(200),
        attentionAnswers: z.record(z.string().max(40), text(200)),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { participant } = await requireParticipant(ctx.db, ctx.cookies, input.slug);
      await submitSurvey(ctx.db, participant, input);
    }),

  heartbeat: publicProcedure
    .input(
      z.object({
        slug,
        focused: z.boolean(),
        idle: z.boolean(),
        intervalMs: z.number().int().min(0).max(24 * 3600 * 1000),
        waitingForModel: z.boolean(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { participant } = await requireParticipant(ctx.db, ctx.cookies, input.slug);
      await recordHeartbeat(ctx.db, participant, input);
    }),
});
