'use client';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useTRPC } from '~/app/_trpc/client';

const INTERVAL_MS = 15_000;
const IDLE_AFTER_MS = 60_000;

/** Module-level so the chat can say "waiting for the model" without prop drilling. */
export const presence = { waitingForModel: false };

/** Reports presence every 15 s and on focus, blur, visibility and idle changes (the server stamps the time). */
export function useHeartbeat(slug: string, enabled: boolean) {
  const trpc = useTRPC();
  const beat = useMutation(trpc.participant.heartbeat.mutationOptions());
  const beatRef = useRef(beat.mutate);
  beatRef.current = beat.mutate;

  useEffect(() => {
    if (!enabled) return;
    let last = Date.now();
    let lastActivity = Date.now();
    let wasIdle = false;
    const send = () => {
      const now = Date.now();
      const idle = now - lastActivity > IDLE_AFTER_MS;
      wasIdle = idle;
      beatRef.current({
        slug,
        focused: document.visibilityState === 'visible' && document.hasFocus(),
        idle,
        intervalMs: now - last,
        waitingForModel: presence.waitingForModel,
      });
      last = now;
    };
    const onActivity = () => {
      lastActivity = Date.now();
      if (wasIdle) send();
    };
    const timer = window.setInterval(send, INTERVAL_MS);
    const idleCheck = window.setInterval(() => {
      if (!wasIdle && Date.now() - lastActivity > IDLE_AFTER_MS) send();
    }, 5_000);
    send();
    window.addEventListener('focus', send);
    window.addEventListener('blur', send);
    document.addEventListener('visibilitychange', send);
    for (const name of ['keydown', 'pointerdown', 'pointermove', 'scroll'] as const) window.addEventListener(name, onActivity, { passive: true });
    return () => {
      window.clearInterval(timer);
      window.clearInterval(idleCheck);
      window.removeEventListener('focus', send);
      window.removeEventListener('blur', send);
      document.removeEventListener('visibilitychange', send);
      for (const name of ['keydown', 'pointerdown', 'pointermove', 'scroll'] as const) window.removeEventListener(name, onActivity);
    };
  }, [slug, enabled]);
}
