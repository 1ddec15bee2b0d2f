'use client';
/**
 * One chat message. When an assistant reply marks its document (`<document>` … `</document>`, see
 * server/llm/document-part.ts), the document is shown as a block of its own between the lead-in and the
 * follow-up, and "Use this in my document" copies only that block.
 */
import { splitReply } from '~/server/llm/document-part';

export interface ShownMessage {
  id: string;
  role: 'system' | 'user' | 'assistant';
  content: string;
  status: string;
}

/** The event the document pane listens for (the chat and the pane are siblings). */
export const USE_MESSAGE_EVENT = 'collab:use-message';
export interface UseMessageDetail {
  slug: string;
  messageId: string;
  content: string;
}

export function ChatMessage({ slug, message }: { slug: string; message: ShownMessage }) {
  const isUser = message.role === 'user';
  const parts = isUser ? null : splitReply(message.content);
  return (
    <article className={`p-message p-message-${message.role}`} aria-label={isUser ? 'You' : 'Assistant'}>
      <div className="small muted">{isUser ? 'You' : 'Assistant'}</div>
      {parts && parts.document !== null ? (
        <>
          {parts.before ? <div className="p-prewrap">{parts.before}</div> : null}
          <div className="p-prewrap p-draft" role="group" aria-label="Draft in this reply">
            {parts.document}
          </div>
          {parts.after ? <div className="p-prewrap">{parts.after}</div> : null}
        </>
      ) : (
        <div className="p-prewrap">{message.content || (message.status === 'generating' ? '…' : '')}</div>
      )}
      {message.role === 'assistant' && message.status === 'complete' && message.content ? (
        <div className="p-message-meta">
          <button
            type="button"
            className="btn small"
            title={parts?.document ? 'Copies the draft only, without the assistant’s comments' : 'Copies this reply into your document'}
            onClick={() =>
              window.dispatchEvent(new CustomEvent<UseMessageDetail>(USE_MESSAGE_EVENT, { detail: { slug, messageId: message.id, content: message.content } }))
            }
          >
            Use this in my document
          </button>
        </div>
      ) : null}
      {message.role === 'assistant' && message.status === 'generating' ? (
        <div className="small muted" role="status">
          Writing…
        </div>
      ) : null}
    </article>
  );
}
