import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { EnvironmentError } from '../../../../common/src/errors.js';
import type { TarEntry } from './tar.js';

/**
 * The host's Node runtime as a root filesystem for a `FROM scratch` image: the node binary
 * (at `/usr/local/bin/node`, as in the official images), every shared library `ldd` lists for
 * it at the path `ldd` shows (so the dynamic loader finds them without a cache), the loader
 * itself, and a few empty directories (`/tmp`, `/data`, `/app`). No shell, no passwd, no
 * package manager: only what `node script.mjs` needs.
 */
export interface RuntimeRootfs {
  /** Tar entries under `rootfs/` (the base image's build context). */
  entries: TarEntry[];
  /** Key of what went in: changes when the binary or a library changes (path, size, mtime). */
  key: string;
  /** For progress messages: `node v20.20.2 + 7 shared libraries`. */
  summary: string;
}

const exec = promisify(execFile);

/** Paths `ldd` prints for a binary: `name => /path (0x...)` or `/path (0x...)`; vdso skipped. */
export function parseLdd(output: string): string[] {
  const paths: string[] = [];
  for (const line of output.split('\n')) {
    const m = /=>\s*(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(0x/.exec(line);
    if (m?.[1] && !paths.includes(m[1])) paths.push(m[1]);
  }
  return paths;
}

/**
 * What both rootfs collectors build with: the tar entries (the empty `/tmp`, `/data`, `/app`,
 * `/etc` and `etc/nsswitch.conf` already in), and `addFile`, which adds a host file (symlinks
 * resolved) at a path in the image with its parent directories and feeds the key's hash its
 * path, size and mtime (and its host path when `hashSource`).
 */
function rootfsBuilder(prefix: string, hashSeed: string, hashSource: boolean) {
  const hash = createHash('sha256').update(hashSeed);
  const entries: TarEntry[] = [];
  const dirs = new Set<string>();
  const addDirs = (path: string): void => {
    const parts = path.split('/').slice(0, -1);
    for (let i = 1; i <= parts.length; i++) {
      const d = parts.slice(0, i).join('/');
      if (!dirs.has(d)) {
        dirs.add(d);
        entries.push({ type: 'dir', name: prefix + d });
      }
    }
  };
  const addFile = async (inImage: string, source: string, mode?: number): Promise<void> => {
    const real = await realpath(source);
    const st = await stat(real);
    hash.update(hashSource ? `${inImage}\0${real}\0${st.size}\0${st.mtimeMs}\n` : `${inImage}\0${st.size}\0${st.mtimeMs}\n`);
    addDirs(inImage);
    entries.push({ type: 'path', name: prefix + inImage, source: real, ...(mode === undefined ? {} : { mode }) });
  };
  for (const d of ['tmp', 'data', 'app', 'etc']) {
    dirs.add(d);
    entries.push({ type: 'dir', name: prefix + d, mode: d === 'tmp' ? 0o1777 : 0o755 });
  }
  entries.push({ type: 'file', name: `${prefix}etc/nsswitch.conf`, data: 'hosts: files dns\n' });
  return { hash, entries, addFile };
}

/** Collects the runtime files of `execPath` (default: this process's node). */
export async function collectRuntimeRootfs(execPath = process.execPath, prefix = 'rootfs/'): Promise<RuntimeRootfs> {
  if (process.platform !== 'linux') {
    throw new EnvironmentError(
      `cannot assemble the offline node image on ${process.platform}: it copies a Linux node binary ` +
        'and its libraries. Build node/Dockerfile with a registry, or use --runtime process.',
    );
  }
  let lddOut: string;
  try {
    lddOut = (await exec('ldd', [execPath])).stdout;
  } catch (cause) {
    throw new EnvironmentError(
      `cannot assemble the offline node image: \`ldd ${execPath}\` failed (${(cause as Error).message}). ` +
        'Install libc-bin, or build node/Dockerfile where its base image node:20-slim can be pulled.',
      { cause },
    );
  }
  const libs = parseLdd(lddOut);
  if (!libs.some((p) => /ld-linux|ld-musl/.test(p))) {
    throw new EnvironmentError(`cannot assemble the offline node image: ldd shows no dynamic loader for ${execPath}`);
  }
  const { hash, entries, addFile } = rootfsBuilder(prefix, 'rootfs-v1\n', true);
  await addFile('usr/local/bin/node', execPath, 0o755);
  for (const lib of libs) await addFile(lib.replace(/^\/+/, ''), lib);
  hash.update(process.version);
  return {
    entries,
    key: hash.digest('hex'),
    summary: `node ${process.version} from ${execPath} + ${libs.length} shared libraries`,
  };
}

/** Parts of the Python standard library an HTTP node never imports (tests, IDE, Tk, pip, build files, installed packages). */
const PYTHON_SKIP = new Set(['site-packages', 'test', 'idlelib', 'tkinter', 'turtledemo', 'ensurepip', 'lib2to3']);

/**
 * The host's Python 3 as a root filesystem for a `FROM scratch` image: the interpreter at
 * `/usr/local/bin/python3`, its standard library at `/usr/local/lib/python3.X` (where the
 * interpreter looks, relative to itself; without tests, Tk, pip and installed packages), and
 * every shared library `ldd` lists for the interpreter and the stdlib's extension modules
 * (`lib-dynload`). `python3` is the interpreter on PATH (default: `python3`).
 */
export async function collectPythonRootfs(python = 'python3', prefix = 'rootfs/'): Promise<RuntimeRootfs> {
  if (process.platform !== 'linux') {
    throw new EnvironmentError(`cannot assemble an offline Python image on ${process.platform}: it copies a Linux python3 and its libraries`);
  }
  let info: { executable: string; stdlib: string; version: string; short: string };
  try {
    const code =
      'import sys, sysconfig, json; print(json.dumps({"executable": sys.executable, "stdlib": sysconfig.get_paths()["stdlib"], ' +
      '"version": sys.version.split()[0], "short": "%d.%d" % sys.version_info[:2]}))';
    info = JSON.parse((await exec(python, ['-c', code])).stdout) as typeof info;
  } catch (cause) {
    throw new EnvironmentError(`cannot assemble an offline Python image: \`${python}\` did not run (${(cause as Error).message}). Install Python 3 on this host.`, { cause });
  }
  const binary = await realpath(info.executable);
  const dynload = join(info.stdlib, 'lib-dynload');
  const modules = existsSync(dynload) ? (await readdir(dynload)).filter((f) => f.endsWith('.so')).map((f) => join(dynload, f)) : [];
  let lddOut: string;
  try {
    lddOut = (await exec('ldd', [binary, ...modules], { maxBuffer: 16 * 1024 * 1024 })).stdout;
  } catch (cause) {
    // ldd exits non-zero when one of many files is not dynamic, but still prints the rest.
    lddOut = (cause as { stdout?: string }).stdout ?? '';
    if (!lddOut) throw new EnvironmentError(`cannot assemble an offline Python image: \`ldd ${binary}\` failed (${(cause as Error).message})`, { cause });
  }
  const libs = parseLdd(lddOut);
  const { hash, entries, addFile } = rootfsBuilder(prefix, `python-rootfs-v1\n${info.version}\n`, false);
  await addFile('usr/local/bin/python3', binary, 0o755);
  for (const lib of libs) if (!lib.startsWith(info.stdlib + '/')) await addFile(lib.replace(/^\/+/, ''), lib);
  const stdlibInImage = `usr/local/lib/python${info.short}`;
  let files = 0;
  const walk = async (dir: string, rel: string): Promise<void> => {
    for (const name of (await readdir(dir)).sort()) {
      if (rel === '' && PYTHON_SKIP.has(name)) continue;
      if (rel === '' && name.startsWith('config-')) continue;
      const abs = join(dir, name);
      const st = await stat(abs).catch(() => undefined);
      if (st?.isDirectory()) await walk(abs, `${rel}${name}/`);
      else if (st?.isFile()) {
        await addFile(`${stdlibInImage}/${rel}${name}`, abs);
        files++;
      }
    }
  };
  await walk(info.stdlib, '');
  return {
    entries,
    key: hash.digest('hex'),
    summary: `python ${info.version} from ${binary} + ${libs.length} shared libraries + ${files} stdlib files`,
  };
}
