/** Next.js start-up hook: migrate, seed and start background work once per server process. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { bootstrap } = await import('./server/bootstrap');
  await bootstrap();
}
