/**
 * The presets we ship. All prompt text here is our own; the setups follow the paper's arms (a plain base
 * model, a prompted proactive base, a collaborative model) and its evaluation roles (a GPT-4o-mini-class
 * simulated user, a strong judge). Endpoints are left to fill in (connectionId absent), except where noted.
 * Researchers who want the paper's exact prompts paste them into the template or system prompt themselves.
 */
import { PRESET_VERSION, presetSchema, type Preset, type PresetInput } from './presets';

const PROACTIVE_TEMPLATE = `You are an assistant helping someone write: {{task}}.

Here is your conversation with them so far:
{{conversation}}

Before you answer, work out what they are really after and what you still do not know. Prefer one or two
concrete questions (with a few options to pick from) over guessing; when you know enough, write or revise the
document and ask what to change. Keep your message focused and match the user's tone.

Reply with one JSON object only:
{"current_problem": "<what the user needs right now, in one sentence>", "thought": "<your private reasoning>", "response": "<your message to the user, at most {{max_new_tokens}} tokens>"}`;

const COLLABORATIVE_SYSTEM_PROMPT = `You are a collaborative writing partner. Treat each conversation as a joint project that unfolds over several turns.
- When a request leaves important choices open (audience, purpose, length, tone, key facts), ask about them before drafting; make questions specific and offer options.
- Once you have enough to go on, draft, then point out what you assumed and ask what to adjust.
- Build on every answer and every piece of feedback; never ask for something the user already told you.
- Keep messages concise. If you are unsure about a fact, say so.`;

const simulator = { model: 'gpt-4o-mini', temperature: 1 } as const;
const judge = { model: 'claude-3-5-sonnet-latest', interactivityScale: 'released-code' } as const;
const base = { temperature: 0.8, topP: 1, maxTokens: 1024, weight: 1 } as const;
const BASE_MODEL = 'meta-llama/Llama-3.1-8B-Instruct';

const presets: PresetInput[] = [
  {
    presetVersion: PRESET_VERSION,
    name: 'Plain baseline',
    description: 'One arm: the base model with no system prompt. Choose the endpoint serving it, the simulated user and the judge.',
    arms: [{ key: 'base', label: 'Base (no system prompt)', model: BASE_MODEL, systemPrompt: '', ...base }],
    simulator,
    judge,
  },
  {
    presetVersion: PRESET_VERSION,
    name: 'Proactive prompt',
    description:
      'The base model against the same model run through a proactive template (JSON reply; only "response" is shown, the problem statement and reasoning are stored).',
    arms: [
      { key: 'base', label: 'Base', model: BASE_MODEL, systemPrompt: '', ...base },
      {
        key: 'proactive',
        label: 'Proactive (template)',
        model: BASE_MODEL,
        systemPrompt: '',
        ...base,
        mode: 'template',
        template: { text: PROACTIVE_TEMPLATE, responseField: 'response', parseRetries: 2 },
      },
    ],
    referenceArmKey: 'base',
    simulator,
    judge,
  },
  {
    presetVersion: PRESET_VERSION,
    name: 'Collaborative prompt',
    description: 'The base model against the same model with a collaborative system prompt.',
    arms: [
      { key: 'base', label: 'Base', model: BASE_MODEL, systemPrompt: '', ...base },
      { key: 'collaborative', label: 'Collaborative prompt', model: BASE_MODEL, systemPrompt: COLLABORATIVE_SYSTEM_PROMPT, ...base },
    ],
    referenceArmKey: 'base',
    simulator,
    judge,
  },
  {
    presetVersion: PRESET_VERSION,
    name: 'Released checkpoint on vLLM',
    description:
      'The released CollabLLM writing checkpoint served by vLLM (add a connection whose base URL is your server, e.g. http://HOST:8000/v1, then choose it here) against the base model. The checkpoint was trained with a system prompt: paste the released one into its arm for a faithful replication (ours is a stand-in).',
    arms: [
      { key: 'base', label: 'Base', model: BASE_MODEL, systemPrompt: '', ...base },
      { key: 'collabllm', label: 'CollabLLM (released, vLLM)', model: 'collabllm/CollabLLM-writing-Llama-3.1-8B-Instruct', systemPrompt: COLLABORATIVE_SYSTEM_PROMPT, ...base },
    ],
    referenceArmKey: 'base',
    simulator,
    judge,
  },
];

/** Shipped presets, validated once (a broken one fails at import time of this module, i.e. in tests). */
export const BUILTIN_PRESETS: readonly Preset[] = presets.map((p) => presetSchema.parse(p));
