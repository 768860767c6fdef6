import { relative } from 'node:path';
import type { RunOptions } from '../runner/options.js';
import { runScenario } from '../runner/run-scenario.js';
import { simTestbed } from '../runtime/sim/sim-testbed.js';
import type { RunOne, RunOutcome } from './run-record.js';
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
  /** One testbed per timing perturbation asked for (0: the run seed's own timing). */
  const testbeds = new Map([[0, simTestbed()]]);
  const testbedFor = (jitter: number) => testbeds.get(jitter) ?? testbeds.set(jitter, simTestbed({ jitter })).get(jitter)!;
  const run = (async (scenario, ctx) => {
    // A simulated run never waits on I/O: yield once, so a Ctrl-C between runs is handled.
    await new Promise((resolve) => setImmediate(resolve));
    const report = ctx.phase === 'confirm' && o.reportConfirm !== false;
    const r = await runScenario(scenario, {
      ...o.options,
      testbed: testbedFor(ctx.jitter ?? 0),
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

/**
 * `--jitter K`: a simulated run's failure counts only when it does not hinge on a few ms of
 * machine timing. A run that fails is run again under K timing perturbations of its seed (the
 * machine's draws anew: link delays, fsync times, boot times, when a partition lands; the
 * node's election timeouts kept, as a replay of that seed on processes keeps them); a failing
 * check that is not invalid in all K is listed in `fragile`, so the run stays invalid (a
 * violation seen is never hidden) but does not count for its schedule's rate, and shrinking
 * keeps only candidates whose failure survives the perturbations. Wrap it around `countingOnly`
 * (only counted checks are judged). K = 0 returns `runOne` itself.
 */
export function timingRobust(runOne: RunOne, jitters: number): RunOne {
  if (jitters <= 0) return runOne;
  return async (scenario, ctx) => {
    const r = await runOne(scenario, ctx);
    if (r.verdict !== 'invalid' || ctx.jitter) return r;
    let held = r.failing.filter((c) => !r.beforeFaults?.includes(c));
    for (let j = 1; j <= jitters && held.length > 0; j++) {
      if (ctx.signal.aborted) break;
      const again: RunOutcome = await runOne(scenario, { ...ctx, phase: 'seeds', jitter: j });
      held = again.verdict === 'invalid' ? held.filter((c) => again.failing.includes(c) && !again.beforeFaults?.includes(c)) : [];
    }
    const fragile = r.failing.filter((c) => !held.includes(c) && !r.beforeFaults?.includes(c));
    return fragile.length > 0 ? { ...r, fragile } : r;
  };
}
