import { hasTriggers, NodeEventTap } from './triggers.js';
import { randomInt } from 'node:crypto';
import { join, resolve } from 'node:path';
import { ConfigError } from '../../../common/src/errors.js';
import { checkWritableDir } from '../../../common/src/writable-dir.js';
import { JsonlHistoryWriter, MemorySink, Recorder, type HistorySink } from '../history/index.js';
import type { LeaderTerm } from '../poller/leader-view.js';
import type { TestbedCapabilities } from '../runtime/testbed.js';
import { chooseTestbed, testbedCapabilities } from '../runtime/testbeds.js';
import type { Scenario } from '../scenario/types.js';
import { createRng } from '../util/rng.js';
import type { RunResult } from './conclude.js';
import { lateStarts } from './late-start.js';
import { diskFaultKindsIn, refuseDiskFaults } from '../faults/disk-control.js';
import { formatDiskMode, parseDiskMode } from '../../../node/src/disk-mode.js';
import { LiveViolations } from './live-violations.js';
import { replayCommand, resolveSettings, type RunOptions } from './options.js';
import { processEntry } from './run-ending.js';
import { claimRunDir } from './run-dir.js';
import { historyWriters, runLife } from './run-life.js';
import { runNodeSettings } from './run-node-settings.js';
import { checkSubjectRuntime } from './run-flags.js';
import { isCommandSubject } from '../subject/launch.js';
import { subjectCapabilities } from '../subject/capabilities.js';
import type { Subject } from '../subject/types.js';

export type { RunResult } from './conclude.js';
export { makeRunId } from '../runtime/run-id.js';

/**
 * Runs one scenario against a fresh cluster and checks it. The life of a run, in order:
 *
 * 1. settings: the scenario with the options' overrides, every default filled, a seed chosen;
 * 2. the testbed (`options.testbed`, else the registry's choice for `options.runtime`: `auto`
 *    is Docker if an engine answers, else processes; `sim` is the simulation) starts the
 *    cluster, every node-to-node link through its network (Toxiproxy, or simulated links);
 * 3. the testbed's observer watches every node (status and events) into `history.jsonl`;
 * 4. warmup: wait (bounded) for a settled leader;
 * 5. the schedule's steps, each fault recorded with what it did and whom it hit;
 * 6. heal everything (links, killed and paused nodes), then watch the recovery window;
 * 7. teardown: stop the poller, save node logs, stop every node and proxy (always, whatever
 *    happened before: structure, not memory, guarantees it);
 * 8. check the history with every checker, write the report, refresh `reports/index.html`.
 *
 * Aborting `options.signal` (Ctrl-C) skips to step 6 without the recovery window; what was
 * recorded is still checked and reported, as `interrupted`. A run the testbed cannot run (a
 * staggered start on Docker) or settings that do not fit the cluster are refused with a
 * ConfigError before anything starts or is written. A run that could not start (no engine,
 * port taken) still writes its history and a report with verdict `unknown` and `error` set.
 *
 * Every way of running goes through here (the CLI, the random search, nightly, benches,
 * library users): on the simulated testbed the same life runs on virtual time, in one process,
 * and the same seed and options give the same history, byte for byte.
 */
