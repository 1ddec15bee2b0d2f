/** Web-process start-up step for the participant flow (called from instrumentation.ts). */
import { getDb } from '../../db';
import { logger } from '../lib/logger';
import { markInterruptedGenerations } from './generation-hub';

export async function markInterruptedOnStart(): Promise<void> {
  const count = await markInterruptedGenerations(await getDb());
  if (count > 0) logger.info('marked replies left generating by the previous process as interrupted', { count });
}
