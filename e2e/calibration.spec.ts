/**
 * The calibration report in the browser: a three-arm study whose participants, judge scores (two judges, as
 * the judging job stores them) and a finished benchmark run are seeded over the run's database; a signed-in
 * researcher opens the Calibration tab, sees both judges and the people's ratings with SciPy-equal
 * coefficients, scatter plots, picks the benchmark run and sees the effects forest plot and the ranking.
 */
import { expect, test } from '@playwright/test';
import { seedParticipant, seedStudy } from '../server/insights/testing/seed';
import { seedJudgeScores, seedScoredRun } from '../server/calibration/testing/seed';
import { kendallTauB, spearman } from '../server/stats';
import { withCi } from '../app/(staff)/studies/[studyId]/calibration/format';
import { closeE2eDb, e2eDb } from './participant-helpers';
import { signInAsAdmin } from './support/auth';

test.afterAll(closeE2eDb);

const ARMS = ['baseline', 'proactive', 'collabllm'] as const;
const quality: Record<string, number[]> = { baseline: [4, 5, 6, 5, 3], proactive: [6, 6, 7, 5, 8], collabllm: [8, 7, 9, 9, 6] };
const interaction: Record<string, number[]> = { baseline: [5, 4, 6, 5, 4], proactive: [7, 6, 6, 8, 7], collabllm: [9, 8, 8, 9, 7] };
const judgeQuality = (arm: string, i: number) => Math.min(10, quality[arm]![i]! + ((i % 3) - 1));
const judgeItr = (arm: string, i: number) => (arm === 'baseline' ? (i % 2) * 0.5 : arm === 'proactive' ? 0.5 + (i === 4 ? 0.5 : 0) : 1 - (i === 1 ? 0.5 : 0));
const JUDGE_A = 'e2e-judge-a@judge-v1#conn';
const JUDGE_B = 'e2e-judge-b@judge-v1#conn';

