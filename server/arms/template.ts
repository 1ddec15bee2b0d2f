/**
 * Template-mode arms (pure: zod and string work only, shared with the browser forms).
 *
 * In template mode an arm's whole request is a researcher-written template (for example a proactive or
 * chain-of-thought prompt pasted from a paper's code) and the model answers with a JSON object; only one
 * field of it (`responseField`, e.g. "response") is shown to the user, the rest is stored for researchers.
 *
 * Placeholders are written `{{name}}` (spaces inside the braces allowed). Values are inserted in a single
 * pass and never scanned again, so text from a participant or a model that contains `{{conversation}}`
 * stays literal. A literal `{{` is written `\{{`. Unknown names are rejected when the arm is saved.
 */
import { z } from 'zod';

export const ARM_MODES = ['system_prompt', 'template'] as const;
export type ArmMode = (typeof ARM_MODES)[number];

/** The placeholder set, with what each one holds (shown in the arm editor and the README). */
export const TEMPLATE_PLACEHOLDERS = {
  conversation: 'The conversation so far as "**User**: …" / "**Assistant**: …" paragraphs (shown text only).',
  conversation_json: 'The conversation so far as a JSON array of {"role", "content"} objects.',
  last_user_message: "The user's latest message.",
  task: 'What the assistant is asked to help with, e.g. "help the user write a blog post". Never the hidden brief or target of a benchmark task.',
  document_type: 'The document type label (study: the participant\'s assigned type; benchmark: the task\'s type).',
  topic: 'The topic label (study: the topic the participant chose; benchmark: the task\'s topic, empty when it has none).',
  max_new_tokens: "The arm's max tokens setting.",
} as const;
export type PlaceholderName = keyof typeof TEMPLATE_PLACEHOLDERS;
export const PLACEHOLDER_NAMES = Object.keys(TEMPLATE_PLACEHOLDERS) as PlaceholderName[];

export type TemplateValues = Record<PlaceholderName, string>;

// `\{{` (escaped braces) or `{{ name }}`; anything else is literal text.
const TOKEN = /\\\{\{|\{\{\s*([A-Za-z0-9_]*)\s*\}\}/g;

export const armTemplateSchema = z.object({
  /** The whole request, sent as one user message after the arm's system prompt (if it has one). */
  text: z.string().min(1).max(50_000),
  /** The top-level JSON field whose (string) value is shown to the user. */
  responseField: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'use letters, digits and _ (a JSON key such as "response")')
    .default('response'),
  /** Further samples after a reply whose JSON cannot be read; then the reply fails visibly. */
  parseRetries: z.number().int().min(0).max(5).default(2),
});
export type ArmTemplate = z.infer<typeof armTemplateSchema>;

/** Placeholder names the text uses that are not in the set. */
export function unknownPlaceholders(text: string): string[] {
  const unknown = new Set<string>();
  for (const m of text.matchAll(TOKEN)) {
    if (m[0] === '\\{{') continue;
    const name = m[1] ?? '';
    if (!(name in TEMPLATE_PLACEHOLDERS)) unknown.add(name || '(empty)');
  }
  return [...unknown];
}

export function usedPlaceholders(text: string): Set<string> {
  const used = new Set<string>();
  for (const m of text.matchAll(TOKEN)) if (m[0] !== '\\{{' && m[1]) used.add(m[1]);
  return used;
}

/** Problems with a template, as messages for the editor (empty when it is fine). */
export function templateProblems(text: string): string[] {
  const problems: string[] = [];
  const unknown = unknownPlaceholders(text);
  if (unknown.length)
    problems.push(`unknown placeholder${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `{{${n}}}`).join(', ')}; use ${PLACEHOLDER_NAMES.map((n) => `{{${n}}}`).join(', ')} (write \\{{ for literal braces)`);
  const used = usedPlaceholders(text);
  if (!used.has('conversation') && !used.has('conversation_json'))
    problems.push('the template must include the conversation: {{conversation}} or {{conversation_json}}');
  return problems;
}

/** Fills the placeholders in one pass; inserted values are never expanded again. */
export function renderTemplate(text: string, values: TemplateValues): string {
  return text.replace(TOKEN, (whole, name: string | undefined) => {
    if (whole === '\\{{') return '{{';
    return name && name in values ? values[name as PlaceholderName] : whole;
  });
}

/** The arm fields of this mode, as added to the shared arm schema (studies and benchmark runs). */
export const armModeFields = {
  /**
   * system_prompt (also when absent, as in every config written before template mode): the arm's system
   * prompt + the chat. template: the rendered template, JSON reply.
   */
  mode: z.enum(ARM_MODES).optional(),
  template: armTemplateSchema.optional(),
};

type ArmLike = { mode?: ArmMode; template?: { text: string } | undefined };
type IssueSink = { addIssue(issue: { code: 'custom'; path: (string | number)[]; message: string }): void };

/** Cross-field checks of template-mode arms, for the study and the run config schemas' superRefine. */
export function checkArmModes(arms: readonly ArmLike[], ctx: IssueSink, path: (string | number)[] = ['arms']): void {
  for (const [i, arm] of arms.entries()) {
    if (arm.mode !== 'template') continue;
    if (!arm.template) {
      ctx.addIssue({ code: 'custom', path: [...path, i, 'template'], message: 'a template-mode arm needs a template' });
      continue;
    }
    for (const message of templateProblems(arm.template.text))
      ctx.addIssue({ code: 'custom', path: [...path, i, 'template', 'text'], message });
  }
}
