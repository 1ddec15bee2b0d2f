/** Structured one-line JSON logs on stderr; the level comes from LOG_LEVEL. */
import { env } from '../env';

const levels = { debug: 10, info: 20, warn: 30, error: 40 } as const;
type Level = keyof typeof levels;

function serialize(value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  return value;
}

function log(level: Level, message: string, fields?: Record<string, unknown>) {
  if (levels[level] < levels[env.LOG_LEVEL]) return;
  const entry: Record<string, unknown> = { t: new Date().toISOString(), level, msg: message };
  for (const [k, v] of Object.entries(fields ?? {})) entry[k] = serialize(v);
  process.stderr.write(`${JSON.stringify(entry)}\n`);
}

export const logger = {
  debug: (m: string, f?: Record<string, unknown>) => log('debug', m, f),
  info: (m: string, f?: Record<string, unknown>) => log('info', m, f),
  warn: (m: string, f?: Record<string, unknown>) => log('warn', m, f),
  error: (m: string, f?: Record<string, unknown>) => log('error', m, f),
};