export async function runScenario(scenario: Scenario, options: RunOptions = {}): Promise<RunResult> {
  const settings = resolveSettings(scenario, options, () => randomInt(1, 2 ** 31));
  const rng = createRng(settings.seed);
  // Progress lines carry the run time (history `t`) once the history is open.
  let runTime: (() => number) | undefined;
  const progress = (line: string) => options.onProgress?.(line, runTime?.());
  // Testbed warnings (a node moved to another port) become notes once the history is open.
  let warn = (message: string) => progress(`warning: ${message}`);
  const subject = options.subject !== undefined && isCommandSubject(options.subject) ? options.subject : undefined;
  // --disk is a test mode of our own node; another node keeps its own disk.
  if (subject !== undefined && options.disk !== undefined) {
    throw new ConfigError(`--disk ${options.disk} is a test mode of the project's own node (node/API.md); subject ${subject.name} writes its own disk: drop --disk`);
  }
  // Refused before anything is chosen or written: the simulation runs our node only.
  checkSubjectRuntime(subject, options.runtime ?? (options.testbed?.capabilities.simulated ? 'sim' : undefined));
  // `auto` would pick Docker when an engine answers: a subject with no image runs as processes.
  const runtimeName = subject !== undefined && subject.launch.image === undefined && (options.runtime ?? 'auto') === 'auto' ? 'process' : (options.runtime ?? 'auto');
  // Refusals come before anything starts or is written (exit 2, nothing in reports/): a late
  // node the cluster lacks, or a staggered start on a testbed that cannot start nodes late
  // (asked of the testbed's capabilities, before making it: no Docker probe for a refusal).
  const late = lateStarts(scenario, settings.nodes);
  const refuseLateStarts = (name: string, capabilities: TestbedCapabilities) => {
    if (late.length > 0 && !capabilities.lateStarts) {
      throw new ConfigError(`${scenario.name}: startDelaysMs (staggered start) needs a runtime that starts nodes late (process or sim), not ${name}`);
    }
  };
  if (!options.testbed && runtimeName !== 'auto') refuseLateStarts(runtimeName, testbedCapabilities(runtimeName));
  // Disk faults: refused for another subject, and (named, so no Docker probe first) on a testbed that cannot reach the disks.
  if (!options.testbed && runtimeName !== 'auto') refuseDiskFaults(scenario.name, scenario.steps, subject?.name, runtimeName, testbedCapabilities(runtimeName).diskFaults);
  else refuseDiskFaults(scenario.name, scenario.steps, subject?.name, runtimeName, true);
  const testbed =
    options.testbed ??
    (await chooseTestbed({ name: runtimeName, needsLateStarts: scenario.startDelaysMs !== undefined, onWarning: (m) => warn(m), ...(options.sim ? { sim: options.sim } : {}) }));
  refuseLateStarts(testbed.name, testbed.capabilities);
  refuseDiskFaults(scenario.name, scenario.steps, subject?.name, testbed.name, testbed.capabilities.diskFaults);
  // On processes, our node's disk refuses through its `--disk faults` mode (the simulation's disk needs none).
  const diskFail = diskFaultKindsIn(scenario.steps).includes('disk-fail') && !testbed.capabilities.simulated;
  const diskMode = diskFail ? formatDiskMode({ ...parseDiskMode(settings.config.disk ?? 'real', '--disk'), faults: true }) : undefined;
  const writeHistory = options.writeHistory !== false;
  // A real cluster keeps its nodes' data and logs under the run's directory.
  const writes = writeHistory || options.writeReport !== false || !testbed.capabilities.simulated;
  // Refuse a report dir that cannot be written before anything starts (not under /proc, where
  // a recursive mkdir never returns; not behind a file; writable).
  const reportRoot = writes ? checkWritableDir(options.reportDir ?? 'reports', '--report-dir') : resolve(options.reportDir ?? 'reports');
  const stale = await testbed.reapStale(reportRoot);
  const run = testbed.open({
    scenario: scenario.name,
    seed: settings.seed,
    nodes: settings.nodes,
    settings: { ...runNodeSettings(settings), ...(diskMode !== undefined ? { disk: diskMode } : {}), logLevel: options.nodeLogLevel ?? 'warn' },
    deferred: testbed.capabilities.lateStarts ? late.map((l) => l.node) : [],
    identity: { steps: scenario.steps, nodes: settings.nodes, c: settings.config },
    rng,
    pollIntervalMs: settings.config.pollIntervalMs,
    ...(options.toxiproxyUrl ? { toxiproxyUrl: options.toxiproxyUrl } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(subject ? { subject } : {}),
    ...(hasTriggers(scenario.steps) ? { followEvents: true } : {}),
  });
  const { clock } = run;
  // The history keeps the testbed's id (a simulated run's is on virtual time, the same on every
  // replay); the directory, and the id the caller gets, is named by when the harness ran it and
  // never reuses an earlier run's directory.
  const runId = writes ? claimRunDir(reportRoot, run.dirName ?? run.runId) : (run.dirName ?? run.runId);
  const dir = join(reportRoot, runId);

  const memory = new MemorySink();
  const sinks: HistorySink[] = [memory];
  if (writeHistory) sinks.push(new JsonlHistoryWriter(join(dir, 'history.jsonl')));
  if (options.onProgress) sinks.push(new LiveViolations((line, at) => options.onProgress?.(line, at)));
  const events = hasTriggers(scenario.steps) ? new NodeEventTap() : undefined;
  if (events) sinks.push(events);
  const recorder = new Recorder({ sinks, monotonic: () => clock.now(), wall: () => clock.wall() });
  runTime = () => recorder.now();
  const { record, phase } = historyWriters(recorder, progress);
  warn = (message) => {
    record({ type: 'note', level: 'warn', message });
    progress(`warning: ${message}`);
  };
  const replay = options.replay ?? replayCommand(options.scenarioRef ?? scenario.name, testbed.name, settings, options);
  record({
    type: 'run-start',
    runId: run.runId,
    scenario: scenario.name,
    seed: settings.seed,
    runtime: testbed.name,
    runtimeReason: testbed.reason,
    nodes: settings.nodes,
    config: settings.config,
    replay,
    meta: {
      description: scenario.description,
      steps: scenario.steps,
      recoveryMs: settings.recoveryMs,
      ...(scenario.skipChecks ? { skipChecks: scenario.skipChecks } : {}),
      ...run.meta,
    },
    ...(subject ? { subject: { name: subject.name, source: subject.source, capabilities: subjectCapabilities(subject) } } : {}),
  });
  for (const message of stale) warn(message);
  if (subject) for (const message of timersNotApplied(subject, scenario, options)) warn(message);
  progress(`run    ${runId}: ${scenario.name} on ${testbed.name} (${testbed.reason}), ${settings.nodes.length} nodes, seed ${settings.seed}`);

  // Progress: the settled leader whenever it changes, from the observer's start until teardown
  // begins (stopping nodes is no news; nothing is shown after `phase teardown`).
  let shown = 'no settled leader';
  let showLeader = options.onProgress !== undefined;
  return runLife({
    scenario, settings, options, runId, dir, reportRoot, recorder, memory, runtimeReason: testbed.reason,
    rng, clock, runtime: testbed.name, record, progress, ...(events ? { events, eventStepMs: testbed.capabilities.simulated || subject === undefined ? 1 : 10, eventsFollowed: !testbed.capabilities.simulated && subject === undefined } : {}),
    phase: (p, detail) => {
      if (p === 'teardown') showLeader = false;
      phase(p, detail);
    },
    lateStarts: () => late,
    start: () =>
      run.start({
        dir,
        recorder,
        write: (e) => {
          for (const sink of sinks) sink.write(e);
        },
        onProcessEvent: (e) => record(processEntry(e)),
        ...(showLeader
          ? {
              onLeader: (l: LeaderTerm | null) => {
                const now = l ? `leader ${l.node}, term ${l.term}` : 'no settled leader';
                if (showLeader && now !== shown) progress((shown = now));
              },
            }
          : {}),
      }),
  });
}

/**
 * The timer settings this run asks for (the scenario's or the options') that `subject` cannot
 * take (no `{electionTimeoutMin}`/`{electionTimeoutMax}` or `{heartbeatInterval}` template), one
 * sentence each: the run goes on with the node's own timers and says so.
 */
export function timersNotApplied(subject: Subject, scenario: Scenario, options: RunOptions): string[] {
  const caps = subjectCapabilities(subject);
  const out: string[] = [];
  const timeout = options.electionTimeout ?? scenario.electionTimeout;
  if (timeout !== undefined && !caps.electionTimeout) {
    out.push(`election timeout ${timeout[0]}-${timeout[1]} ms not applied: subject ${subject.name} takes no {electionTimeoutMin}/{electionTimeoutMax} template, so its nodes keep their own timeouts`);
  }
  const heartbeat = options.heartbeatInterval ?? scenario.heartbeatInterval;
  if (heartbeat !== undefined && !caps.heartbeatInterval) {
    out.push(`heartbeat interval ${heartbeat} ms not applied: subject ${subject.name} takes no {heartbeatInterval} template, so its nodes keep their own`);
  }
  return out;
}
