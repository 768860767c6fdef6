import type { Step } from './types.js';
import { didYouMean } from './did-you-mean.js';

/** Reports a problem at a path (`steps[3].heal`) and does not return. */
export type Fail = (path: string, why: string) => never;

/** Ids in force while walking a schedule: id → the step that opened it; and why closed ones closed. */
interface IdState {
  open: Map<string, string>;
  closed: Map<string, string>;
}

/**
 * Checks a schedule's fault ids the way the runner will meet them, before anything runs: a
 * `{ heal: id }` must name a fault an earlier step started with that `id` and that is still in
 * force (not held with `holdMs`, not healed already), and no `id` may be opened again while it
 * is in force (the runner would stop the run there). A `repeat` block is walked twice when it
 * runs more than once: its effect on the ids in force is the same from the second run on, so
 * two runs show every problem. Steps must already have the right shape (see validateScenario).
 */
export function checkStepIds(steps: readonly Step[], fail: Fail): void {
  walk(steps, 'steps', { open: new Map(), closed: new Map() }, '', fail);
}

function walk(steps: readonly Step[], path: string, ids: IdState, when: string, fail: Fail): void {
  steps.forEach((step, i) => {
    const at = `${path}[${i}]`;
    if ('repeat' in step) {
      walk(step.steps, `${at}.steps`, ids, when, fail);
      if (step.repeat > 1) walk(step.steps, `${at}.steps`, ids, ` (on the 2nd run of ${at})`, fail);
    } else if ('heal' in step) {
      heal(step.heal, `${at}.heal`, ids, when, fail);
    } else if ('fault' in step && step.id !== undefined) {
      const opener = ids.open.get(step.id);
      if (opener !== undefined) {
        fail(`${at}.id`, `"${step.id}" is already in force here, opened by ${opener}${when}; heal it first or give this fault its own id`);
      }
      if (step.holdMs === undefined) {
        ids.open.set(step.id, at);
        ids.closed.delete(step.id);
      } else {
        ids.closed.set(step.id, `${at} held it for holdMs and healed it`);
      }
    }
  });
}

function heal(id: string, path: string, ids: IdState, when: string, fail: Fail): void {
  if (id === 'all') {
    for (const open of ids.open.keys()) ids.closed.set(open, `${path} healed it (heal all)`);
    ids.open.clear();
    return;
  }
  if (ids.open.delete(id)) {
    ids.closed.set(id, `${path} healed it`);
    return;
  }
  const inForce = ids.open.size > 0 ? `faults in force here: ${[...ids.open.keys()].join(', ')}` : 'no fault with an id is in force here';
  const closedWhy = ids.closed.get(id);
  if (closedWhy !== undefined) fail(path, `names "${id}", which is not in force here${when}: ${closedWhy}; ${inForce}`);
  const hint = didYouMean(id, ['all', ...ids.open.keys(), ...ids.closed.keys()]);
  fail(path, `names "${id}", but no earlier step started a fault with id "${id}"${hint}${when}; ${inForce}`);
}
