import { ConfigError } from '../../../common/src/errors.js';
import type { UnstampedEntry } from '../history/types.js';
import type { Scenario } from '../scenario/types.js';

/** A node a staggered start brings up late, `ms` after the others. */
export interface LateStart {
  node: string;
  ms: number;
}

/** The scenario's late nodes (`startDelaysMs`), in order of delay; ConfigError for a node not in `nodes`. */
export function lateStarts(scenario: Scenario, nodes: readonly string[]): LateStart[] {
  const late = Object.entries(scenario.startDelaysMs ?? {}).map(([node, ms]) => ({ node, ms })).sort((a, b) => a.ms - b.ms);
  for (const l of late) if (!nodes.includes(l.node)) throw new ConfigError(`startDelaysMs: ${l.node} is not one of ${nodes.join(', ')}`);
  return late;
}

/** What starting the late nodes needs from a runner (real or simulated time). */
export interface LateStartDeps {
  now(): number;
  /** Resolves once the runner's clock has reached `t` (rejects when the run is cut short). */
  waitUntil(t: number): Promise<void>;
  start(node: string): Promise<void>;
  record(e: UnstampedEntry): void;
  progress(line: string): void;
}

/** Notes the plan, then starts each late node `ms` after now, in order. */
export async function startLateNodes(late: readonly LateStart[], d: LateStartDeps): Promise<void> {
  if (late.length === 0) return;
  const plan = `staggered start: ${late.map((l) => `${l.node} at +${l.ms} ms`).join(', ')}`;
  d.record({ type: 'note', level: 'info', message: plan });
  d.progress(plan);
  const t0 = d.now();
  for (const l of late) {
    await d.waitUntil(t0 + l.ms);
    d.progress(`start  ${l.node} (${l.ms} ms after the others)`);
    await d.start(l.node);
  }
}
