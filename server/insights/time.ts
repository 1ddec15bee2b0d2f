/** Adapter from the timing module (server/timing) to the three time figures the dashboard compares. */
import { summarizeParticipantTime, type HeartbeatInput, type MessageInput, type StageVisitInput } from '../timing';

export interface TimeInputs {
  stageVisits: StageVisitInput[];
  heartbeats: HeartbeatInput[];
  messages: MessageInput[];
  now: Date;
}

export interface ParticipantTime {
  totalSec: number;
  /** Total minus time spent waiting for the model's replies. */
  activeSec: number;
  modelWaitSec: number;
}

export function participantTime(inputs: TimeInputs): ParticipantTime | null {
  const summary = summarizeParticipantTime(inputs);
  if (summary.startedAt === null) return null;
  const wait = summary.chat.waitingForModelMs;
  return { totalSec: summary.totalMs / 1000, activeSec: Math.max(0, summary.totalMs - wait) / 1000, modelWaitSec: wait / 1000 };
}
