/** Next.js start-up hook: migrate, seed and start background work once per server process. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { bootstrap } = await import('./server/bootstrap');
  await bootstrap();
  // Only web processes stream replies: each registers with a heartbeat and interrupts only replies of
  // processes that stopped beating (never a sibling's), see server/participants/reply-owners.ts.
  const { startParticipantRuntime } = await import('./server/participants/startup');
  await startParticipantRuntime();
}
