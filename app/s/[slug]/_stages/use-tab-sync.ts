'use client';
/**
 * Keeps every open tab of a session on the server's state. A stale tab must never offer a control the
 * server no longer accepts (or hide the one it is waiting for, such as a due rating), so the state is
 * fetched again:
 * - when the tab regains focus or becomes visible;
 * - when another tab of the same session changed something (a BroadcastChannel message after each
 *   successful step; the server stays the judge, the message only says "look again");
 * - when any participant call fails with a conflict or precondition error (the server's state differs
 *   from what this tab showed).
 */
import { useQueryClient } from '@tanstack/react-query';
import { TRPCClientError } from '@trpc/client';
import { useEffect } from 'react';
import { useTRPC } from '~/app/_trpc/client';

/** Errors that mean "this tab is behind": the server refused a step that its state no longer allows. */
const STALE_CODES = new Set(['CONFLICT', 'PRECONDITION_FAILED', 'NOT_FOUND']);

export function isStaleStateError(error: unknown): boolean {
  if (!(error instanceof TRPCClientError)) return false;
  const code = (error.data as { code?: string } | undefined)?.code;
  return code !== undefined && STALE_CODES.has(code);
}

export function useTabSync(slug: string, enabled: boolean) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!enabled) return;
    const stateKey = trpc.participant.state.queryKey({ slug });
    const refetch = () => void queryClient.invalidateQueries({ queryKey: stateKey });
    const channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(`collab-participant:${slug}`);
    channel?.addEventListener('message', refetch);
    const onVisible = () => {
      if (document.visibilityState === 'visible') refetch();
    };
    window.addEventListener('focus', refetch);
    document.addEventListener('visibilitychange', onVisible);
    const unsubscribe = queryClient.getMutationCache().subscribe((event) => {
      if (event.type !== 'updated') return;
      const mutation = event.mutation;
      const key = mutation.options.mutationKey;
      // Heartbeats change nothing another tab shows; every other successful step is announced.
      const path = Array.isArray(key) && Array.isArray(key[0]) ? key[0].join('.') : '';
      if (!path.startsWith('participant.') || path === 'participant.heartbeat') return;
      if (event.action.type === 'success') channel?.postMessage('changed');
      if (event.action.type === 'error' && isStaleStateError(event.action.error)) refetch();
    });
    return () => {
      unsubscribe();
      channel?.close();
      window.removeEventListener('focus', refetch);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [enabled, queryClient, slug, trpc]);
}
