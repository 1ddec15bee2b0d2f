'use client';
import { useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '~/app/_trpc/client';

/** After any step, the server's state decides what comes next. */
export function useRefreshState(slug: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: trpc.participant.state.queryKey({ slug }) });
}
