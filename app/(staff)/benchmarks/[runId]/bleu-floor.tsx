'use client';
/** The run's BLEU floor (BLEU between unrelated tasks' targets), shown beside the arms' BLEU. */
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '~/app/_trpc/client';

const fmt = (x: number | null) => (x === null ? '—' : x.toFixed(3));

export function BleuFloorNote({ runId }: { runId: string }) {
  const trpc = useTRPC();
  const floor = useQuery(trpc.benchmarks.bleuFloor.queryOptions({ runId }));
  if (!floor.data || floor.data.pairs === 0) return null;
  const f = floor.data;
  return (
    <p className="small" role="note" aria-label="BLEU floor">
      <strong>BLEU floor</strong> (unrelated task pairs of this run, n = {f.pairs}, seeded by the run seed): character {fmt(f.char.mean)} [{fmt(f.char.lower)},{' '}
      {fmt(f.char.upper)}], word {fmt(f.word.mean)} [{fmt(f.word.lower)}, {fmt(f.word.upper)}]. An arm&apos;s BLEU means something only above this: character BLEU of
      unrelated documents is far from zero.
    </p>
  );
}
