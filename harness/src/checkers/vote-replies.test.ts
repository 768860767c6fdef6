import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findScenario } from '../scenario/load.js';
import { runScenario } from '../runner/run-scenario.js';
import { HistoryBuilder } from './testing/history-builder.js';
import { judgement } from './types.js';
import { voteReplies } from './vote-replies.js';

const nodes = ['n1', 'n2', 'n3'];
const dir = mkdtempSync(join(tmpdir(), 'rc-vote-replies-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** n1 asks n2 for a vote of term 3; n2 logs `granted: logged` and answers `granted: replied`. */
function election(logged: boolean | null, replied: boolean, preVote = false): HistoryBuilder {
  const h = new HistoryBuilder(nodes).start();
  const rpc = preVote ? 'pre-vote' : 'request-vote';
  h.event('n2', 'become-follower', 2, { leader: null, reason: 'x' }, 10);
  h.delivery('n2', { id: 11, from: 'n1', rpc, msg: 'request', term: 3, nodeTerm: 2, candidate: 'n1', events: logged === null ? 0 : 1 }, 100);
  if (logged !== null) h.event('n2', 'vote', preVote ? 2 : 3, { candidate: 'n1', granted: logged, preVote, reason: logged ? 'granted' : 'already-voted:n3', requestTerm: 3 }, 100);
  h.delivery('n1', { id: 12, from: 'n2', rpc, msg: 'reply', term: 3, granted: replied, nodeTerm: 3, candidate: 'n1', requestTerm: 3, re: 11 }, 104);
  return h.end(200);
}

describe('vote-replies', () => {
  it('valid: the reply n1 was delivered says what n2 logged (a vote, a pre-vote, a refusal)', () => {
    for (const [logged, replied, preVote] of [[true, true, false], [false, false, false], [true, true, true]] as const) {
      const h = election(logged, replied, preVote);
      const r = voteReplies.check(h.entries, h.ctx());
      expect(judgement(r), r.message).toBe('ok');
      expect(r.message).toMatch(/\(1 replies\)/);
    }
  });

  it('invalid: the voter logged a grant while the reply refused, or the reverse, or logged nothing', () => {
    const a = election(true, false);
    const r = voteReplies.check(a.entries, a.ctx());
    expect(r.verdict).toBe('invalid');
    expect(r.message).toMatch(/n1 was delivered n2's reply refusing its vote of term 3 at 104 ms, but n2 logged it granted/);
    expect(r.witnesses.map((w) => w.type)).toEqual(['delivery', 'node-event', 'delivery']);
    const b = election(false, true, true);
    expect(voteReplies.check(b.entries, b.ctx()).message).toMatch(/reply granting its pre-vote of term 3 at 104 ms, but n2 logged it refused/);
    const c = election(null, true);
    expect(voteReplies.check(c.entries, c.ctx()).message).toMatch(/but n2 logged no vote for it/);
  });

  it('not applicable without delivery records; not judged when the voter’s events of that step were never read', () => {
    const h = new HistoryBuilder(nodes).start().steady(0, 500, { term: 1, leader: 'n1' }).end(500);
    expect(voteReplies.check(h.entries, h.ctx()).message).toMatch(/^Not applicable: the history records no delivered messages/);
    const e = election(true, false);
    // The step logged one event, but the history holds none of it (the run ended before it was read).
    const unread = e.entries.filter((x) => !(x.type === 'node-event' && x.kind === 'vote'));
    expect(judgement(voteReplies.check(unread, e.ctx()))).toBe('not judged');
  });

  it('--bug stale-refusal-logged-granted: invalid in simulation (split-vote, Pre-Vote off, seed 1); the correct node is valid there', async () => {
    const run = (bugs: string[]) => runScenario(findScenario('split-vote')!, { runtime: 'sim', seed: 1, preVote: false, bugs, reportDir: dir, writeReport: false, writeHistory: false });
    const bad = (await run(['stale-refusal-logged-granted'])).results.find((x) => x.name === 'vote-replies')!;
    expect(bad.verdict).toBe('invalid');
    expect(bad.message).toMatch(/reply refusing its vote of term \d+ at [\d.]+ ms, but n\d logged it granted/);
    const good = (await run([])).results.find((x) => x.name === 'vote-replies')!;
    expect(judgement(good)).toBe('ok');
  });
});
