import { checkDb } from '~/db';

export const dynamic = 'force-dynamic';

export async function GET() {
  const database = await checkDb();
  return Response.json(
    { status: database.ok ? 'ok' : 'degraded', database: { ok: database.ok, kind: database.kind } },
    { status: database.ok ? 200 : 503 },
  );
}
