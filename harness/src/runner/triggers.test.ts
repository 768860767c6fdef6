import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runRandom } from '../cli/random-command.js';
import { parseScenarioArgs } from '../cli/scenario-args.js';
import type { FaultStartEntry, NodeEventEntry } from '../history/types.js';
import { compileSchedule, randomScheduleArb } from '../random/schedule-arbitrary.js';
import { toScenario } from '../random/to-scenario.js';
import { validateScenario } from '../scenario/validate.js';
import { checkNodesFit } from '../scenario/node-refs.js';
import type { Scenario } from '../scenario/types.js';
import { runScenario } from './run-scenario.js';
import { scenarios } from '../../../scenarios/index.js';
import { aimAt, fires, hasTriggers } from './triggers.js';

const base = { name: 'x', description: 'd', nodes: 3 };
const killVoter = { fault: { kind: 'kill', target: 'trigger' }, on: { event: 'vote-granted' }, delayMs: [0, 5], holdMs: 300, withinMs: 3000 };
/** Kill the leader and keep it down; kill the first node that then grants a vote, 0-5 ms after it granted. */
const scenario: Scenario = validateScenario({ ...base, name: 'kill-voter', steps: [{ wait: 200 }, { fault: { kind: 'kill', target: 'leader' }, id: 'k' }, killVoter, { wait: 300 }, { heal: 'k' }] });

