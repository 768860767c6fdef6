import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { LABEL_PROJECT, LABEL_RUN, labelFilter, runLabels, safeName } from './labels.js';
import { dieEvent } from './cluster.js';
import { demuxLogs, lastLine, lastLines } from './logs.js';
import { parseLdd } from './rootfs.js';
import { tarStream } from './tar.js';

describe('parseLdd', () => {
  it('takes every library path and the loader, skips the vdso', () => {
    const out = [
      '\tlinux-vdso.so.1 (0x00007ffd)',
      '\tlibstdc++.so.6 => /lib/x86_64-linux-gnu/libstdc++.so.6 (0x00007f)',
      '\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f)',
      '\t/lib64/ld-linux-x86-64.so.2 (0x00007f)',
    ].join('\n');
    expect(parseLdd(out)).toEqual([
      '/lib/x86_64-linux-gnu/libstdc++.so.6',
      '/lib/x86_64-linux-gnu/libc.so.6',
      '/lib64/ld-linux-x86-64.so.2',
    ]);
  });
});

describe('demuxLogs', () => {
  const frame = (type: number, text: string): Buffer => {
    const h = Buffer.alloc(8);
    h[0] = type;
    h.writeUInt32BE(Buffer.byteLength(text), 4);
    return Buffer.concat([h, Buffer.from(text)]);
  };
  it('joins stdout and stderr frames in order', () => {
    expect(demuxLogs(Buffer.concat([frame(1, 'out\n'), frame(2, 'err\n'), frame(1, 'more\n')]))).toBe('out\nerr\nmore\n');
  });
  it('returns plain text as is', () => {
    expect(demuxLogs(Buffer.from('hello world\n'))).toBe('hello world\n');
  });
  it('lastLines indents the tail, and says when there was nothing', () => {
    expect(lastLines('a\nb\nc\n', 2)).toBe('  | b\n  | c');
    expect(lastLines('')).toBe('  | (no output)');
  });
  it('lastLine is the last line, cut to its maximum', () => {
    expect(lastLine('a\nb  \n\n')).toBe('b');
    expect(lastLine('x'.repeat(400))).toHaveLength(300);
    expect(lastLine('')).toBe('');
  });
});

// node-crash quotes why a node exited by itself; on Docker the container's last log line says it.
describe('dieEvent: a node container that died', () => {
  const fatal = 'n2 fatal: CoreFailure: core n2 asks for a tick at 612 after ticking at 612: its timer would fire again at once, forever';
  it('with an error code: the exit and the last line the node logged as its detail', async () => {
    expect(await dieEvent('n2', '1', async () => fatal)).toEqual({ node: 'n2', action: 'exit', code: 1, signal: null, detail: fatal });
  });
  it('killed, stopped or exited cleanly: no detail, and the log is not read', async () => {
    const never = async (): Promise<string> => {
      throw new Error('read the log');
    };
    expect(await dieEvent('n1', '137', never)).toEqual({ node: 'n1', action: 'exit', code: 137, signal: 'SIGKILL' });
    expect(await dieEvent('n1', '143', never)).toEqual({ node: 'n1', action: 'exit', code: 143, signal: 'SIGTERM' });
    expect(await dieEvent('n1', '0', never)).toEqual({ node: 'n1', action: 'exit', code: 0, signal: null });
    expect(await dieEvent('n1', undefined, never)).toEqual({ node: 'n1', action: 'exit', code: null, signal: null });
  });
  it('an error code with nothing logged: no detail', async () => {
    expect(await dieEvent('n3', '1', async () => '')).toEqual({ node: 'n3', action: 'exit', code: 1, signal: null });
  });
});

describe('labels', () => {
  it('carry project, run, creation time, pid and host', () => {
    const l = runLabels({ runId: 'r1', createdMs: 5, pid: 42, host: 'h' }, { extra: 'x' });
    expect(l).toEqual({
      [LABEL_PROJECT]: '1',
      [LABEL_RUN]: 'r1',
      'raft-chaos.created': '5',
      'raft-chaos.pid': '42',
      'raft-chaos.host': 'h',
      extra: 'x',
    });
    expect(labelFilter('r1')).toEqual({ label: ['raft-chaos=1', 'raft-chaos.run=r1'] });
  });
  it('safeName makes engine-safe names', () => {
    expect(safeName('partition leader/2024:01')).toBe('partition-leader-2024-01');
    expect(safeName('--x')).toBe('x');
    expect(safeName('')).toBe('x');
  });
});

describe('tarStream', () => {
  it('writes an archive tar(1) reads back, long names included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rc-tar-'));
    writeFileSync(join(dir, 'src.bin'), Buffer.alloc(1000, 7));
    const long = `usr/lib/${'d'.repeat(120)}/libx.so`;
    const archive = await buffer(
      tarStream([
        { type: 'dir', name: 'app' },
        { type: 'file', name: 'app/a.txt', data: 'hello\n' },
        { type: 'path', name: long, source: join(dir, 'src.bin'), mode: 0o755 },
        { type: 'symlink', name: 'app/l', target: 'a.txt' },
      ]),
    );
    expect(archive.length % 512).toBe(0);
    writeFileSync(join(dir, 'x.tar'), archive);
    const listing = execFileSync('tar', ['tvf', join(dir, 'x.tar')], { encoding: 'utf8' });
    expect(listing).toMatch(/drwxr-xr-x root\/root +0 .* app\//);
    expect(listing).toMatch(new RegExp(`-rwxr-xr-x root/root +1000 .* ${long}`));
    expect(listing).toMatch(/app\/l -> a\.txt/);
    expect(execFileSync('tar', ['xOf', join(dir, 'x.tar'), 'app/a.txt'], { encoding: 'utf8' })).toBe('hello\n');
  });
});
