import { describe, expect, it, vi } from 'vitest';
import { SimCluster } from './sim-cluster.js';

// A core whose RequestVote and PreVote bodies lack `lastLogTerm` (its lastTerm answers nothing):
// JSON drops an undefined field, so the peers' HTTP layer refuses each such request with 400
// (server/validate.ts, http-routes.ts) and no real cluster of these nodes ever elects. The
// simulation hands bodies over as objects, so it must hold them to the same checks.
vi.mock('../core/log.js', async (original) => ({ ...(await original<typeof import('../core/log.js')>()), lastTerm: () => undefined }));

describe('simulated cluster: the HTTP layer refuses malformed requests', () => {
  it('vote requests without lastLogTerm are refused before the core sees them: no vote, no leader', () => {
    for (const preVote of [true, false]) {
      const c = new SimCluster({ ids: ['n1', 'n2', 'n3'], seed: 7, core: { preVote } });
      c.runFor(3000);
      expect(c.events.filter((e) => e.kind === 'become-pre-candidate' || e.kind === 'become-candidate').length).toBeGreaterThan(0);
      expect(c.events.filter((e) => e.kind === 'vote')).toEqual([]);
      expect(c.events.filter((e) => e.kind === 'become-leader')).toEqual([]);
    }
  });
});
