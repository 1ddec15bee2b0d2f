'use client';
/**
 * The chat: messages on the left (replies stream in over SSE), the working document on the right; on a
 * phone one pane at a time behind two tabs. The server stores every message before acknowledging it; a
 * failed send keeps the text in the box, and a resend reuses its clientMessageId so it is stored once.
 * Keyboard: after each reply focus returns to the message box (or goes to the rating when one is due).
 */
import { skipToken, useMutation } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTRPC } from '~/app/_trpc/client';
import { ChatMessage, USE_MESSAGE_EVENT } from './chat-message';
import { ConfirmPrompt, DemoBadge, ErrorAlert, Scale } from './common';
import { DocumentPane, documentSaver } from './document-pane';
import type { StageProps } from './types';
import { presence } from './use-heartbeat';
import { useRefreshState } from './use-stage-mutation';

interface PendingSend {
  clientMessageId: string;
  content: string;
}

function newClientMessageId(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

export function ChatStage({ slug, state }: StageProps) {
  const chat = state.chat!;
  const trpc = useTRPC();
  const refresh = useRefreshState(slug);
  const [input, setInput] = useState('');
  const [pending, setPending] = useState<PendingSend | null>(null);
  const [live, setLive] = useState<{ id: string; epoch: number; text: string } | null>(null);
  const messagesEnd = useRef<HTMLDivElement>(null);
  const composer = useRef<HTMLTextAreaElement>(null);
  const ratingForm = useRef<HTMLFormElement>(null);
  const [pane, setPane] = useState<'chat' | 'document'>('chat');
  const [confirmFinish, setConfirmFinish] = useState(false);
  const title = useRef<HTMLHeadingElement>(null);
  useEffect(() => title.current?.focus(), []);

  const streaming = [...chat.messages].reverse().find((m) => m.role === 'assistant' && m.status === 'generating') ?? null;
  const lastAssistant = [...chat.messages].reverse().find((m) => m.role === 'assistant') ?? null;
  const failedReply = lastAssistant && (lastAssistant.status === 'failed' || lastAssistant.status === 'interrupted') ? lastAssistant : null;
  presence.waitingForModel = streaming !== null;

  useSubscription(
    trpc.participant.reply.subscriptionOptions(streaming ? { slug, messageId: streaming.id } : skipToken, {
      onData: ({ data }) => {
        const messageId = streaming?.id;
        if (!messageId) return;
        if (data.type === 'text') {
          setLive((prev) => {
            const base = prev && prev.id === messageId && prev.epoch === data.epoch ? prev.text : '';
            return { id: messageId, epoch: data.epoch, text: base.slice(0, data.offset) + data.text };
          });
        } else {
          setLive({ id: messageId, epoch: -1, text: data.text });
          void refresh();
        }
      },
      onError: () => void refresh(),
    }),
  );

  const send = useMutation(
    trpc.participant.sendMessage.mutationOptions({
      onSuccess: async () => {
        setInput('');
        setPending(null);
        await refresh();
      },
    }),
  );
  const retry = useMutation(trpc.participant.retryReply.mutationOptions({ onSuccess: refresh }));
  const rate = useMutation(
    trpc.participant.rate.mutationOptions({
      onSuccess: async () => {
        await refresh();
        composer.current?.focus();
      },
    }),
  );
  const finish = useMutation(trpc.participant.finishChat.mutationOptions({ onSuccess: refresh }));
  const [rating, setRating] = useState<number | null>(null);

  const atTurnLimit = chat.userMessages >= state.study.maxTurns;
  const blockedReason = streaming
    ? 'The assistant is replying…'
    : failedReply
      ? 'The last reply did not arrive. Use "Try again" below.'
      : chat.pendingRatingAfterTurn !== null
        ? 'Please rate your experience so far to continue.'
        : atTurnLimit
          ? `You have reached the limit of ${state.study.maxTurns} turns. Please finish.`
          : null;
  const tooLong = input.length > state.study.maxMessageChars;

  function submit() {
    const content = input.trim();
    if (!content || tooLong || blockedReason || send.isPending) return;
    // Same text as a failed attempt → same id, so the server stores it once.
    const next = pending && pending.content === content ? pending : { clientMessageId: newClientMessageId(), content };
    setPending(next);
    send.mutate({ slug, clientMessageId: next.clientMessageId, content });
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      submit();
    }
  }

  const shownMessages = useMemo(
    () =>
      chat.messages.map((m) =>
        live && m.id === live.id && (m.status === 'generating' || live.text.length > m.content.length) ? { ...m, content: live.text } : m,
      ),
    [chat.messages, live],
  );

  useEffect(() => {
    messagesEnd.current?.scrollIntoView?.({ block: 'end' });
  }, [shownMessages.length, live?.text.length, chat.pendingRatingAfterTurn]);

  // When a reply ends, the next step gets focus: the rating when one is due, else the message box. Focus is
  // only moved from where a reply leaves it (the page, the chat, the composer), never out of the document.
  const streamingId = streaming?.id ?? null;
  const wasStreaming = useRef(streamingId);
  const pendingRating = chat.pendingRatingAfterTurn;
  useEffect(() => {
    const ended = wasStreaming.current !== null && streamingId === null;
    wasStreaming.current = streamingId;
    if (streamingId !== null) return;
    const active = document.activeElement;
    const movable = !active || active === document.body || !!active.closest('.p-chat');
    if (!movable) return;
    if (pendingRating !== null) {
      const radios = ratingForm.current?.querySelectorAll<HTMLInputElement>('input[type=radio]');
      (radios ? ([...radios].find((r) => r.checked) ?? radios[0]) : undefined)?.focus();
    } else if (ended) composer.current?.focus();
  }, [streamingId, pendingRating]);

  // "Use this" shows the document (phones see one pane at a time).
  useEffect(() => {
    const show = () => setPane('document');
    window.addEventListener(USE_MESSAGE_EVENT, show);
    return () => window.removeEventListener(USE_MESSAGE_EVENT, show);
  }, []);

  async function finishChat() {
    try {
      await documentSaver.flush();
    } catch {
      setConfirmFinish(false);
      return; // the document pane shows the save error; stay in the chat
    }
    finish.mutate({ slug }, { onError: () => setConfirmFinish(false) });
  }

  const turnsLeft = Math.max(0, state.study.minTurns - chat.turnsCompleted);
  const topic = state.study.topics.find((t) => t.id === state.topicId);

  return (
    <div className={`p-shell p-show-${pane}`}>
      <header className="p-header">
        <h1 className="p-title" tabIndex={-1} id="chat-title" ref={title}>
          {state.study.title}
        </h1>
        {state.study.usesDemoModel ? <DemoBadge /> : null}
        <span className="muted small p-task">
          {state.documentType ? `${state.documentType.label}` : ''}
          {topic ? ` · ${topic.label}` : ''}
        </span>
        <span className="spacer" />
        <TimeLeft deadline={state.deadline} />
        <span className="small" aria-live="polite">
          {turnsLeft > 0 ? (
            <>
              Turn {chat.turnsCompleted} · {turnsLeft} more<span className="p-long"> before you can finish</span>
            </>
          ) : (
            <>
              Turn {chat.turnsCompleted}
              <span className="p-long"> · you can finish when your document is ready</span>
            </>
          )}
        </span>
        <button
          type="button"
          className="btn btn-primary"
          disabled={!chat.canFinish || finish.isPending || confirmFinish}
          onClick={() => setConfirmFinish(true)}
          title={chat.canFinish ? 'Go to the final survey' : `Available after ${state.study.minTurns} turns`}
        >
          Finish
        </button>
      </header>
      {confirmFinish ? (
        <div className="p-banner">
          <ConfirmPrompt
            title="Finish the chat?"
            body="You will go on to the final questions and cannot return to the chat. Your document is saved as it is now."
            confirmLabel="Yes, finish"
            cancelLabel="Keep writing"
            busy={finish.isPending}
            onConfirm={() => void finishChat()}
            onCancel={() => setConfirmFinish(false)}
          />
        </div>
      ) : null}
      {finish.error ? (
        <div className="p-banner">
          <ErrorAlert error={finish.error} />
        </div>
      ) : null}
      <div className="p-pane-tabs" role="tablist" aria-label="Show">
        {(['chat', 'document'] as const).map((p) => (
          <button
            key={p}
            type="button"
            role="tab"
            id={`tab-${p}`}
            aria-controls={`pane-${p}`}
            aria-selected={pane === p}
            tabIndex={pane === p ? 0 : -1}
            className="p-pane-tab"
            onClick={() => setPane(p)}
            onKeyDown={(e) => {
              if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
                const next = p === 'chat' ? 'document' : 'chat';
                setPane(next);
                document.getElementById(`tab-${next}`)?.focus();
              }
            }}
          >
            {p === 'chat' ? 'Chat' : 'Document'}
          </button>
        ))}
      </div>
      <div className="p-panes">
        <section className="p-chat" id="pane-chat" aria-label="Chat with the assistant">
          <div className="p-messages" role="log" aria-live="polite" aria-relevant="additions text">
            {shownMessages.length === 0 && !pending ? (
              <div className="empty">
                Start by telling the assistant what you want to write. You can ask for ideas, drafts, or changes at any time.
              </div>
            ) : null}
            {shownMessages.map((m) => (
              <ChatMessage key={m.id} slug={slug} message={m} />
            ))}
            {pending && send.isPending ? (
              <article className="p-message p-message-user" aria-label="You (sending)">
                <div className="small muted">You · sending…</div>
                <div className="p-prewrap">{pending.content}</div>
              </article>
            ) : null}
            {failedReply ? (
              <div className="alert alert-error stack" role="alert">
                <div>The assistant could not reply this time. Your message is saved.</div>
                <div>
                  <button type="button" className="btn" disabled={retry.isPending} onClick={() => retry.mutate({ slug, messageId: failedReply.id })}>
                    Try again
                  </button>
                </div>
                <ErrorAlert error={retry.error} />
              </div>
            ) : null}
            {chat.pendingRatingAfterTurn !== null && !streaming ? (
              <form
                ref={ratingForm}
                className="card stack p-rating"
                aria-label="Rate your experience so far"
                onSubmit={(e) => {
                  e.preventDefault();
                  if (rating !== null) rate.mutate({ slug, afterTurn: chat.pendingRatingAfterTurn!, value: rating }, { onSuccess: () => setRating(null) });
                }}
              >
                <Scale name="rating" label="How would you rate your experience with the assistant so far?" value={rating} onChange={setRating} />
                <ErrorAlert error={rate.error} />
                <div>
                  <button type="submit" className="btn btn-primary" disabled={rating === null || rate.isPending}>
                    Submit rating
                  </button>
                </div>
              </form>
            ) : null}
            <div ref={messagesEnd} />
          </div>
          <form
            className="p-composer"
            onSubmit={(e) => {
              e.preventDefault();
              submit();
            }}
          >
            <label htmlFor="message" className="label">
              Your message
            </label>
            <textarea
              id="message"
              ref={composer}
              value={input}
              onChange={(e) => setInput(e.target.value)}
              onKeyDown={onKeyDown}
              placeholder={blockedReason ?? 'Write to the assistant (Enter to send, Shift+Enter for a new line)'}
              readOnly={send.isPending}
              aria-busy={send.isPending}
              aria-describedby="composer-hint"
            />
            <div className="row small">
              <span id="composer-hint" className={tooLong ? 'error-text' : 'muted'}>
                {input.length} / {state.study.maxMessageChars} characters
              </span>
              <span className="spacer" />
              {blockedReason ? <span className="muted">{blockedReason}</span> : null}
              <button type="submit" className="btn btn-primary" disabled={!input.trim() || tooLong || !!blockedReason || send.isPending}>
                Send
              </button>
            </div>
            <ErrorAlert error={send.error} />
          </form>
        </section>
        <DocumentPane slug={slug} serverDraft={chat.draft ?? ''} serverRevision={chat.draftRevision} />
      </div>
    </div>
  );
}

function TimeLeft({ deadline }: { deadline: Date }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = window.setInterval(() => setNow(Date.now()), 30_000);
    return () => window.clearInterval(t);
  }, []);
  const minutes = Math.max(0, Math.ceil((new Date(deadline).getTime() - now) / 60_000));
  return (
    <span className={`small ${minutes <= 5 ? 'error-text' : 'muted'}`} title="Time left for the whole study">
      {minutes} min left
    </span>
  );
}
