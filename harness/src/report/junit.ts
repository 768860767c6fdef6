import { judgement, type CheckResult } from '../checkers/types.js';
import type { HistoryEntry, RunStartEntry } from '../history/types.js';
import { escapeXml } from './escape.js';
import { ranAt } from './model.js';
import { describeEntry } from './witness.js';

/**
 * JUnit XML for one run: one `<testsuite>` named `raft-chaos.<scenario>`, one `<testcase>` per
 * check. `invalid` is a `<failure>`; `unknown` is an `<error>` (not `<skipped>`: CI systems
 * show skipped tests quietly, and an unknown run must fail loudly, as its exit code 2 does).
 * A valid check that judged nothing or does not apply (`judgement()`: not judged, not
 * applicable) is `<skipped>` with its reason, never a plain pass.
 * Messages and witnesses go in the element text; the replay command in `<system-out>`. The
 * timestamp is when the harness ran it: for a simulated run (virtual time in its history) the
 * wall time its folder is named by, when `folder` is given.
 */
export function buildJUnit(history: readonly HistoryEntry[], results: readonly CheckResult[], folder?: string): string {
  const start = history.find((e): e is RunStartEntry => e.type === 'run-start');
  const end = history.find((e) => e.type === 'run-end');
  const scenario = start?.scenario ?? 'unknown';
  const suite = `raft-chaos.${scenario}`;
  const failures = results.filter((r) => r.verdict === 'invalid').length;
  const errors = results.filter((r) => r.verdict === 'unknown').length;
  const skipped = results.filter((r) => r.verdict === 'valid' && judgement(r) !== 'ok').length;
  const seconds = ((end?.type === 'run-end' ? end.durationMs : (history.at(-1)?.t ?? 0)) / 1000).toFixed(3);
  const ran = ranAt(start, folder);
  const stamp = ran ? ran.replace(/\.\d+Z$/, '') : '';

  const cases = results.map((r) => {
    const open = `    <testcase classname="${escapeXml(suite)}" name="${escapeXml(r.name)}" time="0">`;
    const j = judgement(r);
    if (r.verdict === 'valid' && j !== 'ok') {
      const why = r.message.toLowerCase().startsWith(j) ? r.message : `${j}: ${r.message}`;
      return `${open}\n      <skipped message="${escapeXml(why)}"/>\n    </testcase>`;
    }
    if (r.verdict === 'valid') return `${open}</testcase>`;
    const tag = r.verdict === 'invalid' ? 'failure' : 'error';
    const body = [r.message, '', ...(r.witnesses ?? []).slice(0, 40).map(safeDescribe)].join('\n');
    return [
      open,
      `      <${tag} type="${r.verdict}" message="${escapeXml(`${r.verdict}: ${r.message}`)}">${escapeXml(body)}</${tag}>`,
      `    </testcase>`,
    ].join('\n');
  });
  if (results.length === 0) {
    cases.push(
      `    <testcase classname="${escapeXml(suite)}" name="checks" time="0">\n      <error type="unknown" message="no checker ran">No checker ran on this history, so nothing is known about it.</error>\n    </testcase>`,
    );
  }

  const props = [
    ['scenario', scenario],
    ['seed', String(start?.seed ?? '')],
    ['runtime', start?.runtime ?? ''],
    ['runId', start?.runId ?? ''],
  ]
    .map(([k, v]) => `      <property name="${escapeXml(k)}" value="${escapeXml(v)}"/>`)
    .join('\n');

  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="raft-chaos" tests="${Math.max(1, results.length)}" failures="${failures}" errors="${errors + (results.length ? 0 : 1)}" time="${seconds}">`,
    `  <testsuite name="${escapeXml(suite)}" tests="${Math.max(1, results.length)}" failures="${failures}" errors="${errors + (results.length ? 0 : 1)}" skipped="${skipped}" time="${seconds}"${stamp ? ` timestamp="${stamp}"` : ''}>`,
    `    <properties>\n${props}\n    </properties>`,
    ...cases,
    `    <system-out>${escapeXml(`replay: ${start?.replay ?? '(unknown)'}`)}</system-out>`,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

function safeDescribe(e: HistoryEntry): string {
  try {
    return describeEntry(e);
  } catch {
    return JSON.stringify(e);
  }
}
