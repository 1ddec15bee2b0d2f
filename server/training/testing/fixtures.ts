/** Test helpers for the training modules: users with API tokens, a fake-endpoint connection, reward requests. */
import crypto from 'node:crypto';
import type { Database } from '../../../db';
import { schema } from '../../../db';
import type { Actor } from '../../auth/session';
import { encryptSecret, sha256 } from '../../lib/secret';

export async function userWithToken(db: Database, role: 'viewer' | 'researcher' | 'admin'): Promise<{ actor: Actor; token: string }> {
  const [user] = await db.insert(schema.users).values({ email: `${role}-${crypto.randomUUID()}@test.local`, role }).returning();
  const token = `cst_${crypto.randomBytes(24).toString('base64url')}`;
  await db.insert(schema.apiTokens).values({ userId: user!.id, name: 'test', tokenHash: sha256(token), prefix: token.slice(0, 8) });
  return { actor: { id: user!.id, email: user!.email, name: null, role, via: 'api-token' }, token };
}

export async function fakeConnection(db: Database, baseUrl: string, apiKey: string): Promise<string> {
  const [row] = await db
    .insert(schema.llmConnections)
    .values({ name: `fake-${crypto.randomUUID().slice(0, 8)}`, baseUrl, apiKeyEncrypted: encryptSecret(apiKey), defaultModel: 'fake-model' })
    .returning();
  return row!.id;
}

/** MR settings with every role on one (fake) connection. */
export function connectedSettings(connectionId: string, over: Record<string, unknown> = {}) {
  return {
    policy: { key: 'policy', label: 'policy', connectionId, model: 'fake-model', systemPrompt: '' },
    simulator: { connectionId, model: 'fake-model' },
    judge: { connectionId, model: 'fake-judge' },
    weights: { bleu_char: 1, interactivity: 0.5 },
    ...over,
  };
}

export const rewardRequestBody = (over: Record<string, unknown> = {}) => ({
  messages: [
    { role: 'user', content: 'Can you help me write a blog post about my balcony garden?' },
  ],
  task: { brief: 'A short blog post about growing cherry tomatoes on a south-facing balcony.', targetDocument: 'Cherry tomatoes on my balcony grow well in the sun. I water them every morning.' },
  candidates: ['Happy to help! Which plants grow there, and who are your readers?', 'Here is a blog post about your balcony garden: tomatoes are great.'],
  ...over,
});
