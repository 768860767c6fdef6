import { describe, expect, it } from 'vitest';
import { StorageError } from '../../../common/src/errors.js';
import { fireTimer, makeCore, voteReq } from '../core/test-helpers.js';
import type { RaftCore } from '../core/raft-core.js';
import type { Outgoing } from '../core/types.js';
import type { HardState } from '../core/types.js';
import { CoreFailure, NodeDriver } from './driver.js';

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

/** A driver over `core` that writes down its effects and keeps what it was told was fatal. */
function failing(core: RaftCore) {
  const order: string[] = [];
  const fatal: Error[] = [];
  const driver = new NodeDriver(core, {
    storage: { location: '(test)', load: () => ({ term: 0, votedFor: null }), save: (s: HardState) => order.push(`save term ${s.term}`) },
    record: (e) => order.push(`event ${e.kind}`),
    send: (m) => order.push(`send ${m.to}`),
    fatal: (e) => fatal.push(e),
  }, []);
  return { driver, order, fatal };
}

describe('NodeDriver: a core that cannot go on is fatal, never swallowed', () => {
  it('a core that throws on an input: CoreFailure naming the node and the input, reported then thrown, nothing carried out', () => {
    const core = makeCore({ preVote: false });
    const broken: RaftCore = Object.assign(Object.create(core) as RaftCore, {
      step: () => {
        throw new RangeError('term out of range');
      },
    });
    const d = failing(broken);
    expect(() => d.driver.step({ kind: 'request', now: 5, from: 'n2', rpc: { type: 'request-vote', body: voteReq('n2', 1) } }, () => d.order.push('reply'))).toThrow(CoreFailure);
    expect(d.fatal).toHaveLength(1);
    expect(d.fatal[0]).toBeInstanceOf(CoreFailure);
    expect(d.fatal[0]!.message).toBe('core n1 threw on request-vote request from n2: RangeError: term out of range');
    expect(d.order).toEqual([]);
  });

  it('stuck-election-timer: a tick answered by a deadline at or before it is fatal, after the step is carried out', () => {
    const core = makeCore({ preVote: false, bugs: ['stuck-election-timer'] });
    const d = failing(core);
    d.driver.step({ kind: 'tick', now: core.nextDeadline() });
    expect(core.status().role).toBe('candidate');
    expect(d.fatal).toEqual([]);
    const at = core.nextDeadline();
    expect(() => d.driver.step({ kind: 'tick', now: at + 3 })).toThrow(CoreFailure);
    expect(d.fatal.map((e) => e.message)).toEqual([`core n1 asks for a tick at ${at} after ticking at ${at + 3}: its timer would fire again at once, forever`]);
  });

  it('a deadline equal to the tick is fatal too; after a request it only means "tick now"', () => {
    const core = makeCore({ preVote: false });
    const at = core.nextDeadline();
    const pinned: RaftCore = Object.assign(Object.create(core) as RaftCore, { nextDeadline: () => at });
    const d = failing(pinned);
    d.driver.step({ kind: 'request', now: at + 10, from: 'n2', rpc: { type: 'request-vote', body: voteReq('n2', 1) } }, () => d.order.push('reply'));
    expect(d.fatal).toEqual([]);
    expect(() => d.driver.step({ kind: 'tick', now: at })).toThrow(/asks for a tick at \S+ after ticking at/);
    const nan: RaftCore = Object.assign(Object.create(core) as RaftCore, { nextDeadline: () => NaN });
    const n = failing(nan);
    expect(() => n.driver.step({ kind: 'failure', now: 1, request: { to: 'n2', type: 'request-vote', body: voteReq('n1', 1) }, reason: 'timeout' })).toThrow(
      'core n1 asks for a tick at NaN after failure of request-vote to n2: its timer would never fire',
    );
  });

  it('the correct core, ticked at each deadline for a minute through every role, is never fatal', () => {
    for (const preVote of [false, true]) {
      const core = makeCore({ preVote });
      const sent: Outgoing[] = [];
      const fatal: Error[] = [];
      const driver = new NodeDriver(core, {
        storage: { location: '(test)', load: () => ({ term: 0, votedFor: null }), save: () => {} },
        record: () => {},
        send: (m) => sent.push(m),
        fatal: (e) => fatal.push(e),
      }, []);
      const roles = new Set<string>();
      while (core.nextDeadline() < 60_000) {
        const now = core.nextDeadline();
        driver.step({ kind: 'tick', now });
        roles.add(core.status().role);
        // Votes are granted in odd terms only, so some elections fail and are retried; no
        // heartbeat is answered, so CheckQuorum deposes each leader.
        for (let m = sent.shift(); m !== undefined; m = sent.shift()) {
          if (m.type === 'append-entries' || m.body.term % 2 === 0) continue;
          driver.step({ kind: 'reply', now: now + 1, request: m, reply: { term: core.status().term, voteGranted: true } });
          roles.add(core.status().role);
        }
      }
      expect(fatal).toEqual([]);
      expect([...roles]).toEqual(expect.arrayContaining(['follower', 'candidate', 'leader', ...(preVote ? ['pre-candidate'] : [])]));
    }
  });
});
