import { checkDb } from '~/db';
import { webProcessStopping } from '~/server/participants/owner-id';

export const dynamic = 'force-dynamic';

export async function GET() {
  // A process that is shutting down says so, so a load balancer's health check takes it out at once.
  if (webProcessStopping()) return Response.json({ status: 'stopping' }, { status: 503 });
  const database = await checkDb();
  return Response.json(
    { status: database.ok ? 'ok' : 'degraded', database: { ok: database.ok, kind: database.kind } },
    { status: database.ok ? 200 : 503 },
  );
}
