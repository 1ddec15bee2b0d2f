/**
 * The one place that reads process.env. Everything else imports `env`.
 * Edit this file (and README's configuration table) when adding a variable.
 */
import { z } from 'zod';

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));
const optionalUrl = optionalString.pipe(z.url().optional());

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  /** Real Postgres. When unset, an embedded PGlite database lives in DATA_DIR. */
  DATABASE_URL: optionalUrl,
  DATA_DIR: z.string().default('.data'),
  /** Signs participant cookies and NextAuth JWTs; derived key encrypts LLM API keys at rest. Generated into DATA_DIR when unset. */
  AUTH_SECRET: optionalString.pipe(z.string().min(16, 'AUTH_SECRET must be at least 16 characters').optional()),
  NEXTAUTH_URL: optionalUrl,
  ADMIN_EMAIL: optionalString.pipe(z.email().optional()),
  ADMIN_PASSWORD: optionalString.pipe(z.string().min(8, 'ADMIN_PASSWORD must be at least 8 characters').optional()),
  /** Optional OIDC provider for researcher sign-in. */
  OIDC_ISSUER: optionalUrl,
  OIDC_CLIENT_ID: optionalString,
  OIDC_CLIENT_SECRET: optionalString,
  /** Default OpenAI-compatible endpoint for the demo study's arms (per-arm variables override it). */
  LLM_BASE_URL: optionalUrl,
  LLM_API_KEY: optionalString,
  LLM_MODEL: optionalString,
  DEMO_BASELINE_BASE_URL: optionalUrl,
  DEMO_BASELINE_API_KEY: optionalString,
  DEMO_BASELINE_MODEL: optionalString,
  DEMO_PROACTIVE_BASE_URL: optionalUrl,
  DEMO_PROACTIVE_API_KEY: optionalString,
  DEMO_PROACTIVE_MODEL: optionalString,
  DEMO_COLLABLLM_BASE_URL: optionalUrl,
  DEMO_COLLABLLM_API_KEY: optionalString,
  DEMO_COLLABLLM_MODEL: optionalString,
  /** Milliseconds between streamed words of the offline demo model (human-readable pace). */
  DEMO_MODEL_WORD_DELAY_MS: z.coerce.number().int().min(0).max(1000).default(25),
  /** Per-request timeout when calling an LLM endpoint. */
  LLM_TIMEOUT_MS: z.coerce.number().int().min(100).default(60_000),
  LLM_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(3),
  /** Base delay for exponential backoff between LLM retries. */
  LLM_RETRY_BASE_MS: z.coerce.number().int().min(0).default(500),
  /** Run background jobs inside the web process (always true on the embedded database). */
  RUN_JOBS_IN_APP: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v !== 'false'),
  /** Jobs one process runs at once (each benchmark run's own concurrency applies on top). */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(32),
  /** How long a running job stays claimed without a heartbeat; a killed worker's jobs return after this. */
  JOB_LEASE_MS: z.coerce.number().int().min(500).max(600_000).default(30_000),
  JOB_POLL_INTERVAL_MS: z.coerce.number().int().min(20).max(60_000).default(500),
  /**
   * How many proxies in front of the app append the client's address to X-Forwarded-For (load balancer,
   * TLS terminator, CDN). The client address for sign-in and rate limits is the entry that many places from
   * the right; entries further left were written by the client and are ignored. 0 = clients reach Next.js directly.
   */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /**
   * New participant sessions one client address may start per 10 minutes (a flood must not skew arm balance). Raise
   * it when many real participants share one address (a lab behind one NAT); the test server raises it because every
   * simulated participant there comes from 127.0.0.1.
   */
  PARTICIPANT_ENTER_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(30),
  /** Training jobs (server/training/jobs): how often a fine-tuning job is polled at first (backs off to 8× while idle). */
  TRAINING_POLL_INTERVAL_MS: z.coerce.number().int().min(10).max(600_000).default(15_000),
  /** External trainer: the launcher URL that receives signed training requests (https; http only for localhost). */
  TRAINING_WEBHOOK_URL: optionalUrl,
  /** Shared secret for the HMAC-SHA256 signatures of training requests and trainer callbacks. */
  TRAINING_WEBHOOK_SECRET: optionalString.pipe(z.string().min(32, 'TRAINING_WEBHOOK_SECRET must be at least 32 characters').optional()),
  /** Public base URL of this app for the trainer's callback and dataset download (defaults to NEXTAUTH_URL). */
  TRAINING_PUBLIC_URL: optionalUrl,
  /** Lifetime of a dataset download link sent to a trainer. */
  TRAINING_DOWNLOAD_TTL_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(60),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});

export type Env = z.infer<typeof envSchema>;

function loadEnv(): Env {
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid environment configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

export const env: Env = loadEnv();
