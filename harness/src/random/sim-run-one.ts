import { relative } from 'node:path';
import type { RunOptions } from '../runner/options.js';
import { runScenario } from '../runner/run-scenario.js';
import { simTestbed } from '../runtime/sim/sim-testbed.js';
import type { RunOne } from './run-record.js';
import { outcomeOf } from './run-one.js';

/** Options of every simulated run of a search; seed and signal are set per run. */
export interface SimRunOneOptions {
  options: Omit<RunOptions, 'seed' | 'signal' | 'scenarioRef' | 'runtime' | 'testbed' | 'writeReport' | 'writeHistory'>;
  /** Confirmation runs name this file (the minimal scenario) in their report's replay command. */
  minimalFile: string;
  /** Write a report (history, HTML) for confirmation runs only (default true). */
  reportConfirm?: boolean;
}

/** A `RunOne` on simulated clusters, and the virtual time it has simulated so far. */
export interface SimRunOne extends RunOne {
  simulatedMs(): number;
}

/**
 * A `RunOne` on the simulated runtime, in memory: no scenario file, history or report per run
 * (a run is a few ms; writing them cost ten times that), except for the confirmation of the
 * minimal schedule, which writes its report like any run. `dir` is empty for runs without one.
 */
export function createSimRunOne(o: SimRunOneOptions): SimRunOne {
  let simulated = 0;
  const testbed = simTestbed();
  const run = (async (scenario, ctx) => {
    // A simulated run never waits on I/O: yield once, so a Ctrl-C between runs is handled.
    await new Promise((resolve) => setImmediate(resolve));
    const report = ctx.phase === 'confirm' && o.reportConfirm !== false;
    const r = await runScenario(scenario, {
      ...o.options,
      testbed,
      seed: ctx.seed,
      signal: ctx.signal,
      writeReport: report,
      writeHistory: report,
      ...(report ? { scenarioRef: relative(process.cwd(), o.minimalFile) || o.minimalFile } : {}),
    });
    simulated += r.summary.durationMs;
    const faultsAt = r.history.find((e) => e.type === 'phase' && e.phase === 'faults')?.t ?? Infinity;
    const beforeFaults = r.results
      .filter((c) => c.verdict === 'invalid' && c.witnesses.length > 0 && Math.max(...c.witnesses.map((w) => w.t)) < faultsAt)
      .map((c) => c.name);
    return {
      ...outcomeOf(r, report ? r.dir : ''),
      runtime: 'sim',
      ...(beforeFaults.length > 0 ? { beforeFaults } : {}),
    };
  }) as SimRunOne;
  run.simulatedMs = () => simulated;
  return run;
}

/**
 * Only these checks make a run fail the search: an invalid verdict from any other check is
 * kept in `ignored` and the run counts as valid, and an unknown one does not make the run
 * unknown. A run that could not finish stays unknown. `undefined` counts every check.
 */
export function countingOnly(runOne: RunOne, checks: readonly string[] | undefined): RunOne {
  if (checks === undefined) return runOne;
  return async (scenario, ctx) => {
    const r = await runOne(scenario, ctx);
    if (r.verdict === 'valid') return r;
    // A run that could not finish (`run`) counts whatever the checks.
    const counted = r.failing.filter((c) => c === 'run' || checks.includes(c));
    if (counted.length > 0) return { ...r, failing: counted, ignored: r.failing.filter((c) => !counted.includes(c)) };
    const { why: _why, ...rest } = r;
    return { ...rest, verdict: 'valid', failing: [], ...(r.verdict === 'invalid' ? { ignored: r.failing } : {}) };
  };
}
