import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Folder-level import cycles. A folder (the first level under a package's `src/`, e.g.
 * `harness/src/runtime`) may import another only if that one does not import it back, directly
 * or through others: folders then form layers (util < history < network < runtime < runner <
 * cli ...) and each can be read, tested and replaced on its own. A file at a package's top
 * level is a unit of its own. Tests and what only tests use (`test-support/`, `fixtures/`,
 * `testing/`) are left out: a test may reach across; production code must not import them.
 */

/** Test code: tests, test support and fixtures. */
const isTestCode = (path: string) => /\.test\.ts$|\/(test-support|fixtures|testing)\//.test(path);

const ROOT = resolve(import.meta.dirname, '../..');
const PACKAGES = ['harness/src', 'node/src'];

/** Import edges between folders: `from` folder -> `to` folders. */
type Graph = Map<string, Set<string>>;

/** The folder graph; with `types` false, `import type`/`export type` lines are left out. */
function folderGraph(types: boolean): Graph {
  const graph: Graph = new Map();
  for (const pkg of PACKAGES) {
    const base = join(ROOT, pkg);
    const unit = (file: string) => {
      const parts = relative(base, file).split('/');
      return `${pkg}/${parts.length > 1 ? parts[0] : parts[0]!.replace(/\.[jt]s$/, '')}`;
    };
    for (const file of sources(base)) {
      const text = readFileSync(file, 'utf8');
      const specs = [
        ...[...text.matchAll(/^\s*(?:import|export)\s+(type\s+)?[^'";]*?from\s+'(\.[^']+)'/gm)].flatMap((m) => (m[1] && !types ? [] : [m[2]!])),
        ...[...text.matchAll(/\bimport\(\s*'(\.[^']+)'\s*\)/g)].map((m) => m[1]!),
        ...[...text.matchAll(/^\s*import\s+'(\.[^']+)'/gm)].map((m) => m[1]!),
      ];
      for (const spec of specs) {
        const target = resolve(dirname(file), spec);
        if (!target.startsWith(base + '/') || isTestCode(target)) continue;
        const [a, b] = [unit(file), unit(target)];
        if (a === b) continue;
        if (!graph.has(a)) graph.set(a, new Set());
        graph.get(a)!.add(b);
      }
    }
  }
  return graph;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : sources(path);
    return /\.ts$/.test(e.name) && !isTestCode(path) ? [path] : [];
  });
}

/** Every group of folders that import one another in a circle (strongly connected, size > 1), each sorted. */
function folderCycles(graph: Graph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  let next = 0;
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1) groups.push(group.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return groups.sort((a, b) => a[0]!.localeCompare(b[0]!));
}

/** Shows a group's edges, for a failure message. */
function describeCycle(graph: Graph, group: string[]): string {
  return group.flatMap((a) => [...(graph.get(a) ?? [])].filter((b) => group.includes(b)).map((b) => `${a} -> ${b}`)).join('\n');
}

/**
 * Cycles made only of type imports (erased at run time) that are known and left: none. The
 * nemesis' aims (Target, LinkSelector, PartitionSpec) live in nemesis/types.ts and the fault
 * specs in faults/fault-spec.ts, below scenario/ (which re-exports them); a new cycle must be
 * removed, not listed.
 */
const KNOWN_TYPE_CYCLES: readonly (readonly string[])[] = [];

describe('folder-level import cycles', () => {
  it('finds a cycle when there is one (the check can fail)', () => {
    const g: Graph = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
      ['d', new Set(['a'])],
    ]);
    expect(folderCycles(g)).toEqual([['a', 'b', 'c']]);
    expect(folderCycles(new Map([['a', new Set(['b'])]]))).toEqual([]);
  });

  it('no folder of harness/src or node/src imports itself back through others (value imports)', () => {
    const graph = folderGraph(false);
    expect(graph.size).toBeGreaterThan(10);
    const cycles = folderCycles(graph);
    expect(cycles.map((c) => describeCycle(graph, c)), 'folder import cycles').toEqual([]);
  });

  it('production code imports no test code (test-support/, fixtures/, testing/)', () => {
    const offenders = PACKAGES.flatMap((pkg) =>
      sources(join(ROOT, pkg)).filter((file) =>
        [...readFileSync(file, 'utf8').matchAll(/from\s+'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/g)].some((m) => isTestCode(resolve(dirname(file), (m[1] ?? m[2])!))),
      ),
    );
    expect(offenders.map((f) => relative(ROOT, f))).toEqual([]);
  });

  it('type imports add no cycle either', () => {
    const graph = folderGraph(true);
    const known = new Set(KNOWN_TYPE_CYCLES.map((c) => c.join(' ')));
    const fresh = folderCycles(graph).filter((c) => !known.has(c.join(' ')));
    expect(fresh.map((c) => describeCycle(graph, c)), 'new folder import cycles through type imports').toEqual([]);
  });
});
