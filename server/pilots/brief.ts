/** The simulated participant's hidden goal, from the study's own configuration (pure). */
import { documentTypeLabel } from '../benchmarks/demo';
import type { StudyConfig } from '../studies/config';

interface ParticipantFacts {
  documentType: string | null;
  topicId: string | null;
  topicAnswers: Record<string, string> | null;
}

export function typeLabelOf(study: StudyConfig, documentType: string | null): string {
  const type = study.documentTypes.find((d) => d.key === documentType);
  return type?.label.toLowerCase() ?? documentTypeLabel(documentType ?? 'document');
}

/**
 * The simulated user's hidden goal, from the study's own configuration: the assigned document type, the chosen
 * topic and the participant's own setup answers (which, as for people, never reach the assistant).
 */
export function pilotBrief(study: StudyConfig, participant: ParticipantFacts) {
  const type = study.documentTypes.find((d) => d.key === participant.documentType);
  const topic = study.topics.find((t) => t.id === participant.topicId);
  const label = typeLabelOf(study, participant.documentType);
  const answered = study.topicQuestions
    .filter((q) => participant.topicAnswers?.[q.id])
    .map((q) => ({ prompt: q.prompt.replace(/[?:.]\s*$/, ''), answer: participant.topicAnswers![q.id]! }));
  const brief = [
    `You want help writing a ${label} about "${topic?.label ?? 'a topic of your choice'}".`,
    ...(type?.description ? [type.description] : []),
    ...(answered.length ? ['Before the chat you answered these questions; keep to your answers:', ...answered.map((a) => `- ${a.prompt}: ${a.answer}`)] : []),
  ].join('\n');
  // What the offline scripted participant reveals one turn at a time (its opening already names the type and topic).
  const details = [...answered.map((a) => `${a.prompt}: ${a.answer}.`), ...(type?.description ? [type.description] : [])];
  return { brief, details, label, topic: topic?.label ?? '' };
}

