/**
 * A participant driven through the real HTTP API (tRPC client + SSE, its own cookie jar), who behaves like a
 * person in a browser when the server side misbehaves: a request that fails in transit (502 from the load
 * balancer, a dropped connection) is sent again with the same client message id; a reply stream that breaks
 * is followed again (the subscription resumes from its last event id on any process); a reply that ends
 * `interrupted` or `failed` gets "Try again" (`participant.retryReply`). Used by bench/multi-process.ts and
 * e2e/multi-process.spec.ts.
 */
import { createTRPCClient, httpLink, httpSubscriptionLink, splitLink, TRPCClientError } from '@trpc/client';
import { EventSource } from 'eventsource';
import superjson from 'superjson';
import type { AppRouter } from '../../server/api/root';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A browser stand-in: its own cookie jar shared by plain requests and the SSE connection. Pass `cookies` to
 * share one jar between clients of different web processes (one person, two servers behind a balancer).
 */
export function participantClient(baseUrl: string, cookies: Map<string, string> = new Map()) {
  const withCookies = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const headers = new Headers(init?.headers);
    if (cookies.size > 0) headers.set('cookie', [...cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(input, { ...init, headers });
    for (const line of res.headers.getSetCookie()) {
      const pair = line.split(';', 1)[0]!;
      const i = pair.indexOf('=');
      if (i > 0) cookies.set(pair.slice(0, i).trim(), pair.slice(i + 1).trim());
    }
    return res;
  };
  const url = `${baseUrl}/api/trpc`;
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({ url, transformer: superjson, EventSource, eventSourceOptions: () => ({ fetch: withCookies }) }),
        false: httpLink({ url, transformer: superjson, fetch: withCookies }),
      }),
    ],
  });
}

export type ParticipantClient = ReturnType<typeof participantClient>;

/** Transport trouble a person would answer by clicking again: no answer, a gateway error, a dropped connection. */
function isTransient(error: unknown): boolean {
  if (!(error instanceof TRPCClientError)) return true;
  const status = (error.data as { httpStatus?: number } | undefined)?.httpStatus;
  if (status === undefined) return true; // not a tRPC error body: the proxy's 502 or a broken connection
  return status === 502 || status === 503 || status === 504;
}

export interface Counters {
  /** Requests sent again after a transport failure. */
  resent: number;
  /** Reply streams followed again after they broke. */
  refollowed: number;
  /** "Try again" on interrupted or failed replies. */
  retried: number;
}

/**
 * Sends again after transport trouble. With `idempotentStep`, a refusal after a resend means the earlier
 * delivery did arrive and was applied (e.g. the consent was stored but the answer was lost with the process),
 * which the next state read confirms; a refusal on the first delivery is always an error.
 */
async function again<T>(counters: Counters, deadline: number, call: () => Promise<T>, idempotentStep = false): Promise<T | undefined> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (idempotentStep && attempt > 0 && !isTransient(error)) return undefined;
      if (!isTransient(error) || Date.now() > deadline) throw error;
      counters.resent += 1;
      await sleep(Math.min(2_000, 100 * 2 ** Math.min(attempt, 5)));
    }
  }
}

type EndStatus = 'complete' | 'failed' | 'interrupted';

/** Follows one reply stream until its end event, or 'lost' when the stream broke or went silent. */
function followOnce(client: ParticipantClient, slug: string, messageId: string, silenceMs: number): Promise<EndStatus | 'lost'> {
  return new Promise((resolve) => {
    let done = false;
    let silence: NodeJS.Timeout;
    const finish = (result: EndStatus | 'lost') => {
      if (done) return;
      done = true;
      clearTimeout(silence);
      sub.unsubscribe();
      resolve(result);
    };
    const arm = () => {
      clearTimeout(silence);
      silence = setTimeout(() => finish('lost'), silenceMs);
    };
    arm();
    const sub = client.participant.reply.subscribe(
      { slug, messageId },
      {
        onData(tracked) {
          arm();
          if (tracked.data.type === 'end') finish(tracked.data.status);
        },
        onError: () => finish('lost'),
        onComplete: () => finish('lost'),
      },
    );
  });
}

