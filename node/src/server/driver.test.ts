import { describe, expect, it } from 'vitest';
import { StorageError } from '../../../common/src/errors.js';
import { makeCore, voteReq } from '../core/test-helpers.js';
import type { HardState } from '../core/types.js';
import { NodeDriver } from './driver.js';

/** A driver over a core whose every effect is written down in order. */
function driven(bugs: string[], failSave = false) {
  const order: string[] = [];
  const storage = {
    location: '(test)',
    load: (): HardState => ({ term: 0, votedFor: null }),
    save: (s: HardState) => {
      if (failSave) throw new Error('disk full');
      order.push(`save term ${s.term} vote ${s.votedFor}`);
    },
  };
  let fatal: StorageError | null = null;
  const driver = new NodeDriver(makeCore({ preVote: false }), {
    storage,
    record: (e) => order.push(`event ${e.kind}`),
    send: (m) => order.push(`send ${m.to}`),
    fatal: (e) => (fatal = e),
  }, bugs);
  const vote = (respond = (r: unknown) => order.push(`reply ${JSON.stringify(r)}`)) =>
    driver.step({ kind: 'request', now: 1, from: 'n2', rpc: { type: 'request-vote', body: voteReq('n2', 1) } }, respond);
  return { order, vote, fatal: () => fatal };
}

describe('NodeDriver: the order of persisting and replying', () => {
  it('persists, logs, then answers a vote', () => {
    const d = driven([]);
    d.vote();
    expect(d.order[0]).toBe('save term 1 vote n2');
    expect(d.order.at(-1)).toBe('reply {"term":1,"voteGranted":true}');
  });

  it('reply-before-persist answers before the state is saved', () => {
    const d = driven(['reply-before-persist']);
    d.vote();
    expect(d.order[0]).toBe('reply {"term":1,"voteGranted":true}');
    expect(d.order[1]).toBe('save term 1 vote n2');
  });

  it('a failed save is fatal: reported, thrown, and nothing is answered', () => {
    const d = driven([], true);
    expect(() => d.vote()).toThrow(StorageError);
    expect(d.fatal()?.message).toMatch(/disk full/);
    expect(d.order).toEqual([]);
  });
});
