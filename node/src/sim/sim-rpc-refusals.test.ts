import { describe, expect, it, vi } from 'vitest';
import type { Input, Ready } from '../core/types.js';
import { SimCluster } from './sim-cluster.js';

// The simulation must refuse what a real node's HTTP layer refuses (server/validate.ts), and
// answer a request whose handling threw as the server does. Each test bends the cores (a
// wrapper around the real one) to send what no correct node sends, and records every input
// each core was stepped with.
const bend = vi.hoisted(() => ({
  /** Vote and pre-vote replies go out without their term. */
  replyWithoutTerm: false,
  /** RequestVote and PreVote bodies name this candidate instead of their sender. */
  candidate: undefined as string | undefined,
  /** The first request node n2 handles throws (not reported fatal) before it is answered. */
  throwOnRequest: false,
  inputs: [] as { node: string; input: Input }[],
}));

vi.mock('../core/raft-core.js', async (original) => {
  const real = await original<typeof import('../core/raft-core.js')>();
  return {
    ...real,
    createCore: (init: Parameters<typeof real.createCore>[0]) => {
      const core = real.createCore(init);
      const id = init.config.id;
      const step = core.step.bind(core);
      let throwNow = false;
      core.step = (input: Input): Ready => {
        bend.inputs.push({ node: id, input });
        const ready = step(input);
        if (bend.throwOnRequest && id === 'n2' && input.kind === 'request') {
          bend.throwOnRequest = false;
          throwNow = true;
        }
        const reply = bend.replyWithoutTerm && ready.reply !== null && 'voteGranted' in ready.reply ? ({ voteGranted: ready.reply.voteGranted } as unknown as typeof ready.reply) : ready.reply;
        const messages = bend.candidate === undefined ? ready.messages : ready.messages.map((m) => (m.type === 'append-entries' ? m : { ...m, body: { ...m.body, candidateId: bend.candidate! } }));
        const out = { ...ready, reply, messages };
        if (!throwNow) return out;
        throwNow = false;
        // The driver reads the events after the core's step, outside its guard: a throw there
        // is not reported fatal, and comes before the reply is sent.
        return Object.defineProperty(out, 'events', {
          get() {
            throw new Error('bent: thrown while handling a request');
          },
        });
      };
      return core;
    },
  };
});

function reset(): void {
  bend.replyWithoutTerm = false;
  bend.candidate = undefined;
  bend.throwOnRequest = false;
  bend.inputs = [];
}

const failures = (re: RegExp) => bend.inputs.filter(({ input }) => input.kind === 'failure' && re.test(input.reason ?? ''));

describe('simulated cluster: the same refusals as the HTTP layer', () => {
  it('a vote reply without its term is a failed RPC for the candidate, never a reply its core sees', () => {
    reset();
    bend.replyWithoutTerm = true;
    const c = new SimCluster({ ids: ['n1', 'n2', 'n3'], seed: 7, core: { preVote: false } });
    c.runFor(3000);
    expect(c.events.filter((e) => e.kind === 'vote' && e.granted).length).toBeGreaterThan(0);
    expect(bend.inputs.filter(({ input }) => input.kind === 'reply' && input.request.type !== 'append-entries')).toEqual([]);
    expect(failures(/missing field "term"/).length).toBeGreaterThan(0);
    expect(c.events.filter((e) => e.kind === 'become-leader')).toEqual([]);
  });

  it('a vote request whose candidateId is not a peer is refused with 400 (and one naming the receiver itself)', () => {
    for (const stranger of ['n9', 'n2']) {
      reset();
      bend.candidate = stranger;
      const c = new SimCluster({ ids: ['n1', 'n2', 'n3'], seed: 7, core: { preVote: true } });
      c.runFor(2000);
      expect(c.events.filter((e) => e.kind === 'become-pre-candidate').length).toBeGreaterThan(0);
      const seen = bend.inputs.filter(({ input }) => input.kind === 'request' && input.rpc.type !== 'append-entries');
      // n2 named itself: n1 and n3 accept it (n2 is their peer) but n2 must refuse its own name.
      if (stranger === 'n9') expect(seen).toEqual([]);
      else {
        expect(seen.filter(({ node }) => node === 'n2')).toEqual([]);
        for (const { input } of seen) expect(input.kind === 'request' && input.from).toBe('n2');
      }
      expect(failures(new RegExp(`HTTP 400: ${stranger} is not a peer of this node`)).length).toBeGreaterThan(0);
    }
  });

  it('a request whose handling throws (not fatal) is answered HTTP 500 at once: the sender sees a failure, not a timeout', () => {
    reset();
    bend.throwOnRequest = true;
    const c = new SimCluster({ ids: ['n1', 'n2', 'n3'], seed: 7, core: { preVote: true } });
    c.runFor(2000);
    const f = failures(/^HTTP 500: bent: thrown while handling a request$/);
    expect(f.length).toBe(1);
    expect(c.events.filter((e) => e.kind === 'become-leader').length).toBeGreaterThan(0);
  });
});
