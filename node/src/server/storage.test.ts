import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StorageError } from '../../../common/src/errors.js';
import { FileStorage, MemoryStorage, parseState } from './storage.js';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'raft-storage-'));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('durable state', () => {
  it('starts at term 0 without a file, creating the data directory', () => {
    const d = join(tmp(), 'sub');
    expect(new FileStorage(d).load()).toEqual({ term: 0, votedFor: null });
    expect(existsSync(d)).toBe(true);
  });

  it('saves atomically and loads what it saved', () => {
    const d = tmp();
    const s = new FileStorage(d);
    s.save({ term: 4, votedFor: 'n2' });
    expect(existsSync(join(d, 'raft-state.json.tmp'))).toBe(false);
    expect(JSON.parse(readFileSync(join(d, 'raft-state.json'), 'utf8'))).toEqual({ version: 1, term: 4, votedFor: 'n2' });
    expect(new FileStorage(d).load()).toEqual({ term: 4, votedFor: 'n2' });
  });

  it('never writes a state file it would refuse to read: a term past 2^53-1 is refused and the old file stays', () => {
    const d = tmp();
    const s = new FileStorage(d);
    s.save({ term: 9, votedFor: 'n2' });
    for (const bad of [{ term: 2 ** 53, votedFor: null }, { term: -1, votedFor: null }, { term: 1.5, votedFor: null }, { term: 10, votedFor: 'no spaces' }]) {
      expect(() => s.save(bad), JSON.stringify(bad)).toThrow(/refusing to write .* would not read back/);
      expect(new FileStorage(d).load()).toEqual({ term: 9, votedFor: 'n2' });
    }
    expect(existsSync(join(d, 'raft-state.json.tmp'))).toBe(false);
  });

  it.each([
    ['empty', ''],
    ['truncated', '{"version":1,"term":'],
    ['wrong version', '{"version":2,"term":1,"votedFor":null}'],
    ['negative term', '{"version":1,"term":-1,"votedFor":null}'],
    ['bad vote', '{"version":1,"term":1,"votedFor":5}'],
  ])('a corrupt file (%s) is a StorageError naming the file, never term 0', (_n, text) => {
    const d = tmp();
    writeFileSync(join(d, 'raft-state.json'), text);
    const load = () => new FileStorage(d).load();
    expect(load).toThrow(StorageError);
    expect(load).toThrow(join(d, 'raft-state.json'));
  });

  it('parseState accepts a valid state', () => {
    expect(parseState('{"version":1,"term":2,"votedFor":null}', 'f')).toEqual({ term: 2, votedFor: null });
  });

  it('forget-vote storage keeps nothing across instances', () => {
    const m = new MemoryStorage();
    m.save({ term: 3, votedFor: 'n1' });
    expect(m.load()).toEqual({ term: 3, votedFor: 'n1' });
    expect(new MemoryStorage().load()).toEqual({ term: 0, votedFor: null });
  });
});
