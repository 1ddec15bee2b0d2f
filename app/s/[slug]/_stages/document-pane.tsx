'use client';
/**
 * The working document: free editing with autosave (each save is a row in document_drafts), and
 * "Use this in my document" from any assistant reply, saved at once.
 */
import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTRPC } from '~/app/_trpc/client';
import { ErrorAlert } from './common';

const AUTOSAVE_MS = 1200;

/** Lets the chat save unsaved edits before leaving for the survey (the final document is the last saved draft). */
export const documentSaver: { flush: () => Promise<void> } = { flush: async () => {} };

export function DocumentPane({ slug, initial }: { slug: string; initial: string }) {
  const trpc = useTRPC();
  const save = useMutation(trpc.participant.saveDraft.mutationOptions());
  const [content, setContent] = useState(initial);
  const [savedContent, setSavedContent] = useState(initial);
  const timer = useRef<number | undefined>(undefined);
  const saveRef = useRef(save.mutate);
  saveRef.current = save.mutate;

  useEffect(() => {
    function onUse(e: Event) {
      const detail = (e as CustomEvent<{ slug: string; messageId: string; content: string }>).detail;
      if (detail.slug !== slug) return;
      window.clearTimeout(timer.current);
      setContent(detail.content);
      saveRef.current(
        { slug, content: detail.content, source: 'use_message', sourceMessageId: detail.messageId },
        { onSuccess: () => setSavedContent(detail.content) },
      );
    }
    window.addEventListener('collab:use-message', onUse);
    return () => window.removeEventListener('collab:use-message', onUse);
  }, [slug]);

  function onChange(next: string) {
    setContent(next);
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => {
      saveRef.current({ slug, content: next, source: 'edit' }, { onSuccess: () => setSavedContent(next) });
    }, AUTOSAVE_MS);
  }

  useEffect(() => () => window.clearTimeout(timer.current), []);

  const latest = useRef({ content, savedContent });
  latest.current = { content, savedContent };
  useEffect(() => {
    documentSaver.flush = async () => {
      const { content: current, savedContent: saved } = latest.current;
      window.clearTimeout(timer.current);
      if (current === saved) return;
      await save.mutateAsync({ slug, content: current, source: 'edit' });
      setSavedContent(current);
    };
    return () => {
      documentSaver.flush = async () => {};
    };
  }, [save, slug]);

  const status = save.isPending ? 'Saving…' : content === savedContent ? 'All changes saved' : 'Unsaved changes';
  return (
    <section className="p-document" aria-label="Your document">
      <div className="row">
        <label htmlFor="document" className="label">
          Your document
        </label>
        <span className="spacer" />
        <span className="small muted" role="status" aria-live="polite">
          {status}
        </span>
      </div>
      <textarea
        id="document"
        value={content}
        onChange={(e) => onChange(e.target.value)}
        onBlur={() => {
          if (content !== savedContent) {
            window.clearTimeout(timer.current);
            save.mutate({ slug, content, source: 'edit' }, { onSuccess: () => setSavedContent(content) });
          }
        }}
        placeholder="Your working draft. Click “Use this in my document” on a reply to copy it here, then edit freely."
      />
      <ErrorAlert error={save.error} />
    </section>
  );
}
