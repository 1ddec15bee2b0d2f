'use client';
/**
 * The working document: free editing with autosave (each save is a row in document_drafts), and
 * "Use this in my document" from any assistant reply, saved at once. Only the reply's marked document is
 * inserted (server/llm/document-part.ts); text the participant has edited is only replaced after they
 * confirm, and the last insertion can be undone in one step.
 */
import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTRPC } from '~/app/_trpc/client';
import { documentToInsert } from '~/server/llm/document-part';
import { USE_MESSAGE_EVENT, type UseMessageDetail } from './chat-message';
import { ConfirmPrompt, ErrorAlert } from './common';

const AUTOSAVE_MS = 1200;

/** Lets the chat save unsaved edits before leaving for the survey (the final document is the last saved draft). */
export const documentSaver: { flush: () => Promise<void> } = { flush: async () => {} };

interface Insertion {
  messageId: string;
  text: string;
}

export function DocumentPane({ slug, serverDraft, serverRevision }: { slug: string; serverDraft: string; serverRevision: number }) {
  const trpc = useTRPC();
  const save = useMutation(trpc.participant.saveDraft.mutationOptions());
  const [content, setContent] = useState(serverDraft);
  const [savedContent, setSavedContent] = useState(serverDraft);
  /** A reply waiting for "replace your edits?" to be answered. */
  const [pendingInsert, setPendingInsert] = useState<Insertion | null>(null);
  /** What the last insertion replaced, until the participant edits again. */
  const [undo, setUndo] = useState<{ previous: string; inserted: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const timer = useRef<number | undefined>(undefined);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const saveRef = useRef(save.mutateAsync);
  saveRef.current = save.mutateAsync;
  /**
   * The revision of savedContent. A state read that started before this tab's last save can arrive after
   * it; its older draft must not replace what was just saved (the participant would lose their last edit).
   */
  const savedRevision = useRef(serverRevision);
  /**
   * Saves run one after another: an insertion followed at once by Undo must reach the server in that order,
   * or the draft would be stored last although the participant undid it.
   */
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  function persist(text: string, source: 'edit' | 'use_message', sourceMessageId?: string): Promise<void> {
    const run = queue.current.then(async () => {
      const { revision } = await saveRef.current({ slug, content: text, source, sourceMessageId });
      savedRevision.current = Math.max(savedRevision.current, revision);
      setSavedContent(text);
    });
    queue.current = run.catch(() => undefined); // the pane shows save.error; later saves still run
    return run;
  }
  const latest = useRef({ content, savedContent, undo });
  latest.current = { content, savedContent, undo };

  // Another tab saved a newer document: take it unless there are unsaved edits here. Only a newer revision
  // counts: the same or an older one is this tab's own save or a read from before it.
  useEffect(() => {
    const { content: current, savedContent: saved } = latest.current;
    if (serverRevision <= savedRevision.current || current !== saved) return;
    savedRevision.current = serverRevision;
    if (serverDraft === saved) return;
    setContent(serverDraft);
    setSavedContent(serverDraft);
    setUndo(null);
  }, [serverDraft, serverRevision]);

  function insert({ messageId, text }: Insertion) {
    window.clearTimeout(timer.current);
    const previous = latest.current.content;
    setContent(text);
    setPendingInsert(null);
    setUndo({ previous, inserted: text });
    setNotice('The draft from the reply is now in your document.');
    void persist(text, 'use_message', messageId).catch(() => undefined);
    // After the phone layout has switched to this pane (the chat listens for the same event).
    window.setTimeout(() => textarea.current?.focus(), 0);
  }

  useEffect(() => {
    function onUse(e: Event) {
      const detail = (e as CustomEvent<UseMessageDetail>).detail;
      if (detail.slug !== slug) return;
      const text = documentToInsert(detail.content);
      const { content: current, undo: last } = latest.current;
      // Empty, or exactly what the last insertion put there: nothing of the participant's own would be lost.
      const untouched = current.trim() === '' || current === text || (last !== null && current === last.inserted);
      if (untouched) insert({ messageId: detail.messageId, text });
      else setPendingInsert({ messageId: detail.messageId, text });
    }
    window.addEventListener(USE_MESSAGE_EVENT, onUse);
    return () => window.removeEventListener(USE_MESSAGE_EVENT, onUse);
  }, [slug]);

  function onChange(next: string) {
    setContent(next);
    setUndo(null);
    setNotice(null);
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => {
      void persist(next, 'edit').catch(() => undefined);
    }, AUTOSAVE_MS);
  }

  function undoInsert() {
    if (!undo) return;
    window.clearTimeout(timer.current);
    const previous = undo.previous;
    setContent(previous);
    setUndo(null);
    setNotice('Your previous text is back.');
    void persist(previous, 'edit').catch(() => undefined);
    textarea.current?.focus();
  }

  useEffect(() => () => window.clearTimeout(timer.current), []);

  useEffect(() => {
    // Queued after any save in flight; the server ignores a save equal to the latest draft.
    documentSaver.flush = async () => {
      window.clearTimeout(timer.current);
      await persist(latest.current.content, 'edit');
    };
    return () => {
      documentSaver.flush = async () => {};
    };
  }, [save, slug]);

  const status = save.isPending ? 'Saving…' : content === savedContent ? 'All changes saved' : 'Unsaved changes';
  return (
    <section className="p-document" id="pane-document" aria-label="Your document">
      <div className="row">
        <label htmlFor="document" className="label">
          Your document
        </label>
        <span className="spacer" />
        <span className="small muted" role="status" aria-live="polite">
          {status}
        </span>
      </div>
      {pendingInsert ? (
        <ConfirmPrompt
          title="Replace your edited text?"
          body="Your document has text of your own. Using this reply replaces all of it with the reply’s draft (you can undo this right after)."
          confirmLabel="Replace my text"
          cancelLabel="Keep my text"
          onConfirm={() => insert(pendingInsert)}
          onCancel={() => setPendingInsert(null)}
        />
      ) : null}
      {undo || notice ? (
        <div className="row small" role="status">
          <span>{notice}</span>
          {undo ? (
            <button type="button" className="btn small" onClick={undoInsert}>
              Undo
            </button>
          ) : null}
        </div>
      ) : null}
      <textarea
        id="document"
        ref={textarea}
        value={content}
        onChange={(e) => onChange(e.target.value)}
        onBlur={() => {
          if (content !== savedContent) {
            window.clearTimeout(timer.current);
            void persist(content, 'edit').catch(() => undefined);
          }
        }}
        placeholder="Your working draft. Click “Use this in my document” on a reply to copy its draft here, then edit freely."
      />
      <ErrorAlert error={save.error} />
    </section>
  );
}
