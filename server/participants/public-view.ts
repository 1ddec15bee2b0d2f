/**
 * What a participant's browser may learn about a study. Built field by field (never by spreading the
 * config) so arm keys, model ids, prompts, connections and attention-check answers cannot slip through.
 */
import type { StudyConfig } from '../studies/config';

export interface PublicStudyView {
  title: string;
  consent: { version: string; text: string };
  instructions: string;
  topics: { id: string; label: string }[];
  /** `options` non-empty = pick one of them (fixed-choice question); empty = free text. */
  topicQuestions: { id: string; prompt: string; placeholder: string; options: string[] }[];
  minTurns: number;
  maxTurns: number;
  ratingInterval: number;
  maxMessageChars: number;
  messagesPerMinute: number;
  timeLimitMinutes: number;
  minFreeTextChars: number;
  blindingOptions: string[];
  attentionChecks: { id: string; prompt: string; options: string[] }[];
  /** True when any arm of the study runs on the offline demo model (never says which arm). */
  usesDemoModel: boolean;
}

export function studyUsesDemoModel(config: StudyConfig): boolean {
  return config.arms.some((arm) => arm.connectionId === null);
}

export function publicStudyView(config: StudyConfig): PublicStudyView {
  return {
    title: config.title,
    consent: { version: config.consent.version, text: config.consent.text },
    instructions: config.instructions,
    topics: config.topics.map((t) => ({ id: t.id, label: t.label })),
    topicQuestions: config.topicQuestions.map((q) => ({ id: q.id, prompt: q.prompt, placeholder: q.placeholder, options: q.options ?? [] })),
    minTurns: config.minTurns,
    maxTurns: config.maxTurns,
    ratingInterval: config.ratingInterval,
    maxMessageChars: config.maxMessageChars,
    messagesPerMinute: config.messagesPerMinute,
    timeLimitMinutes: config.timeLimitMinutes,
    minFreeTextChars: config.minFreeTextChars,
    blindingOptions: [...config.blindingOptions],
    attentionChecks: config.attentionChecks.map((c) => ({ id: c.id, prompt: c.prompt, options: [...c.options] })),
    usesDemoModel: studyUsesDemoModel(config),
  };
}

export function documentTypeView(config: StudyConfig, key: string | null): { label: string; description: string } | null {
  const type = config.documentTypes.find((d) => d.key === key);
  return type ? { label: type.label, description: type.description } : null;
}