test('a researcher sees both judges and the people with coefficients, scatter plots and the simulation-vs-people forest plot', async ({ page }) => {
  test.setTimeout(120_000);
  const db = e2eDb();
  const { study, versions } = await seedStudy(db, { armKeys: [...ARMS] });
  const scoresA: Parameters<typeof seedJudgeScores>[3][number][] = [];
  const scoresB: Parameters<typeof seedJudgeScores>[3][number][] = [];
  for (const arm of ARMS) {
    for (let i = 0; i < 5; i++) {
      const p = await seedParticipant(db, study.id, {
        versionId: versions[0]!.id,
        armKey: arm,
        externalId: `calibration-${study.id}-${arm}-${i}`,
        outcome: 'completed',
        ratings: [{ afterTurn: 3, value: interaction[arm]![i]! }],
        survey: { documentQuality: quality[arm]![i]!, overallInteraction: interaction[arm]![i]! },
      });
      scoresA.push({ participantId: p.id, quality: judgeQuality(arm, i), interactivity: judgeItr(arm, i) });
      scoresB.push({ participantId: p.id, quality: 11 - judgeQuality(arm, i) });
    }
  }
  await seedJudgeScores(db, study.id, JUDGE_A, scoresA);
  await seedJudgeScores(db, study.id, JUDGE_B, scoresB);
  const runName = `Calibration e2e run ${study.slug}`;
  await seedScoredRun(db, {
    name: runName,
    arms: ARMS.map((key) => ({ key, label: `Run ${key}`, connectionId: null, model: key, systemPrompt: '' })),
    referenceArmKey: 'baseline',
    judge: 'demo-judge@demo-v1',
    tasks: 3,
    replicates: 2,
    score: (arm, t, r) => ({ quality: 5 + t + 0.5 * r + (arm === 'proactive' ? 1 : arm === 'collabllm' ? 2 + 0.25 * t : 0), interactivity: arm === 'baseline' ? 0.25 : arm === 'proactive' ? 0.5 : 0.75 + 0.05 * r }),
  });

  await signInAsAdmin(page);
  await page.goto(`/studies/${study.id}`);
  await page.getByRole('navigation', { name: 'Study sections' }).getByRole('link', { name: 'Calibration' }).click();
  await expect(page.getByRole('heading', { name: 'Calibration', level: 1 })).toBeVisible();
  await expect(page.getByTestId('judged-count')).toHaveText('15 of 15 analysed participants judged by 2 judges.');

  // Both judges, each with its own tables; the pooled row shows SciPy's coefficients with their CIs.
  const judgeA = page.getByRole('article', { name: `Judge ${JUDGE_A}` });
  const judgeB = page.getByRole('article', { name: `Judge ${JUDGE_B}` });
  await expect(judgeA).toBeVisible();
  await expect(judgeB).toBeVisible();
  const judged = ARMS.flatMap((arm) => quality[arm]!.map((_, i) => judgeQuality(arm, i)));
  const people = ARMS.flatMap((arm) => quality[arm]!);
  const rho = spearman(judged, people);
  const tau = kendallTauB(judged, people);
  const tableA = judgeA.getByRole('table', { name: /Judge: document quality .* vs Participant: document quality/ });
  const pooled = tableA.getByRole('row', { name: /All arms \(pooled\)/ });
  await expect(pooled).toContainText(withCi(rho.rho, rho.ci));
  await expect(pooled).toContainText(withCi(tau.tau, tau.ci));
  await expect(pooled.getByRole('cell').first()).toHaveText('15');
  for (const label of ['Baseline', 'Proactive', 'Collabllm']) await expect(tableA.getByRole('row', { name: new RegExp(`^${label}`) })).toBeVisible();
  // Judge B is the mirror image of judge A on document quality: the same strength, the other sign.
  const pooledB = judgeB.getByRole('table', { name: /document quality/ }).getByRole('row', { name: /All arms \(pooled\)/ });
  await expect(pooledB).toContainText(withCi(-rho.rho!, rho.ci && { lower: -rho.ci.upper, upper: -rho.ci.lower }));
  // The people's in-chat ratings are a pair of their own.
  await expect(judgeA.getByRole('table', { name: /Judge: interactivity vs Participant: mean in-chat rating/ })).toBeVisible();

  // Scatter plots render their points (15 participants in three arms) for every pair of judge A.
  const scatters = judgeA.getByTestId('agreement-scatter');
  await expect(scatters).toHaveCount(3);
  await expect(scatters.first().locator('.recharts-scatter-symbol')).toHaveCount(15);

  // Simulation vs people: choose the seeded run (other specs' runs may share the database).
  const picker = page.getByLabel('Benchmark run');
  await picker.selectOption({ label: `${runName} — completed, 3 of 3 arms match` });
  const comparison = page.getByTestId('simulation-vs-people');
  await expect(comparison.getByRole('combobox', { name: 'Run arm for Collabllm' })).toHaveValue('collabllm');
  const dq = comparison.getByRole('article', { name: 'Effects on Document quality' });
  await expect(dq.getByRole('row', { name: /Collabllm/ })).toBeVisible();
  await expect(dq.getByTestId('rank-agreement')).toContainText('Same ranking: the simulation orders all 3 arms as the people do');
  const forest = dq.getByTestId('effects-forest');
  await expect(forest.locator('.recharts-scatter-symbol')).toHaveCount(4);

  // On a phone the report's own sections fit the screen (wide tables scroll inside their own box; the staff header is not this page's).
  await page.setViewportSize({ width: 390, height: 844 });
  const fits = () =>
    page.evaluate(() =>
      [...document.querySelectorAll('[data-testid="judge-report"], [data-testid="agreement-scatter"], [data-testid="outcome-effects"], [data-testid="effects-forest"], select')].every(
        (e) => e.getBoundingClientRect().right <= window.innerWidth + 1,
      ),
    );
  await expect.poll(fits).toBe(true);
});

test('a study nobody has judged says what to do next', async ({ page }) => {
  const db = e2eDb();
  const { study, versions } = await seedStudy(db);
  await seedParticipant(db, study.id, { versionId: versions[0]!.id, armKey: 'baseline', externalId: `unjudged-${study.id}`, outcome: 'completed', survey: { documentQuality: 5, overallInteraction: 6 } });
  await signInAsAdmin(page);
  await page.goto(`/studies/${study.id}/calibration`);
  await expect(page.getByText('No judged participants yet')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Judging' }).last()).toHaveAttribute('href', `/studies/${study.id}/judging`);
});
