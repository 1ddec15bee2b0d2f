/**
 * Adapter from the timing module (server/timing, owned by `assign`) to the figures the dashboard shows.
 * Until server/timing's summarizeParticipantTime is on main this returns null, and the dashboard shows
 * time outcomes as "not available" rather than a home-made approximation.
 */
export interface TimeInputs {
  stageVisits: { stage: string; enteredAt: Date; leftAt: Date | null }[];
  heartbeats: { stage: string; focused: boolean; idle: boolean; intervalMs: number; waitingForModel: boolean; receivedAt: Date }[];
  messages: { role: string; status: string; createdAt: Date; completedAt: Date | null; ttftMs: number | null; generationMs: number | null }[];
  now: Date;
}

export interface ParticipantTime {
  totalSec: number;
  activeSec: number;
  modelWaitSec: number;
}

export function participantTime(_inputs: TimeInputs): ParticipantTime | null {
  return null;
}
