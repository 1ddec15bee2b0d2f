/**
 * Files and fine-tuning endpoints of the fake OpenAI-compatible server (scripts/fake-openai-server.ts),
 * in their own module so the chat fake stays as it was.
 *
 * A job advances one step of its script each time it is retrieved (not with the clock), so tests follow a
 * job through validating_files → queued → running → succeeded (or failed) without depending on timing.
 *
 * Routes:   POST /v1/files (multipart: file, purpose)        GET /v1/files/{id}
 *           POST /v1/fine_tuning/jobs   GET /v1/fine_tuning/jobs[?metadata[k]=v]   GET /v1/fine_tuning/jobs/{id}
 *           GET /v1/fine_tuning/jobs/{id}/events[?after=&limit=]   POST /v1/fine_tuning/jobs/{id}/cancel
 * Control:  POST /__fake/fine-tuning/script     body: FineTuneScript (applies to jobs created from now on)
 *           POST /__fake/fine-tuning/fail-next  body: FineTuneFailure | FineTuneFailure[]
 *           GET  /__fake/fine-tuning/state      → { files, jobs } (file contents included)
 */
import type { IncomingHttpHeaders } from 'node:http';

export interface FineTuneScript {
  /** 'succeed' (default) or 'fail' after the running steps. */
  outcome?: 'succeed' | 'fail';
  /** Retrieves spent in `running` before the outcome (default 2). */
  runningSteps?: number;
  error?: { code: string; message: string };
  trainedTokens?: number;
}

export interface FineTuneFailure {
  /** Which route fails; 'any' matches the next files/fine-tuning request. */
  route: 'upload' | 'create' | 'retrieve' | 'events' | 'cancel' | 'list' | 'any';
  status: number;
  retryAfterSeconds?: number;
  message?: string;
  /** Carry the request out, then answer with the failure anyway (a response lost on the way back). */
  afterEffect?: boolean;
}

interface FakeFile {
  id: string;
  object: 'file';
  bytes: number;
  created_at: number;
  filename: string;
  purpose: string;
  status: 'processed';
  content: string;
}

interface FakeEvent {
  object: 'fine_tuning.job.event';
  id: string;
  created_at: number;
  level: 'info' | 'warn' | 'error';
  message: string;
  type: 'message' | 'metrics';
  data: Record<string, unknown> | null;
}

interface FakeJob {
  object: 'fine_tuning.job';
  id: string;
  model: string;
  created_at: number;
  finished_at: number | null;
  fine_tuned_model: string | null;
  organization_id: string;
  result_files: string[];
  status: 'validating_files' | 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  training_file: string;
  validation_file: string | null;
  trained_tokens: number | null;
  error: { code: string; message: string; param: string | null } | null;
  hyperparameters: Record<string, unknown>;
  method: Record<string, unknown>;
  metadata: Record<string, string> | null;
  seed: number;
  suffix: string | null;
  estimated_finish: number | null;
  integrations: null;
  user_provided_suffix: string | null;
  /** Not part of the API: the job's script and position, stripped before sending. */
  script: Required<Omit<FineTuneScript, 'error'>> & { error: FineTuneScript['error'] };
  step: number;
  events: FakeEvent[];
}

export interface FakeFineTuningReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const now = () => Math.floor(Date.now() / 1000);

