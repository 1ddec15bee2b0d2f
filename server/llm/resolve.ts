/**
 * From stored configuration (an arm, a connection id) to a ModelTarget the LLM layer can call.
 * Decrypted keys exist only inside the returned target, in server memory.
 */
import { eq } from 'drizzle-orm';
import type { DbExecutor } from '../../db';
import { llmConnections } from '../../db/schema';
import { decryptSecret } from '../lib/secret';
import { precondition, badRequest } from '../services/errors';
import type { ArmConfig } from '../studies/config';
import { completeChat, LlmError, redactSecrets } from './index';
import { isDemoStyle } from './demo-model';
import type { ChatMessage, ModelTarget } from './types';

/**
 * Decrypted keys by connection and ciphertext: every simulator, arm and judge call resolves its target, and
 * AES-GCM plus parsing is wasted work when the stored key has not changed. Keyed by the ciphertext too, so an
 * edited key is picked up at once; bounded because connections are few and churn only when keys are edited.
 */
const decryptedKeys = new Map<string, string>();

function decryptConnectionKey(connectionId: string, sealed: string): string {
  const cacheKey = `${connectionId}\u0000${sealed}`;
  let plain = decryptedKeys.get(cacheKey);
  if (plain === undefined) {
    plain = decryptSecret(sealed);
    if (decryptedKeys.size >= 100) decryptedKeys.clear();
    decryptedKeys.set(cacheKey, plain);
  }
  return plain;
}

export interface TargetParams {
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  json?: boolean;
}

export async function resolveConnectionTarget(
  db: DbExecutor,
  connectionId: string | null,
  model: string,
  params: TargetParams = {},
): Promise<ModelTarget> {
  if (connectionId === null) {
    if (!isDemoStyle(model))
      throw badRequest(`"${model}" is not a demo model; without a connection use baseline, proactive or collabllm.`);
    return { connection: null, model, ...params };
  }
  const [row] = await db.select().from(llmConnections).where(eq(llmConnections.id, connectionId)).limit(1);
  if (!row)
    throw precondition('The LLM connection this configuration uses no longer exists. Choose another connection in the study setup or under Admin → Connections.');
  let apiKey: string | null = null;
  if (row.apiKeyEncrypted) {
    try {
      apiKey = decryptConnectionKey(row.id, row.apiKeyEncrypted);
    } catch {
      throw precondition(
        `The API key stored for connection "${row.name}" cannot be decrypted (was AUTH_SECRET changed?). Enter the key again under Admin → Connections.`,
      );
    }
  }
  return { connection: { baseUrl: row.baseUrl, apiKey }, model: model || row.defaultModel, ...params };
}

export function resolveArmTarget(db: DbExecutor, arm: ArmConfig): Promise<ModelTarget> {
  return resolveConnectionTarget(db, arm.connectionId, arm.model, {
    temperature: arm.temperature,
    topP: arm.topP,
    maxTokens: arm.maxTokens,
  });
}

/** The messages an arm sends: its system prompt (if any) followed by the conversation. */
export function withSystemPrompt(systemPrompt: string, conversation: ChatMessage[]): ChatMessage[] {
  const history = conversation.filter((m) => m.role !== 'system');
  return systemPrompt.trim() ? [{ role: 'system', content: systemPrompt }, ...history] : history;
}

export interface ConnectionTestResult {
  ok: boolean;
  latencyMs: number;
  /** Human-readable reason; never contains the key. */
  error?: string;
  /** The model id the endpoint reported. */
  model?: string;
}

/** One tiny completion, without retries, so an admin sees at once whether URL, key and model work. */
export async function testConnection(
  connection: { baseUrl: string; apiKey: string | null },
  model: string,
  opts: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<ConnectionTestResult> {
  const started = performance.now();
  try {
    const result = await completeChat(
      { connection, model, maxTokens: 16, temperature: 0 },
      [{ role: 'user', content: 'Reply with the single word: ready' }],
      { maxRetries: 0, timeoutMs: opts.timeoutMs ?? 15_000, signal: opts.signal },
    );
    return { ok: true, latencyMs: Math.round(performance.now() - started), model: result.model };
  } catch (err) {
    const message = err instanceof LlmError ? err.message : `Unexpected error: ${(err as Error).message}`;
    return { ok: false, latencyMs: Math.round(performance.now() - started), error: redactSecrets(message, connection.apiKey) };
  }
}
