/** Next.js start-up hook: migrate, seed and start background work once per server process. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { bootstrap } = await import('./server/bootstrap');
  await bootstrap();
  // Only web processes stream replies, so only their start-up may declare leftover streams dead
  // (a worker starting must not interrupt replies a running web process is generating).
  const { markInterruptedOnStart } = await import('./server/participants/startup');
  await markInterruptedOnStart();
}
