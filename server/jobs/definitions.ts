/** Every job kind the app runs. A worker claims only kinds it knows, so all processes load this list. */
import type { JobDefinition } from './worker';

export function appJobDefinitions(): JobDefinition[] {
  return [];
}
