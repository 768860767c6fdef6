import { fmtMs as fmtMsShared } from '../util/time-format.js';
import type { HistoryEntry } from '../history/types.js';

/**
 * One line of plain text for a history entry, as a report lists it among a check's witnesses:
 * `t=1234.5ms poll n2 ok leader term 3 leader=n2`. Plain text: escape it before use in markup.
 */
export function describeEntry(e: HistoryEntry): string {
  const at = `t=${fmtMs(e.t)}`;
  switch (e.type) {
    case 'poll':
      return e.outcome === 'ok'
        ? `${at} poll ${e.node}: ${e.role ?? e.state} term ${e.term} leader=${e.leader ?? 'none'} votedFor=${e.votedFor ?? 'none'}`
        : `${at} poll ${e.node}: ${e.outcome}${e.error ? ` (${e.error})` : ''}`;
    case 'node-event': {
      const { type: _t, t: _tt, wall: _w, node, bootId: _b, seq, kind, term, ...rest } = e;
      const extra = Object.entries(rest)
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join(' ');
      return `${at} event ${node} #${seq} ${kind} term ${term}${extra ? ` ${extra}` : ''}`;
    }
    case 'fault-start':
      return `${at} fault ${e.id} starts: ${e.label}`;
    case 'fault-end':
      return `${at} fault ${e.id} healed: ${e.label}`;
    case 'links-applied':
      return `${at} fault ${e.id}: all ${e.links} links ${e.phase === 'start' ? 'changed' : 'restored'}`;
    case 'fault-probe':
      return `${at} probe after ${e.op}: ${e.probes.map((p) => `${p.from}→${p.to} ${p.expect} ${p.result}${p.result === 'answered' ? ` ${fmtMs(p.ms)}` : ''}`).join(', ')}`;
    case 'process':
      return `${at} process ${e.node}: ${e.action}${e.detail ? ` (${e.detail})` : ''}`;
    case 'delivery': {
      const granted = e.granted === undefined ? '' : ` voteGranted=${e.granted ?? 'missing'}`;
      const cand = e.candidate !== undefined && e.msg === 'request' ? ` for ${e.candidate}` : '';
      return `${at} delivered to ${e.node} (term ${e.nodeTerm}): ${e.rpc} ${e.msg} #${e.id}${cand} from ${e.from}, term ${e.term ?? 'missing'}${granted}${e.re !== undefined ? ` (answers #${e.re})` : ''}${e.refused !== undefined ? `, refused: ${e.refused}` : ''}`;
    }
    case 'phase':
      return `${at} phase ${e.phase}${e.detail ? ` (${e.detail})` : ''}`;
    case 'note':
      return `${at} ${e.level}: ${e.message}`;
    case 'events-gap':
      return `${at} events of ${e.node} lost: #${e.fromSeq}..#${e.toSeq}`;
    case 'run-start':
      return `${at} run ${e.runId} starts (${e.scenario}, seed ${e.seed})`;
    case 'run-end':
      return `${at} run ends after ${fmtMs(e.durationMs)}${e.interrupted ? ` (interrupted: ${e.interrupted})` : ''}`;
    default:
      return `${at} ${JSON.stringify(e)}`;
  }
}

/** Milliseconds for people, in the project's one style (`850 ms`, `3891.8 ms`): see util/time-format. */
export const fmtMs = fmtMsShared;

/** The node a history entry is about, if any. */
export function entryNode(e: HistoryEntry): string | undefined {
  return 'node' in e && typeof e.node === 'string' ? e.node : undefined;
}
