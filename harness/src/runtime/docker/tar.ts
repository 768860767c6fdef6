import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';

/**
 * A minimal streaming ustar writer for Docker build contexts: directories, regular files
 * (from memory or streamed from disk, following symlinks) and symlinks. Entries get uid/gid 0
 * and mtime 0, so the same inputs give the same bytes (and the engine's build cache hits).
 * Names are relative (`usr/bin/node`); up to 255 bytes via the ustar prefix field.
 */
export type TarEntry =
  | { type: 'dir'; name: string; mode?: number }
  | { type: 'file'; name: string; mode?: number; data: Buffer | string }
  | { type: 'path'; name: string; mode?: number; source: string }
  | { type: 'symlink'; name: string; target: string };

const BLOCK = 512;

/** A readable stream of the tar archive of `entries`, in order. */
export function tarStream(entries: readonly TarEntry[]): Readable {
  return Readable.from(generate(entries), { objectMode: false });
}

async function* generate(entries: readonly TarEntry[]): AsyncGenerator<Buffer> {
  for (const e of entries) {
    switch (e.type) {
      case 'dir':
        yield header(e.name.replace(/\/?$/, '/'), e.mode ?? 0o755, 0, '5');
        break;
      case 'symlink':
        yield header(e.name, 0o777, 0, '2', e.target);
        break;
      case 'file': {
        const data = typeof e.data === 'string' ? Buffer.from(e.data) : e.data;
        yield header(e.name, e.mode ?? 0o644, data.length, '0');
        yield data;
        yield padding(data.length);
        break;
      }
      case 'path': {
        const st = await stat(e.source);
        yield header(e.name, e.mode ?? st.mode & 0o7777, st.size, '0');
        let sent = 0;
        for await (const chunk of createReadStream(e.source)) {
          sent += (chunk as Buffer).length;
          yield chunk as Buffer;
        }
        if (sent !== st.size) throw new Error(`${e.source} changed size while being archived`);
        yield padding(st.size);
        break;
      }
    }
  }
  yield Buffer.alloc(BLOCK * 2);
}

function padding(size: number): Buffer {
  const rest = size % BLOCK;
  return Buffer.alloc(rest === 0 ? 0 : BLOCK - rest);
}

function header(path: string, mode: number, size: number, type: string, linkname = ''): Buffer {
  const h = Buffer.alloc(BLOCK);
  let name = path;
  let prefix = '';
  if (Buffer.byteLength(name) > 100) {
    const cut = path.lastIndexOf('/', path.length - 2);
    prefix = path.slice(0, cut);
    name = path.slice(cut + 1);
    if (cut <= 0 || Buffer.byteLength(name) > 100 || Buffer.byteLength(prefix) > 155) {
      throw new Error(`tar: name too long: ${path}`);
    }
  }
  h.write(name, 0, 100);
  h.write(octal(mode, 7), 100, 8);
  h.write(octal(0, 7), 108, 8);
  h.write(octal(0, 7), 116, 8);
  h.write(octal(size, 11), 124, 12);
  h.write(octal(0, 11), 136, 12);
  h.write('        ', 148, 8);
  h.write(type, 156, 1);
  h.write(linkname, 157, 100);
  h.write('ustar\u000000', 257, 8);
  h.write('root', 265, 32);
  h.write('root', 297, 32);
  h.write(prefix, 345, 155);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8);
  return h;
}

function octal(n: number, width: number): string {
  return `${n.toString(8).padStart(width, '0')}\u0000`;
}
