import type { Cut, FaultProbeEntry, FaultStartEntry, HistoryEntry, LinkProbe } from '../history/types.js';
import { ms, Witnesses } from './support/witnesses.js';
import type { Checker, CheckResult } from './types.js';

/** How one probe compares with what the partitioner's state predicted. */
type Finding =
  | { kind: 'holds' }
  | { kind: 'broken'; why: string }
  | { kind: 'inconclusive'; why: string }
  | { kind: 'skipped' };

/** Node actions that leave a node unable to answer, and those that bring it back. */
const DOWN = new Set(['kill', 'stop', 'pause', 'exit']);
const UP = new Set(['start', 'resume', 'ready']);

const linkKey = ([a, b]: Cut): string => `${a}→${b}`;
const setKey = (links: readonly Cut[]): string => links.map(linkKey).sort().join(' ');

/** The directed links a network fault touches (its toxic links, else its cuts); [] for others. */
function faultLinks(f: FaultStartEntry): Cut[] {
  if (f.links && f.links.length > 0) return f.links.map((l) => [l.from, l.to] as const);
  return f.cuts ?? [];
}

/** Compares one probe with its expectation; `down` holds the nodes down at that moment. */
function judge(p: LinkProbe, down: ReadonlySet<string>): Finding {
  const via = `proxy ${p.from}→${p.to}`;
  if (p.result === 'unprobed') return { kind: 'inconclusive', why: `${via} could not be probed (${p.detail ?? 'no address'})` };
  if (p.expect === 'blocked') {
    if (p.result === 'answered') return { kind: 'broken', why: `a round trip through ${via} was answered in ${ms(p.ms)} although the link was to be cut` };
    if (down.has(p.to)) return { kind: 'skipped' };
    if (!p.seenOpen) return { kind: 'inconclusive', why: `${via} was silent (${p.result}), but it never answered before, so its silence proves nothing` };
    if (p.direct !== 'answered') return { kind: 'inconclusive', why: `${via} was silent (${p.result}), but ${p.to} did not answer directly either` };
    return { kind: 'holds' };
  }
  if (p.result === 'answered') {
    if (p.minDelayMs !== undefined && p.ms < p.minDelayMs) {
      return { kind: 'broken', why: `a round trip through ${via} took ${ms(p.ms)}, less than the ${ms(p.minDelayMs)} its latency toxics must add` };
    }
    return { kind: 'holds' };
  }
  if (down.has(p.to)) return { kind: 'skipped' };
  const seen = p.result === 'error' && p.detail ? `answered wrongly (${p.detail})` : `stayed silent (${p.result} after ${ms(p.ms)})`;
  if (p.direct === 'answered') return { kind: 'broken', why: `${via} ${seen} although the link was to be open, while ${p.to} answered directly` };
  return { kind: 'inconclusive', why: `${via} was silent (${p.result}) and ${p.to} did not answer directly either` };
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = values.slice().sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : Math.round(((s[mid - 1]! + s[mid]!) / 2) * 10) / 10;
}

/**
 * Faults in force: every network fault (partition, one-way cut, toxic) is proven by the probes
 * the partitioner recorded (`fault-probe`): after it started, every proxy it touched behaved as
 * the network state predicts (cut links silent, slowed links slow, healed links answering).
 *
 * - invalid: a probe contradicts the state (a cut link answered, a slowed link was fast, a
 *   healed link stayed silent while its node answered directly), with the fault and probe as
 *   witnesses;
 * - unknown: a network fault has no probe after it, or a probe could not tell (no address, the
 *   node silent too, a proxy that never answered), or every probe of a fault hit a node that
 *   was down;
 * - valid otherwise; "not applicable" (valid) on a simulated network, whose cuts hold by
 *   construction and which records no probes, in runs without network faults, and (said as
 *   such: nothing was proven) on Docker, whose link proxies the harness cannot reach yet.
 */
