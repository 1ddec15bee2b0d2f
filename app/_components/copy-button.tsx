'use client';
import { useState } from 'react';

/** Copies `text` to the clipboard and says so (politely, for screen readers too). */
export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [status, setStatus] = useState<'idle' | 'copied' | 'failed'>('idle');
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setStatus('copied');
    } catch {
      // Clipboard access can be refused (permissions, insecure origin): the text is selectable next to the button.
      setStatus('failed');
    }
  }
  return (
    <>
      <button type="button" className="btn" onClick={() => void copy()} aria-label={label}>
        {status === 'copied' ? 'Copied' : 'Copy'}
      </button>
      <span className="small muted" role="status">
        {status === 'failed' ? 'Could not copy; select the text and copy it by hand.' : ''}
      </span>
    </>
  );
}