describe('faults fired by node events', () => {
  it('validates on, delayMs, withinMs and the trigger target, naming the bad place', () => {
    expect(hasTriggers(scenario.steps)).toBe(true);
    const bad = (step: object) => () => validateScenario({ ...base, steps: [step] });
    expect(bad({ ...killVoter, on: { event: 'vote' } })).toThrow(/steps\[0\]\.on\.event must be one of vote-granted, campaign/);
    expect(bad({ ...killVoter, on: { event: 'campaign', node: 'leader' } })).toThrow(/steps\[0\]\.on\.node must be "any" or a node id/);
    const n9 = validateScenario({ ...base, steps: [{ ...killVoter, on: { event: 'campaign', node: 'n9' } }] });
    expect(() => checkNodesFit(n9, ['n1', 'n2', 'n3'], '--nodes 3')).toThrow(/steps\[0\]\.on\.node names n9/);
    expect(bad({ ...killVoter, delayMs: [5, 1] })).toThrow(/steps\[0\]\.delayMs\[1\]/);
    expect(bad({ ...killVoter, withinMs: 0 })).toThrow(/steps\[0\]\.withinMs/);
    expect(bad({ fault: { kind: 'kill', target: 'trigger' } })).toThrow(/aims at "trigger".*no on: \{ event \}/);
    expect(bad({ fault: { kind: 'kill', target: 'n1' }, delayMs: 3 })).toThrow(/steps\[0\]\.delayMs is for a step fired by a node event/);
    expect(bad({ ...killVoter, fault: { kind: 'rolling-restart' }, holdMs: undefined })).toThrow(/cannot be fired by a node event/);
    expect(() => validateScenario({ ...base, steps: [{ ...killVoter, fault: { kind: 'partition', partition: { isolate: 'trigger' } } }] })).not.toThrow();
  });

  it('matches events and aims the fault at the node whose event fired it', () => {
    const vote = { type: 'node-event', t: 5, wall: 5, node: 'n2', bootId: 'b', seq: 1, kind: 'vote', term: 2, granted: true, preVote: false } as NodeEventEntry;
    expect(fires({ event: 'vote-granted' }, vote)).toBe(true);
    expect(fires({ event: 'vote-granted', node: 'n1' }, vote)).toBe(false);
    expect(fires({ event: 'vote-granted' }, { ...vote, preVote: true })).toBe(false);
    expect(fires({ event: 'campaign' }, vote)).toBe(false);
    expect(aimAt({ kind: 'partition', partition: { isolate: 'trigger' } }, 'n2')).toEqual({ kind: 'partition', partition: { isolate: 'n2' } });
  });

  it('in simulation the fault starts 0-5 ms after the vote, on the node that granted it', async () => {
    for (const seed of [1, 2, 3, 4]) {
      const r = await runScenario(scenario, { runtime: 'sim', seed, writeReport: false, writeHistory: false });
      const kills = r.history.filter((e): e is FaultStartEntry => e.type === 'fault-start');
      expect(kills).toHaveLength(2);
      const second = kills[1]!;
      const votes = r.history.filter((e): e is NodeEventEntry => e.type === 'node-event' && e.kind === 'vote' && e['granted'] === true && e['preVote'] !== true && e.t >= kills[0]!.t);
      const vote = votes.sort((a, b) => a.t - b.t)[0]!;
      expect(second.targets).toEqual([vote.node]);
      expect(second.t - vote.t).toBeGreaterThanOrEqual(0);
      expect(second.t - vote.t).toBeLessThanOrEqual(6); // 0-5 ms, seen within the 1 ms step
    }
  });

  it('kill-after-vote: the triggered kill lands at the leader\'s event without reading events first; reply-before-persist is caught, the correct node is not', async () => {
    const killAfterVote = scenarios.find((x) => x.name === 'kill-after-vote')!;
    const bad = await runScenario(killAfterVote, { runtime: 'sim', seed: 1, bugs: ['reply-before-persist'], writeReport: false, writeHistory: false });
    expect(bad.verdict).toBe('invalid');
    expect(bad.results.find((c) => c.name === 'leader-has-votes')!.verdict).toBe('invalid');
    const good = await runScenario(killAfterVote, { runtime: 'sim', seed: 1, writeReport: false, writeHistory: false });
    expect(good.verdict).toBe('valid');
    // Each triggered kill starts within the 1 ms step of the become-leader event that fired it.
    const fired: number[] = [];
    let at: number | undefined;
    for (const e of good.history) {
      const m = e.type === 'note' ? /^trigger become-leader: n\d+ at ([\d.]+) ms/.exec(e.message) : null;
      if (m) at = Number(m[1]);
      if (e.type === 'fault-start' && at !== undefined) {
        fired.push(e.t - at);
        at = undefined;
      }
    }
    expect(fired).toHaveLength(5);
    expect(fired.every((d) => d >= -0.1 && d <= 1), fired.join(', ')).toBe(true); // the note rounds to 0.1 ms
    expect(good.history.filter((e) => e.type === 'note' && /taken down at once, without reading their last events first/.test(e.message))).toHaveLength(5);
  });

  it('no event within withinMs: the fault is not started and a note says so', async () => {
    const quiet = validateScenario({ ...base, name: 'quiet', steps: [{ ...killVoter, withinMs: 500 }] });
    const r = await runScenario(quiet, { runtime: 'sim', seed: 1, writeReport: false, writeHistory: false });
    expect(r.history.filter((e) => e.type === 'fault-start')).toHaveLength(0);
    expect(r.history.some((e) => e.type === 'note' && /trigger vote-granted: no such event within 500 ms/.test(e.message))).toBe(true);
  });

  it('the random search: without --triggers the schedules are the old ones; with it, triggered faults compile to valid on: steps', () => {
    const plain = fc.sample(randomScheduleArb({ nodes: 3 }), { seed: 5, numRuns: 200 });
    expect(plain.every((s) => s.items.every((it) => Object.keys(it).sort().join() === 'fault,gapMs,holdMs,overlap'))).toBe(true);
    const withTriggers = fc.sample(randomScheduleArb({ nodes: 3, triggers: true }), { seed: 5, numRuns: 200 });
    const triggered = withTriggers.filter((s) => s.items.some((it) => it.then));
    expect(triggered.length).toBeGreaterThan(50);
    for (const s of triggered) {
      const scenario = toScenario(s.items, { seed: 5, index: 1, nodes: 3 });
      expect(hasTriggers(scenario.steps)).toBe(true);
      expect(compileSchedule(s.items).filter((st) => 'on' in st && st.on)).toHaveLength(s.items.filter((it) => it.then).length);
    }
  });
});

describe('npm run scenario random -- --triggers', () => {
  const root = mkdtempSync(join(tmpdir(), 'rc-triggers-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('forget-vote: the double vote is found, and the minimal schedule keeps its triggered fault', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      const code = await runRandom(parseScenarioArgs([
        'random', '--runtime', 'sim', '--seed', '2', '--runs', '200', '--bug', 'forget-vote', '--checks', 'one-vote-per-term,election-safety',
        '--triggers', '--replay-on', 'none', '--max-shrinks', '40', '--report-dir', root,
      ]));
      expect(code).toBe(1);
      const d = readdirSync(root).find((x) => existsSync(join(root, x, 'search.json')))!;
      const minimal = JSON.parse(readFileSync(join(root, d, 'minimal-scenario.json'), 'utf8')) as Scenario;
      expect(hasTriggers(minimal.steps)).toBe(true);
      expect(JSON.stringify(minimal.steps)).toContain('"target":"trigger"');
      expect(validateScenario(minimal).steps).toEqual(minimal.steps);
    } finally {
      vi.restoreAllMocks();
    }
  }, 180_000);
});
