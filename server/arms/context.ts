/**
 * What a template's non-conversation placeholders hold in a human study (pure). Document type and topic
 * are the participant's own (assigned type, chosen topic); their answers to the topic questions never go in.
 */
import type { StudyConfig } from '../studies/config';
import { defaultTaskText, type ArmContext } from './generate';

export function studyArmContext(config: StudyConfig, participant: { documentType: string | null; topicId: string | null }): ArmContext {
  const documentType = config.documentTypes.find((d) => d.key === participant.documentType)?.label ?? 'document';
  const topic = config.topics.find((t) => t.id === participant.topicId)?.label ?? '';
  return { documentType, topic, task: defaultTaskText(documentType.toLowerCase()) };
}
