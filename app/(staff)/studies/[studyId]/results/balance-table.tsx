import type { BalanceTable as Balance } from '~/server/insights/balance';

/** Arm × stratum counts of randomized participants: the balance check a reviewer looks at first. */
export function BalanceTable({ balance, arms }: { balance: Balance; arms: { key: string; label: string }[] }) {
  const factor = balance.factor;
  const factorLabel = factor.kind === 'documentType' ? 'Document type' : factor.label;
  return (
    <section aria-labelledby="balance-heading">
      <h2 id="balance-heading">Balance by stratum</h2>
      <p className="small muted">
        {factor.stratified
          ? `Assignment is stratified by ${factor.kind === 'documentType' ? 'document type' : `the answer to “${factor.label}”`}: arms are balanced in permuted blocks within each row.`
          : 'Assignment is not stratified; arms are balanced over the whole study. Randomized participants per arm and document type:'}
      </p>
      {balance.rows.length === 0 ? (
        <div className="empty">No randomized participants yet.</div>
      ) : (
        <table className="table" aria-label="Arm by stratum balance" data-testid="balance-table">
          <thead>
            <tr>
              <th>{factorLabel}</th>
              {arms.map((a) => (
                <th key={a.key} className="num">
                  {a.label}
                </th>
              ))}
              <th className="num">Total</th>
            </tr>
          </thead>
          <tbody>
            {balance.rows.map((row) => (
              <tr key={row.stratum}>
                <td>{row.label}</td>
                {arms.map((a) => (
                  <td key={a.key} className="num">
                    {row.counts[a.key] ?? 0}
                  </td>
                ))}
                <td className="num">{row.total}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
