import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleNode } from '../../build.js';
import { agreedLeader, freePorts, getJson, startNodeProcess, waitFor, type NodeProcess } from '../testing/node-process.js';

let work: string;
let bundle: string;
const nodes = new Map<string, NodeProcess>();
const ids = ['n1', 'n2', 'n3'];
let ports: Record<string, number> = {};

function start(id: string): NodeProcess {
  const peers = ids.filter((p) => p !== id).map((p) => `${p}=127.0.0.1:${ports[p]}`).join(',');
  const n = startNodeProcess(bundle, id, ports[id]!, ['--peers', peers, '--data-dir', join(work, id)]);
  nodes.set(id, n);
  return n;
}


beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'raft-three-'));
  bundle = join(work, 'node.mjs');
  await bundleNode(bundle);
  const p = await freePorts(3);
  ports = Object.fromEntries(ids.map((id, i) => [id, p[i]!]));
});
afterAll(async () => {
  await Promise.all([...nodes.values()].map((n) => n.kill()));
  rmSync(work, { recursive: true, force: true });
});

describe('three real nodes on loopback', () => {
  it('elect exactly one leader, elect a new one in a higher term after it is killed, and a restarted node keeps its term', async () => {
    ids.forEach(start);
    const first = await waitFor('agreed leader', 5000, () => agreedLeader(ports, ids));
    // Stays one leader: every node's own event log agrees on one leader per term.
    const logs = await Promise.all(ids.map((id) => getJson(ports[id]!, '/events')));
    const leadersOf = (term: number) => logs.flatMap((l) => l.events).filter((e: any) => e.kind === 'become-leader' && e.term === term);
    expect(leadersOf(first.term)).toHaveLength(1);

    await nodes.get(first.leader)!.kill('SIGKILL');
    const rest = ids.filter((id) => id !== first.leader);
    const second = await waitFor('new leader', 5000, () => agreedLeader(ports, rest));
    expect(second.leader).not.toBe(first.leader);
    expect(second.term).toBeGreaterThan(first.term);

    start(first.leader);
    const status = await waitFor('restarted node', 5000, async () => (await getJson(ports[first.leader]!, '/status')) ?? undefined);
    const events = await getJson(ports[first.leader]!, '/events');
    expect(events.events[0]).toMatchObject({ kind: 'start', stateTerm: first.term, stateVotedFor: first.leader });
    expect(status.term).toBeGreaterThanOrEqual(first.term);
    const third = await waitFor('rejoined cluster', 5000, () => agreedLeader(ports, ids));
    expect(third.term).toBeGreaterThanOrEqual(second.term);
  });
});