export function createFakeFineTuning() {
  const files = new Map<string, FakeFile>();
  const jobs = new Map<string, FakeJob>();
  const failures: FineTuneFailure[] = [];
  let script: FineTuneScript = {};
  let counter = 0;

  const error = (status: number, message: string, extra: Record<string, unknown> = {}): FakeFineTuningReply => ({
    status,
    body: { error: { message, type: status === 404 ? 'not_found' : 'invalid_request_error', code: null, param: null, ...extra } },
  });

  function takeFailure(route: FineTuneFailure['route']): FakeFineTuningReply | null {
    const index = failures.findIndex((f) => f.route === route || f.route === 'any');
    if (index < 0) return null;
    const [failure] = failures.splice(index, 1);
    const headers: Record<string, string> = {};
    if (failure!.retryAfterSeconds !== undefined) headers['retry-after'] = String(failure!.retryAfterSeconds);
    return { ...error(failure!.status, failure!.message ?? `Injected failure ${failure!.status}`), headers };
  }

  function addEvent(job: FakeJob, message: string, extra: Partial<FakeEvent> = {}) {
    job.events.push({
      object: 'fine_tuning.job.event',
      id: `ftevent-fake-${++counter}`,
      created_at: now(),
      level: 'info',
      message,
      type: 'message',
      data: null,
      ...extra,
    });
  }

  /** One retrieve = one step along the script. */
  function advance(job: FakeJob) {
    if (['succeeded', 'failed', 'cancelled'].includes(job.status)) return;
    job.step += 1;
    const totalSteps = job.script.runningSteps;
    if (job.status === 'validating_files') {
      job.status = 'queued';
      addEvent(job, 'Files validated, moving job to queued state');
    } else if (job.status === 'queued') {
      job.status = 'running';
      addEvent(job, 'Fine-tuning job started');
    } else if (job.status === 'running') {
      const done = job.events.filter((e) => e.type === 'metrics').length;
      if (done < totalSteps) {
        addEvent(job, `Step ${done + 1}/${totalSteps}: training loss=${(1 / (done + 2)).toFixed(4)}`, {
          type: 'metrics',
          data: { step: done + 1, total_steps: totalSteps, train_loss: 1 / (done + 2) },
        });
        return;
      }
      job.finished_at = now();
      if (job.script.outcome === 'fail') {
        job.status = 'failed';
        job.error = { code: job.script.error?.code ?? 'invalid_training_file', message: job.script.error?.message ?? 'The training file has too few examples.', param: 'training_file' };
        addEvent(job, `Fine-tuning job failed: ${job.error.message}`, { level: 'error' });
      } else {
        job.status = 'succeeded';
        job.trained_tokens = job.script.trainedTokens;
        job.fine_tuned_model = `ft:${job.model}:fake-org:${job.suffix ?? 'custom'}:${job.id.slice(-8)}`;
        addEvent(job, `New fine-tuned model created: ${job.fine_tuned_model}`);
        addEvent(job, 'The job has successfully completed');
      }
    }
  }

  const publicJob = (job: FakeJob) => {
    const { script: _script, step: _step, events: _events, ...rest } = job;
    return rest;
  };

  async function upload(raw: string, headers: IncomingHttpHeaders): Promise<FakeFineTuningReply> {
    const contentType = headers['content-type'] ?? '';
    if (!contentType.startsWith('multipart/form-data')) return error(400, 'Expected multipart/form-data.');
    // The platform's own multipart parser (undici's Request.formData) rather than a hand-written one.
    const form = await new Request('http://fake/upload', { method: 'POST', headers: { 'content-type': contentType }, body: raw }).formData();
    const file = form.get('file');
    const purpose = form.get('purpose');
    if (!(file instanceof Blob)) return error(400, "'file' is a required property");
    if (purpose !== 'fine-tune') return error(400, `Invalid purpose '${String(purpose)}'.`);
    const content = await file.text();
    const lines = content.split('\n').filter((l) => l.trim());
    const bad = lines.findIndex((l) => {
      try {
        JSON.parse(l);
        return false;
      } catch {
        return true;
      }
    });
    if (lines.length === 0 || bad >= 0)
      return error(400, lines.length === 0 ? 'The file is empty.' : `Invalid file format: line ${bad + 1} is not valid JSON.`);
    const record: FakeFile = {
      id: `file-fake-${++counter}`,
      object: 'file',
      bytes: Buffer.byteLength(content),
      created_at: now(),
      filename: 'name' in file ? String((file as File).name) : 'upload.jsonl',
      purpose,
      status: 'processed',
      content,
    };
    files.set(record.id, record);
    const { content: _content, ...visible } = record;
    return { status: 200, body: visible };
  }

  function create(body: Record<string, unknown> | null): FakeFineTuningReply {
    if (!body || typeof body.model !== 'string') return error(400, "'model' is a required property");
    const trainingFile = files.get(String(body.training_file ?? ''));
    if (!trainingFile) return error(400, `invalid training_file: ${String(body.training_file)}`, { param: 'training_file' });
    if (body.validation_file && !files.has(String(body.validation_file)))
      return error(400, `invalid validation_file: ${String(body.validation_file)}`, { param: 'validation_file' });
    const method = (body.method ?? { type: 'supervised' }) as { type?: string };
    if (method.type !== 'supervised' && method.type !== 'dpo') return error(400, `Unsupported method type '${String(method.type)}'.`);
    const job: FakeJob = {
      object: 'fine_tuning.job',
      id: `ftjob-fake-${++counter}`,
      model: body.model,
      created_at: now(),
      finished_at: null,
      fine_tuned_model: null,
      organization_id: 'org-fake',
      result_files: [],
      status: 'validating_files',
      training_file: trainingFile.id,
      validation_file: (body.validation_file as string | undefined) ?? null,
      trained_tokens: null,
      error: null,
      hyperparameters: ((method as Record<string, Record<string, unknown>>)[method.type]?.hyperparameters as Record<string, unknown>) ?? {},
      method: method as Record<string, unknown>,
      metadata: (body.metadata as Record<string, string> | undefined) ?? null,
      seed: typeof body.seed === 'number' ? body.seed : 42,
      suffix: (body.suffix as string | undefined) ?? null,
      estimated_finish: null,
      integrations: null,
      user_provided_suffix: (body.suffix as string | undefined) ?? null,
      script: {
        outcome: script.outcome ?? 'succeed',
        runningSteps: script.runningSteps ?? 2,
        trainedTokens: script.trainedTokens ?? trainingFile.bytes,
        error: script.error,
      },
      step: 0,
      events: [],
    };
    addEvent(job, `Created fine-tuning job: ${job.id}`);
    addEvent(job, `Validating training file: ${trainingFile.id}`);
    jobs.set(job.id, job);
    return { status: 200, body: publicJob(job) };
  }

  function list(url: URL): FakeFineTuningReply {
    const wanted = [...url.searchParams.entries()]
      .map(([k, v]) => [/^metadata\[(.+)\]$/.exec(k)?.[1], v] as const)
      .filter((pair): pair is readonly [string, string] => pair[0] !== undefined);
    const data = [...jobs.values()]
      .filter((job) => wanted.every(([k, v]) => job.metadata?.[k] === v))
      .reverse()
      .map(publicJob);
    const limit = Number(url.searchParams.get('limit') ?? 20);
    return { status: 200, body: { object: 'list', data: data.slice(0, limit), has_more: data.length > limit } };
  }

  function events(job: FakeJob, url: URL): FakeFineTuningReply {
    // Newest first, like the real API; `after` continues with events older than that id.
    const newestFirst = [...job.events].reverse();
    const after = url.searchParams.get('after');
    const start = after ? newestFirst.findIndex((e) => e.id === after) + 1 : 0;
    const limit = Number(url.searchParams.get('limit') ?? 20);
    const page = newestFirst.slice(start, start + limit);
    return { status: 200, body: { object: 'list', data: page, has_more: start + limit < newestFirst.length } };
  }

  return {
    handles: (path: string) => path === '/v1/files' || path.startsWith('/v1/files/') || path.startsWith('/v1/fine_tuning/'),

    async handle(method: string, url: URL, raw: string, headers: IncomingHttpHeaders): Promise<FakeFineTuningReply> {
      const path = url.pathname;
      let body: Record<string, unknown> | null = null;
      if (raw && !(headers['content-type'] ?? '').startsWith('multipart/')) {
        try {
          body = JSON.parse(raw) as Record<string, unknown>;
        } catch {
          return error(400, 'Body must be JSON.');
        }
      }
      const lost = (route: FineTuneFailure['route'], run: () => FakeFineTuningReply | Promise<FakeFineTuningReply>) => {
        const index = failures.findIndex((f) => (f.route === route || f.route === 'any') && f.afterEffect);
        if (index < 0) return takeFailure(route) ?? run();
        return Promise.resolve(run()).then(() => takeFailure(route)!);
      };
      if (path === '/v1/files' && method === 'POST') return lost('upload', () => upload(raw, headers));
      const fileMatch = /^\/v1\/files\/([^/]+)$/.exec(path);
      if (fileMatch && method === 'GET') {
        const file = files.get(fileMatch[1]!);
        if (!file) return error(404, `No such File object: ${fileMatch[1]}`);
        const { content: _content, ...visible } = file;
        return { status: 200, body: visible };
      }
      if (path === '/v1/fine_tuning/jobs' && method === 'POST') return lost('create', () => create(body));
      if (path === '/v1/fine_tuning/jobs' && method === 'GET') return takeFailure('list') ?? list(url);
      const jobMatch = /^\/v1\/fine_tuning\/jobs\/([^/]+)(\/events|\/cancel)?$/.exec(path);
      if (jobMatch) {
        const job = jobs.get(jobMatch[1]!);
        const sub = jobMatch[2];
        const route = sub === '/events' ? 'events' : sub === '/cancel' ? 'cancel' : 'retrieve';
        const failure = takeFailure(route);
        if (failure) return failure;
        if (!job) return error(404, `Could not find fine-tune: ${jobMatch[1]}`);
        if (route === 'events' && method === 'GET') return events(job, url);
        if (route === 'cancel' && method === 'POST') {
          if (['succeeded', 'failed', 'cancelled'].includes(job.status)) return error(400, `Job has already completed with status ${job.status}.`);
          job.status = 'cancelled';
          job.finished_at = now();
          addEvent(job, 'Fine-tuning job cancelled');
          return { status: 200, body: publicJob(job) };
        }
        if (route === 'retrieve' && method === 'GET') {
          advance(job);
          return { status: 200, body: publicJob(job) };
        }
      }
      return error(404, `No route ${method} ${path}`);
    },

    /** Control routes under /__fake/fine-tuning/; returns null for paths it does not own. */
    control(method: string, path: string, payload: unknown): FakeFineTuningReply | null {
      if (path === '/__fake/fine-tuning/script' && method === 'POST') {
        script = (payload ?? {}) as FineTuneScript;
        return { status: 200, body: { ok: true } };
      }
      if (path === '/__fake/fine-tuning/fail-next' && method === 'POST') {
        const list = (Array.isArray(payload) ? payload : [payload]) as FineTuneFailure[];
        if (!list.every((f) => f && typeof f === 'object' && typeof f.status === 'number' && typeof f.route === 'string'))
          return { status: 400, body: { error: 'expected FineTuneFailure or FineTuneFailure[]' } };
        failures.push(...list);
        return { status: 200, body: { queued: failures.length } };
      }
      if (path === '/__fake/fine-tuning/state' && method === 'GET')
        return { status: 200, body: { files: [...files.values()], jobs: [...jobs.values()].map((j) => ({ ...publicJob(j), events: j.events })) } };
      return null;
    },

    setScript: (next: FineTuneScript) => void (script = next),
    failNext: (...list: FineTuneFailure[]) => void failures.push(...list),
    state: () => ({ files: [...files.values()], jobs: [...jobs.values()] }),
    reset() {
      files.clear();
      jobs.clear();
      failures.length = 0;
      script = {};
    },
  };
}

export type FakeFineTuning = ReturnType<typeof createFakeFineTuning>;
