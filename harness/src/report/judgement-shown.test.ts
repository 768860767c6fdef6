import { describe, expect, it } from 'vitest';
import { notApplicable, notJudged, type CheckResult } from '../checkers/types.js';
import { buildJUnit } from './junit.js';
import { buildModel } from './model.js';
import { renderReportPage } from './page.js';
import { buildSummary } from './summary.js';
import { synthRun } from './synthetic-history.js';

/** summary.json, the HTML report and JUnit read a valid check that judged nothing the same way: never a pass. */
const run = synthRun({ seed: 7 });
const results: CheckResult[] = [
  { name: 'election-safety', verdict: 'valid', message: 'No term had two leaders (2 terms with a leader).', witnesses: [] },
  notJudged('election-time', 'no fault removed the leader and nothing was healed, so no election to time.'),
  notApplicable('needless-election', 'Pre-Vote is off.'),
];

describe('judgement() shown alike everywhere', () => {
  it('summary.json: judgement beside verdict; a valid run has no reason', () => {
    const s = buildSummary(run.history, results);
    expect(s.checks['election-safety']).toMatchObject({ verdict: 'valid', judgement: 'ok' });
    expect(s.checks['election-time']).toMatchObject({ verdict: 'valid', judgement: 'not judged' });
    expect(s.checks['needless-election']).toMatchObject({ verdict: 'valid', judgement: 'not applicable' });
    expect(s.reason).toBeUndefined();
  });

  it('summary.json: an unknown run says why in one line', () => {
    const s = buildSummary(run.history, [...results, { name: 'step-down', verdict: 'unknown', message: 'Cannot tell: the run ended.\nmore', witnesses: [] }]);
    expect(s.reason).toBe('step-down: Cannot tell: the run ended.');
  });

  it('the HTML report: a grey not-judged / not-applicable badge, green valid only for ok', () => {
    const page = renderReportPage(buildModel(run.history, results));
    const badge = (name: string) => page.match(new RegExp(`<tr data-check="${name}"><td>(<span[^>]*>[^<]*</span>)`))?.[1];
    expect(badge('election-safety')).toMatch(/class="badge valid"[^>]*>valid</);
    expect(badge('election-time')).toMatch(/class="badge na"[^>]*>not judged</);
    expect(badge('needless-election')).toMatch(/class="badge na"[^>]*>not applicable</);
    expect(page).toContain('1 of 3 checks passed, 2 not judged or not applicable');
    expect(page).not.toContain('<dt>why');
  });

  it('the HTML report: an unknown run says why in one line among its facts', () => {
    const page = renderReportPage(buildModel(run.history, [...results, { name: 'step-down', verdict: 'unknown', message: 'Cannot tell: the run ended.', witnesses: [] }]));
    expect(page).toMatch(/<dt>why unknown<\/dt><dd>step-down: Cannot tell: the run ended\.<\/dd>/);
  });

  it('JUnit: skipped with the reason, counted in skipped=', () => {
    const xml = buildJUnit(run.history, results);
    expect(xml).toMatch(/<testcase [^>]*name="election-safety"[^>]*><\/testcase>/);
    expect(xml).toMatch(/<testcase [^>]*name="election-time"[^>]*>\s*<skipped message="Not judged: no fault removed/);
    expect(xml).toMatch(/<testcase [^>]*name="needless-election"[^>]*>\s*<skipped message="Not applicable: Pre-Vote is off/);
    expect(xml).toMatch(/<testsuite [^>]*skipped="2"/);
  });
});
