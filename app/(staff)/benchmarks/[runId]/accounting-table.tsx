'use client';
import type { RunAnalysis } from '~/server/benchmarks/analysis';

function reasons(record: Record<string, number>): string {
  const entries = Object.entries(record);
  return entries.length === 0 ? '' : entries.map(([k, v]) => `${k} ×${v}`).join(', ');
}

/** Every planned conversation per arm: where it went and how it ended. Nothing drops out silently. */
export function AccountingTable({ accounting, label }: { accounting: RunAnalysis['accounting']; label: (key: string) => string }) {
  const rows: { name: string; value: (a: RunAnalysis['accounting'][number]) => string | number }[] = [
    { name: 'Planned', value: (a) => a.planned },
    { name: 'Finished', value: (a) => a.finished },
    { name: 'Ended by the simulated user', value: (a) => a.endedBySimulator },
    { name: 'Ended by the turn limit', value: (a) => a.endedByTurnLimit },
    { name: 'Ended by a guard (endless goodbyes)', value: (a) => a.endedByGuard },
    { name: 'Failed', value: (a) => (a.failed ? `${a.failed} (${reasons(a.failedByReason)})` : 0) },
    { name: 'Judge output unparseable', value: (a) => a.judgeParseFailures.filter((j) => j.failed > 0).map((j) => `${j.judge}: ${j.failed}`).join('; ') || 0 },
    { name: 'Final document not extractable (flagged)', value: (a) => a.judgeParseFailures.filter((j) => j.extractionFailed > 0).map((j) => `${j.judge}: ${j.extractionFailed}`).join('; ') || 0 },
    { name: 'Not scored by a re-scoring judge', value: (a) => a.judgeParseFailures.filter((j) => j.unscored > 0).map((j) => `${j.judge}: ${j.unscored}`).join('; ') || 0 },
    { name: 'Cancelled', value: (a) => a.cancelled },
    { name: 'Waiting or running', value: (a) => a.waiting + a.running },
  ];
  if (accounting.some((a) => a.endUnknown > 0)) rows.splice(5, 0, { name: 'End reason not recorded', value: (a) => a.endUnknown });
  return (
    <details open>
      <summary>Conversation accounting</summary>
      <div style={{ overflowX: 'auto' }}>
        <table className="table" aria-label="Conversation accounting" data-testid="accounting">
          <thead>
            <tr>
              <th>Conversations</th>
              {accounting.map((a) => (
                <th key={a.armKey} className="num">
                  {label(a.armKey)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.name}>
                <th scope="row" className="small">
                  {row.name}
                </th>
                {accounting.map((a) => (
                  <td key={a.armKey} className="num small">
                    {row.value(a)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
