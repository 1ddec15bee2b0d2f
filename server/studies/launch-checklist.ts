/**
 * What to look at before launching (pure, shared by the launch dialog and its tests). None of these
 * block a launch (a pilot on the demo model is legitimate); they are the mistakes that are expensive
 * to notice after participants have been paid.
 */
import type { ArmConfig, StudyConfig } from './config';
import { starterStudyConfig } from './template';

export interface ChecklistItem {
  id: 'demo-model' | 'template-codes' | 'prolific-url' | 'template-consent' | 'identical-arms';
  message: string;
}

/** Endpoint, model and prompt: what makes two arms behave differently (labels and weights do not). */
function behaviour(arm: ArmConfig): string {
  return JSON.stringify([arm.connectionId, arm.model, arm.systemPrompt.trim()]);
}

export function launchChecklist(config: StudyConfig): ChecklistItem[] {
  const template = starterStudyConfig();
  const items: ChecklistItem[] = [];

  const onDemo = config.arms.filter((a) => a.connectionId === null);
  if (onDemo.length > 0)
    items.push({
      id: 'demo-model',
      message: `${onDemo.length === config.arms.length ? 'Every arm' : `${onDemo.length} of ${config.arms.length} arms`} (${onDemo
        .map((a) => a.label)
        .join(', ')}) still use${onDemo.length === 1 ? 's' : ''} the offline demo model, not a real LLM.`,
    });

  const codes = config.completionCodes;
  const defaults = template.completionCodes;
  const unchanged = (Object.keys(defaults) as (keyof typeof defaults)[]).filter((k) => codes[k] === defaults[k]);
  if (unchanged.length > 0)
    items.push({
      id: 'template-codes',
      message: `The completion code${unchanged.length === 1 ? '' : 's'} ${unchanged.map((k) => `"${codes[k]}"`).join(', ')} ${
        unchanged.length === 1 ? 'is' : 'are'
      } still the template's; anyone who has seen the template could claim payment. Use your recruitment platform's codes.`,
    });

  const url = config.prolificCompletionUrl.trim();
  if (!url) items.push({ id: 'prolific-url', message: 'No Prolific completion URL: Prolific participants will only see the code, not a link back.' });
  else if (!url.includes('{code}'))
    items.push({ id: 'prolific-url', message: 'The Prolific completion URL has no {code} placeholder, so it cannot carry the completion code.' });

  if (config.consent.text.trim() === template.consent.text.trim())
    items.push({ id: 'template-consent', message: "The consent text is still the template's; replace it with the text your ethics board approved." });

  const seen = new Map<string, ArmConfig>();
  for (const arm of config.arms) {
    const same = seen.get(behaviour(arm));
    if (same)
      items.push({
        id: 'identical-arms',
        message: `Arms "${same.label}" and "${arm.label}" are identical (same endpoint, model and prompt), so the study cannot tell them apart.`,
      });
    else seen.set(behaviour(arm), arm);
  }
  return items;
}
