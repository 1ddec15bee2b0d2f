import type { ParticipantState } from '~/server/participants/state';

export type { ParticipantState };
export interface StageProps {
  slug: string;
  state: ParticipantState;
}
