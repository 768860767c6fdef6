import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { killGroup } from './exit-guard.js';

/** Name of the per-run pidfile kept in the run's workDir while its nodes may be alive. */
export const PIDFILE_NAME = 'raft-chaos-pids.json';

/** Contents of a pidfile. */
export interface PidfileContents {
  kind: 'raft-chaos-pids';
  runId: string;
  harnessPid: number;
  /** The harness's start time as the kernel knows it (`/proc/<pid>/stat` field 22), if known. */
  harnessStart: string | null;
  /** An external Toxiproxy whose proxies named `<runId>-...` belong to this run. */
  toxiproxyUrl: string | null;
  /** Live node processes: node id → pid and the data directory on its command line. */
  nodes: Record<string, { pid: number; dataDir: string }>;
}

/** The pidfile of one run: rewritten (atomically) whenever a node starts or exits. */
export class Pidfile {
  private readonly contents: PidfileContents;
  private readonly path: string;
  private removed = false;

  constructor(workDir: string, runId: string, toxiproxyUrl: string | null) {
    mkdirSync(workDir, { recursive: true });
    this.path = join(workDir, PIDFILE_NAME);
    this.contents = {
      kind: 'raft-chaos-pids',
      runId,
      harnessPid: process.pid,
      harnessStart: procStartTime(process.pid),
      toxiproxyUrl,
      nodes: {},
    };
    this.write();
  }

  set(node: string, pid: number, dataDir: string): void {
    this.contents.nodes[node] = { pid, dataDir };
    this.write();
  }

  delete(node: string): void {
    delete this.contents.nodes[node];
    this.write();
  }

  /** Remove the file (the run ended cleanly). Idempotent. */
  remove(): void {
    this.removed = true;
    rmSync(this.path, { force: true });
  }

  private write(): void {
    if (this.removed) return;
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(this.contents)}\n`);
    renameSync(tmp, this.path);
  }
}

/** A node process that `reapStaleProcesses` killed. */
export interface ReapedProcess {
  runId: string;
  node: string;
  pid: number;
}

/**
 * Kill the node processes of earlier runs whose harness is gone (SIGKILLed, crashed), found
 * through the pidfiles under `workRoot` (searched up to three levels deep), and remove those
 * pidfiles. A pid is only killed when it is alive and its command line still names its data
 * directory, so a recycled pid is never hit. Pidfiles of live harnesses are left alone.
 * Returns what it killed and the external Toxiproxy runs whose proxies may be left
 * (`removeRunProxies` deletes them).
 */
export function reapStaleProcesses(workRoot: string): {
  reaped: ReapedProcess[];
  staleRuns: Array<{ runId: string; toxiproxyUrl: string | null }>;
} {
  const reaped: ReapedProcess[] = [];
  const staleRuns: Array<{ runId: string; toxiproxyUrl: string | null }> = [];
  for (const file of findPidfiles(workRoot, 3)) {
    const contents = readPidfile(file);
    if (contents === null || harnessAlive(contents)) continue;
    for (const [node, { pid, dataDir }] of Object.entries(contents.nodes)) {
      if (isAlive(pid) && commandLineOf(pid)?.includes(dataDir)) {
        killGroup(pid, 'SIGKILL');
        reaped.push({ runId: contents.runId, node, pid });
      }
    }
    staleRuns.push({ runId: contents.runId, toxiproxyUrl: contents.toxiproxyUrl });
    rmSync(file, { force: true });
  }
  return { reaped, staleRuns };
}

function findPidfiles(dir: string, depth: number): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const found: string[] = [];
  for (const e of entries) {
    if (e.isFile() && e.name === PIDFILE_NAME) found.push(join(dir, e.name));
    else if (e.isDirectory() && depth > 0) found.push(...findPidfiles(join(dir, e.name), depth - 1));
  }
  return found;
}

function readPidfile(file: string): PidfileContents | null {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as PidfileContents;
    return parsed.kind === 'raft-chaos-pids' ? parsed : null;
  } catch {
    return null;
  }
}

function harnessAlive(c: PidfileContents): boolean {
  if (c.harnessPid === process.pid) return c.harnessStart === procStartTime(process.pid);
  if (!isAlive(c.harnessPid)) return false;
  // Alive, but maybe a recycled pid: compare start times where the kernel tells them.
  const start = procStartTime(c.harnessPid);
  return c.harnessStart === null || start === null || start === c.harnessStart;
}

/** Whether a process with this pid exists (signal 0). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function procStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (comm) may hold spaces and parentheses: count fields after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function commandLineOf(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return null;
  }
}
