import { describe, expect, it } from 'vitest';
import { createRng } from '../../util/rng.js';
import { SimLinks } from './sim-links.js';

// SimCluster decides a message again as it leaves (after its sender's write) only when its own
// link changed meanwhile, so that runs where nothing changed under a write replay as before.
describe('SimLinks.changes: what changed on one link', () => {
  it('counts the cuts and toxics of that link only, and every heal of all links', () => {
    const links = new SimLinks(createRng(1));
    const ab = () => links.changes('a', 'b');
    const ba = () => links.changes('b', 'a');
    expect([ab(), ba()]).toEqual([0, 0]);
    links.cut([['a', 'b']]);
    expect([ab(), ba()]).toEqual([1, 0]);
    links.uncut([['a', 'b']]);
    expect([ab(), ba()]).toEqual([2, 0]);
    links.addToxic('t1', [['b', 'a']], { type: 'latency', latencyMs: 100 });
    expect([ab(), ba()]).toEqual([2, 1]);
    // Moved to another link: both the old and the new one changed.
    links.addToxic('t1', [['a', 'b']], { type: 'latency', latencyMs: 100 });
    expect([ab(), ba()]).toEqual([3, 2]);
    links.removeToxic('t1');
    expect([ab(), ba()]).toEqual([4, 2]);
    links.healAll();
    expect([ab(), ba(), links.changes('c', 'a')]).toEqual([5, 3, 1]);
  });
});
