import { getDb } from '~/db';
import { requirePageRole } from '~/server/auth/page-guard';
import { listConnections } from '~/server/connections/service';
import { ConnectionsManager } from './connections-manager';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'LLM connections · CollabStudy' };

export default async function ConnectionsPage() {
  const actor = await requirePageRole('admin');
  const connections = await listConnections({ db: await getDb(), actor });
  return (
    <div className="stack">
      <h1>LLM connections</h1>
      <p className="muted small">
        OpenAI-compatible endpoints (OpenAI, Azure, vLLM, Ollama, OpenRouter…) that study arms and benchmarks can use. API keys
        are encrypted on the server and never shown again after you save them.
      </p>
      <ConnectionsManager
        connections={connections.map((c) => ({
          id: c.id,
          name: c.name,
          baseUrl: c.baseUrl,
          defaultModel: c.defaultModel,
          hasKey: c.hasKey,
          keyHint: c.keyHint,
          keyUnreadable: c.keyUnreadable,
        }))}
      />
    </div>
  );
}
