/**
 * Throughput and time-to-finish of a run from its recent completions. Pure: the caller passes the
 * finish times it read and the clock.
 *
 * Uses a sliding window (the last `windowItems` finishes, at most `windowMs` old) rather than the
 * run's whole history, so a run that sped up after a 429 storm, or resumed after a restart, shows the
 * rate it has now.
 */
export interface EtaInput {
  finishedAt: readonly Date[];
  remaining: number;
  now: Date;
  windowItems?: number;
  windowMs?: number;
}

export interface Eta {
  /** Items per minute over the window; null with fewer than two finishes to measure. */
  perMinute: number | null;
  etaSeconds: number | null;
}

export function estimateEta(input: EtaInput): Eta {
  const windowMs = input.windowMs ?? 10 * 60_000;
  const recent = input.finishedAt
    .filter((d) => input.now.getTime() - d.getTime() <= windowMs)
    .sort((a, b) => b.getTime() - a.getTime())
    .slice(0, input.windowItems ?? 50);
  if (input.remaining === 0) return { perMinute: recent.length >= 2 ? rate(recent, input.now) : null, etaSeconds: 0 };
  if (recent.length < 2) return { perMinute: null, etaSeconds: null };
  const perMinute = rate(recent, input.now);
  return { perMinute, etaSeconds: Math.round((input.remaining / perMinute) * 60) };
}

function rate(recentNewestFirst: readonly Date[], now: Date): number {
  const oldest = recentNewestFirst[recentNewestFirst.length - 1]!.getTime();
  // Measured up to now, not the newest finish, so a stalled run's rate decays instead of freezing.
  const spanMs = Math.max(1000, now.getTime() - oldest);
  return ((recentNewestFirst.length - 1) / spanMs) * 60_000;
}