async function awaitReply(client: ParticipantClient, slug: string, messageId: string, counters: Counters, deadline: number): Promise<EndStatus> {
  while (Date.now() < deadline) {
    const result = await followOnce(client, slug, messageId, 20_000);
    if (result !== 'lost') return result;
    counters.refollowed += 1;
    const state = await again(counters, deadline, () => client.participant.state.query({ slug }));
    const status = state?.chat?.messages.find((m) => m.id === messageId)?.status;
    if (status && status !== 'generating') return status as EndStatus;
    await sleep(200);
  }
  throw new Error(`reply ${messageId} did not end in time`);
}

export interface ChatPlan {
  slug: string;
  externalId: string;
  consentVersion: string;
  messages: number;
  /** After `messages`, keep chatting while this says so (e.g. until every restart happened), up to `maxMessages`. */
  moreTurns?: () => boolean;
  maxMessages?: number;
  ratingInterval: number;
  attention: Record<string, string>;
  /** The whole participant must be done by then (a stuck participant fails here). */
  deadline: number;
  /** Called after each acknowledged send (e.g. to start a restart once replies are streaming). */
  onSent?: () => void;
}

export interface ChatOutcome extends Counters {
  sent: string[];
}

export async function chatAsParticipant(baseUrl: string, plan: ChatPlan): Promise<ChatOutcome> {
  const client = participantClient(baseUrl);
  const counters: Counters = { resent: 0, refollowed: 0, retried: 0 };
  const sent: string[] = [];
  const { slug, deadline } = plan;
  const call = async <T>(fn: () => Promise<T>) => (await again(counters, deadline, fn))!;
  const step = <T>(fn: () => Promise<T>) => again(counters, deadline, fn, true);
  await call(() => client.participant.enter.mutate({ slug, query: { PROLIFIC_PID: plan.externalId, STUDY_ID: 'mp', SESSION_ID: plan.externalId } }));
  await step(() => client.participant.consent.mutate({ slug, accept: true, consentVersion: plan.consentVersion }));
  await step(() => client.participant.finishInstructions.mutate({ slug }));
  await step(() =>
    client.participant.submitSetup.mutate({ slug, topicId: 'cities', answers: { audience: 'New neighbours', point: 'Corner shops keep a street alive' } }),
  );
  const wantsTurn = (turn: number) => turn <= plan.messages || (turn <= (plan.maxMessages ?? plan.messages) && (plan.moreTurns?.() ?? false));
  for (let turn = 1; wantsTurn(turn); turn++) {
    const clientMessageId = `${plan.externalId}-${turn}`;
    const { assistantMessageId } = await call(() =>
      client.participant.sendMessage.mutate({ slug, clientMessageId, content: `Turn ${turn}: please tighten the second paragraph.` }),
    );
    sent.push(clientMessageId);
    plan.onSent?.();
    let status = await awaitReply(client, slug, assistantMessageId, counters, deadline);
    while (status !== 'complete') {
      counters.retried += 1;
      await step(() => client.participant.retryReply.mutate({ slug, messageId: assistantMessageId }));
      status = await awaitReply(client, slug, assistantMessageId, counters, deadline);
    }
    if (turn % plan.ratingInterval === 0) await step(() => client.participant.rate.mutate({ slug, afterTurn: turn, value: 7 }));
  }
  await step(() => client.participant.finishChat.mutate({ slug }));
  await step(() =>
    client.participant.submitSurvey.mutate({
      slug,
      documentQuality: 8,
      overallInteraction: 7,
      strengths: 'It kept the structure I asked for and was quick.',
      weaknesses: 'Some sentences were a little repetitive in places.',
      blindingGuess: 'A',
      attentionAnswers: plan.attention,
    }),
  );
  return { sent, ...counters };
}