export const faultsInForce: Checker = {
  name: 'faults-in-force',
  description: 'Every partition, cut and toxic was seen in force through its proxies, and every heal undone.',
  check(history: readonly HistoryEntry[]): CheckResult {
    const name = this.name;
    const runStart = history.find((e) => e.type === 'run-start');
    const probes = history.filter((e): e is FaultProbeEntry => e.type === 'fault-probe');
    const faults = history.filter((e): e is FaultStartEntry => e.type === 'fault-start' && faultLinks(e).length > 0);
    if (probes.length === 0) {
      if (runStart?.runtime.startsWith('sim')) {
        return { name, verdict: 'valid', message: 'Not applicable: simulated network. Its cuts and delays hold by construction, so nothing was probed.', witnesses: [], details: { applicable: false } };
      }
      if (faults.length === 0) {
        return { name, verdict: 'valid', message: 'Not applicable: the run had no network faults to prove.', witnesses: [], details: { applicable: false } };
      }
      return {
        name,
        verdict: 'unknown',
        message: `${faults.length} network fault(s) but no probes in the history: nothing shows they were in force (a partitioner without probes, or an older history).`,
        witnesses: faults.slice(0, 3),
        details: { applicable: true, faults: faults.length, probes: 0 },
      };
    }

    const down = new Set<string>();
    const broken: Array<{ probe: FaultProbeEntry; why: string; fault?: FaultStartEntry }> = [];
    const inconclusive: Array<{ probe: FaultProbeEntry; why: string }> = [];
    const proven = new Set<FaultStartEntry>();
    const probedFaults = new Set<FaultStartEntry>();
    const skippedOnly: FaultStartEntry[] = [];
    const started: FaultStartEntry[] = [];
    let roundTrips = 0;
    for (const e of history) {
      if (e.type === 'process') {
        if (DOWN.has(e.action)) down.add(e.node);
        else if (UP.has(e.action)) down.delete(e.node);
      } else if (e.type === 'fault-start' && faultLinks(e).length > 0) {
        started.push(e);
      } else if (e.type === 'fault-probe') {
        const key = setKey(e.links);
        // The latest fault on exactly these links is the one this operation started or healed.
        const fault = [...started].reverse().find((f) => setKey(faultLinks(f)) === key);
        const findings = e.probes.map((p) => judge(p, down));
        roundTrips += e.probes.length;
        for (const f of findings) {
          if (f.kind === 'broken') broken.push({ probe: e, why: f.why, ...(fault ? { fault } : {}) });
          if (f.kind === 'inconclusive') inconclusive.push({ probe: e, why: f.why });
        }
        if (fault && (e.op === 'apply-cuts' || e.op === 'add-toxic') && !probedFaults.has(fault)) {
          probedFaults.add(fault);
          if (findings.some((f) => f.kind === 'holds')) proven.add(fault);
          else if (findings.every((f) => f.kind === 'skipped')) skippedOnly.push(fault);
        }
      }
    }

    const applyMs = probes.filter((p) => p.op === 'apply-cuts' || p.op === 'add-toxic').map((p) => p.tookMs);
    const healMs = probes.filter((p) => p.op !== 'apply-cuts' && p.op !== 'add-toxic').map((p) => p.tookMs);
    const details = {
      applicable: true,
      faults: faults.length,
      faultsProven: proven.size,
      probes: probes.length,
      roundTrips,
      broken: broken.length,
      inconclusive: inconclusive.length,
      applyProbeMsMedian: median(applyMs),
      applyProbeMsMax: applyMs.length ? Math.max(...applyMs) : null,
      healProbeMsMedian: median(healMs),
      healProbeMsMax: healMs.length ? Math.max(...healMs) : null,
    };
    const w = new Witnesses();
    if (broken.length > 0) {
      for (const b of broken) w.add(b.fault, b.probe);
      const first = broken[0]!;
      const what = first.fault ? `fault ${first.fault.id} (${first.fault.label})` : `the ${first.probe.op} at t=${Math.round(first.probe.t)} ms`;
      const more = broken.length > 1 ? ` (${broken.length} contradicting probes in all)` : '';
      return { name, verdict: 'invalid', message: `Not in force as recorded: after ${first.probe.op} for ${what}, ${first.why}${more}. Checks that passed under it passed for nothing.`, witnesses: w.toArray(), details };
    }
    const unprobed = faults.filter((f) => !probedFaults.has(f));
    if (unprobed.length > 0 || inconclusive.length > 0 || skippedOnly.length > 0) {
      for (const f of [...unprobed, ...skippedOnly]) w.add(f);
      for (const i of inconclusive) w.add(i.probe);
      const reason =
        unprobed.length > 0
          ? `fault ${unprobed[0]!.id} (${unprobed[0]!.label}) has no probe after it`
          : skippedOnly.length > 0
            ? `every node fault ${skippedOnly[0]!.id} touched was down when it was probed`
            : inconclusive[0]!.why;
      return { name, verdict: 'unknown', message: `Could not prove every fault in force: ${reason}${inconclusive.length > 1 ? ` (${inconclusive.length} inconclusive probes)` : ''}.`, witnesses: w.toArray(), details };
    }
    const cost = applyMs.length ? ` Probing took a median ${ms(details.applyProbeMsMedian!)} per fault (max ${ms(details.applyProbeMsMax!)}), ${ms(details.healProbeMsMedian ?? 0)} per heal, beside the fault (it holds up only the next change of the network).` : '';
    return {
      name,
      verdict: 'valid',
      message: `${faults.length === 0 ? 'No network faults; the final heal' : `All ${faults.length} network fault(s) were seen in force and every heal`} checked out over ${roundTrips} probed round trips.${cost}`,
      witnesses: [],
      details,
    };
  },
};
