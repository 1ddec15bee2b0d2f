import { describe, expect, it } from 'vitest';
import { accountForItems } from './accounting';
import { buildTable1, escapeLatex, table1Csv, table1Latex } from './table1';

const table = buildTable1({
  arms: [
    { armKey: 'base', label: 'Base', metrics: { bleu_char: { n: 3, mean: 0.35, ciLower: 0.3, ciUpper: 0.4 }, tokens_read: { n: 3, mean: 2180, ciLower: 2000, ciUpper: 2360 } } },
    { armKey: 'x', label: '=HYPERLINK("http://evil")', metrics: { bleu_char: { n: 3, mean: 0.368, ciLower: null, ciUpper: null } } },
  ],
  referenceArmKey: 'base',
  comparisons: [],
});

describe('Table 1 rendering', () => {
  it('scales like the paper: BLEU ×100, tokens in thousands', () => {
    expect(table.arms[0]!.cells[0]).toEqual({ n: 3, mean: 35, lower: 30, upper: 40 });
    expect(table.arms[0]!.cells[1]!.mean).toBeCloseTo(2.18, 12);
    expect(table.arms[1]!.cells[3]).toEqual({ n: 0, mean: null, lower: null, upper: null });
  });

  it('keeps researcher text from running as a spreadsheet formula', () => {
    const csv = table1Csv(table);
    expect(csv.split('\n')[2]).toMatch(/^arm,"'=HYPERLINK\(""http:\/\/evil""\)",/);
    expect(csv.split('\n')[1]).toMatch(/^arm \(reference\),Base,35\.000000,30\.000000,40\.000000,3,/);
  });

  it('escapes every LaTeX special character', () => {
    expect(escapeLatex('a\\b & 50% $x$ #1 under_score {b} ~ ^')).toBe(
      'a\\textbackslash{}b \\& 50\\% \\$x\\$ \\#1 under\\_score \\{b\\} \\textasciitilde{} \\textasciicircum{}',
    );
    const tex = table1Latex(table);
    expect(tex).toContain('Base (ref.) & \\makecell{35.0 \\\\ {\\scriptsize [30.0, 40.0]}}');
    expect(tex).toContain('=HYPERLINK("http://evil") & 36.8 & -- & -- & -- \\\\');
  });
});

describe('accountForItems', () => {
  it('counts where each planned conversation went', () => {
    const items = [
      { armKey: 'a', status: 'completed', endReason: 'terminated', failure: null, extractionFailed: false },
      { armKey: 'a', status: 'completed', endReason: null, failure: null, extractionFailed: true },
      { armKey: 'a', status: 'failed', endReason: null, failure: null, extractionFailed: false },
      { armKey: 'a', status: 'pending', endReason: null, failure: { stage: 'simulator', reason: 'model_timeout' }, extractionFailed: false },
      { armKey: 'a', status: 'cancelled', endReason: null, failure: null, extractionFailed: false },
    ];
    const [a] = accountForItems(items, { armKeys: ['a'], perJudge: [{ armKey: 'a', judge: 'j', extractionFailed: 1, unscored: 2 }, { armKey: 'b', judge: 'k', extractionFailed: 5, unscored: 0 }] });
    expect(a).toEqual({
      armKey: 'a',
      planned: 5,
      finished: 2,
      failed: 1,
      failedByReason: { unrecorded: 1 },
      cancelled: 1,
      waiting: 1,
      running: 0,
      endedBySimulator: 1,
      endedByTurnLimit: 0,
      endedByGuard: 0,
      endUnknown: 1,
      extractionFailed: 1,
      judgeParseFailures: [{ judge: 'j', failed: 0, extractionFailed: 1, unscored: 2 }],
    });
  });
});
