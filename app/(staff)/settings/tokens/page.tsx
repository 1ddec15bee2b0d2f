import { getDb } from '~/db';
import { requirePageRole } from '~/server/auth/page-guard';
import { listApiTokens } from '~/server/auth/tokens';
import { TokensManager } from './tokens-manager';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'API tokens · CollabStudy' };

export default async function TokensPage() {
  const actor = await requirePageRole('viewer');
  const tokens = await listApiTokens({ db: await getDb(), actor });
  return (
    <div className="stack" style={{ maxWidth: 900 }}>
      <h1>API tokens</h1>
      <p className="muted small">
        A token acts as you, with your role, from scripts: send it as <span className="mono">Authorization: Bearer cst_…</span>.
        Only a hash is stored, so a token is shown once, when you create it. Revoke tokens you no longer use.
      </p>
      <TokensManager
        tokens={tokens.map((t) => ({
          id: t.id,
          name: t.name,
          prefix: t.prefix,
          createdAt: t.createdAt.toISOString(),
          lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
          revokedAt: t.revokedAt?.toISOString() ?? null,
        }))}
      />
    </div>
  );
}
