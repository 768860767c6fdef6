import { afterEach, describe, expect, it, vi } from 'vitest';
import { FileStorage } from '../server/storage.js';
import { SimCluster } from './sim-cluster.js';

// The request check of the server's HTTP layer, made to throw on demand (as a broken
// `termAboveBound` would: it runs inside `checkRpcRequest`).
const validate = vi.hoisted(() => ({ throwOnCheck: false }));
vi.mock('../server/validate.js', async (original) => {
  const real = await original<typeof import('../server/validate.js')>();
  return {
    ...real,
    checkRpcRequest: (...args: Parameters<typeof real.checkRpcRequest>) => {
      if (validate.throwOnCheck) throw new TypeError("Cannot read properties of undefined (reading 'map')");
      return real.checkRpcRequest(...args);
    },
  };
});

afterEach(() => {
  validate.throwOnCheck = false;
  vi.restoreAllMocks();
});

// Code of the node that throws where a process would exit or answer HTTP 500 must do the same
// in simulation, not end the simulation with the node's error (a run the harness then cannot
// judge). What a process does: node/src/server/raft-node.ts, http-routes.ts.
describe('simulated cluster: node code that throws', () => {
  it('a storage that loads no state: the node does not start (its process exits 1 reading the term), the others elect', () => {
    const failed: string[] = [];
    const load = FileStorage.prototype.load;
    // The first node's load gives nothing (as `load`'s body emptied would); the others load.
    vi.spyOn(FileStorage.prototype, 'load').mockImplementation(function (this: FileStorage) {
      return failed.length === 0 ? (undefined as never) : load.call(this);
    });
    const c = new SimCluster({ seed: 1, onBootFailed: (id, error) => failed.push(`${id} ${error}`) });
    c.runFor(3000);
    expect(failed).toEqual([expect.stringMatching(/^n1 TypeError: Cannot read properties of undefined \(reading 'term'\)/)]);
    expect(c.isUp('n1')).toBe(false);
    expect(c.leaderKnownBy(2)).not.toBeNull();
  });

  it('a request check that throws: every RPC fails with HTTP 500, nobody is elected, the simulation runs on', () => {
    validate.throwOnCheck = true;
    const c = new SimCluster({ seed: 1 });
    c.runFor(3000);
    for (const id of c.ids) expect(c.status(id)?.role).not.toBe('leader');
    expect(c.now).toBe(3000);
  });
});
