import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, isAbsolute } from 'node:path';
import type Docker from 'dockerode';
import { LABEL_CREATED, LABEL_HOST, LABEL_IMAGE, LABEL_LOGS, LABEL_PID, LABEL_PROJECT, LABEL_RUN, labelFilter } from './labels.js';
import { saveRunLogs } from './run-logs.js';

/** What a cleanup removed (names, or ids when unnamed), and of which runs. */
export interface CleanupReport {
  runs: string[];
  containers: string[];
  networks: string[];
  volumes: string[];
  /** Stale runs whose container logs were saved before removal, and where (`<run dir>/nodes/logs`). */
  savedLogs?: Array<{ run: string; dir: string }>;
  /** Why some stale run's logs were not saved (its directory is gone, a log could not be read). */
  logProblems?: string[];
}

export interface StaleOptions {
  /** Resources older than this are stale even if their harness pid lives (default 24 h). */
  maxAgeMs?: number;
  now?: number;
  /** Whether the harness that made a resource still runs (default: pid alive on this host, same process). */
  isAlive?: (labels: Record<string, string>) => boolean;
}

type Labels = Record<string, string>;

interface Found {
  containers: Array<{ id: string; name: string; labels: Labels }>;
  networks: Array<{ id: string; name: string; labels: Labels }>;
  volumes: Array<{ id: string; name: string; labels: Labels }>;
}

async function listProject(docker: Docker, runId?: string): Promise<Found> {
  const filters = labelFilter(runId);
  const [containers, networks, volumes] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
    docker.listVolumes({ filters }),
  ]);
  return {
    containers: containers.map((c) => ({ id: c.Id, name: (c.Names[0] ?? c.Id).replace(/^\//, ''), labels: c.Labels ?? {} })),
    networks: networks.map((n) => ({ id: n.Id, name: n.Name, labels: n.Labels ?? {} })),
    volumes: (volumes.Volumes ?? []).map((v) => ({ id: v.Name, name: v.Name, labels: (v.Labels as Labels | null) ?? {} })),
  };
}

/** Only resources labelled `raft-chaos=1` ever reach here (double-checked, whatever the filter did). */
async function removeFound(docker: Docker, found: Found, keep: (labels: Labels) => boolean): Promise<CleanupReport> {
  const ours = (l: Labels): boolean => l[LABEL_PROJECT] === '1' && !keep(l);
  const report: CleanupReport = { runs: [], containers: [], networks: [], volumes: [] };
  const noteRun = (l: Labels): void => {
    const run = l[LABEL_RUN] ?? '(no run label)';
    if (!report.runs.includes(run)) report.runs.push(run);
  };
  await Promise.all(
    found.containers.filter((c) => ours(c.labels)).map(async (c) => {
      if (await ignoreGone(docker.getContainer(c.id).remove({ force: true, v: true }))) report.containers.push(c.name);
      noteRun(c.labels);
    }),
  );
  for (const n of found.networks.filter((x) => ours(x.labels))) {
    if (await ignoreGone(docker.getNetwork(n.id).remove())) report.networks.push(n.name);
    noteRun(n.labels);
  }
  await Promise.all(
    found.volumes.filter((v) => ours(v.labels)).map(async (v) => {
      if (await ignoreGone(docker.getVolume(v.id).remove())) report.volumes.push(v.name);
      noteRun(v.labels);
    }),
  );
  return report;
}

/** true when removed, false when it was already gone (404) or being removed (409). */
async function ignoreGone(p: Promise<unknown>): Promise<boolean> {
  try {
    await p;
    return true;
  } catch (err) {
    const code = (err as { statusCode?: number }).statusCode;
    if (code === 404 || code === 409) return false;
    throw err;
  }
}

/** Removes every container, network and volume labelled with this run id. */
export async function removeRunResources(docker: Docker, runId: string): Promise<CleanupReport> {
  return removeFound(docker, await listProject(docker, runId), (l) => l[LABEL_RUN] !== runId);
}

/**
 * Removes the resources of runs whose harness is gone: labelled on this host with a pid that no
 * longer runs (or now belongs to a process started after the resource), or older than
 * `maxAgeMs` wherever they came from. Resources of live runs, and anything without the
 * project's label, are left alone. Call at the start of every Docker run.
 */
export async function cleanupStale(docker: Docker, options: StaleOptions = {}): Promise<CleanupReport> {
  const stale = staleTest(options);
  const found = await listProject(docker);
  const saved = await saveStaleLogs(docker, found.containers.filter((c) => c.labels[LABEL_PROJECT] === '1' && stale(c.labels)));
  const report = await removeFound(docker, found, (l) => !stale(l));
  return { ...report, ...saved };
}

/**
 * Before a stale run's containers go: their logs are saved into the run's own log directory
 * (the `raft-chaos.logs` label) when the run's directory still exists; never throws.
 */
async function saveStaleLogs(
  docker: Docker,
  containers: Found['containers'],
): Promise<{ savedLogs: Array<{ run: string; dir: string }>; logProblems: string[] }> {
  const savedLogs: Array<{ run: string; dir: string }> = [];
  const logProblems: string[] = [];
  const dirs = new Map<string, string | undefined>();
  for (const c of containers) {
    const run = c.labels[LABEL_RUN];
    if (run === undefined) continue;
    dirs.set(run, dirs.get(run) ?? c.labels[LABEL_LOGS]);
  }
  for (const [run, dir] of dirs) {
    if (dir === undefined || !isAbsolute(dir)) {
      logProblems.push(`run ${run}: its containers name no log directory, their logs were not saved`);
      continue;
    }
    const runDir = dirname(dirname(dir));
    if (!existsSync(runDir)) {
      logProblems.push(`run ${run}: its directory ${runDir} is gone, its container logs were not saved`);
      continue;
    }
    const result = await saveRunLogs(docker, run, dir).catch((err: Error) => ({ problems: [err.message] }));
    logProblems.push(...result.problems.map((p) => `run ${run}: ${p}`));
    savedLogs.push({ run, dir });
  }
  return { savedLogs, logProblems };
}

/**
 * Whether a resource with these labels belongs to a run whose harness is gone (see
 * cleanupStale): older than `maxAgeMs`, or carrying a pid whose harness no longer runs. A
 * resource without a pid label and not too old is kept (nothing says its run is over).
 */
export function staleTest(options: StaleOptions = {}): (labels: Labels) => boolean {
  const now = options.now ?? Date.now();
  const maxAge = options.maxAgeMs ?? 24 * 3600_000;
  const isAlive = options.isAlive ?? harnessAlive;
  return (l) => {
    const created = Number(l[LABEL_CREATED]);
    if (Number.isFinite(created) && now - created > maxAge) return true;
    return l[LABEL_PID] !== undefined && !isAlive(l);
  };
}

/** Removes every container, network and volume labelled `raft-chaos=1`, runs in progress included (`npm run cleanup -- --all`). */
export async function cleanupAll(docker: Docker): Promise<CleanupReport> {
  return removeFound(docker, await listProject(docker), () => false);
}

/**
 * Whether the harness named by a resource's labels still runs. A pid on another host cannot be
 * checked: assumed alive (the age limit covers it). On Linux a reused pid is told apart by its
 * start time: a process that started after the resource was made is not its harness.
 */
export function harnessAlive(labels: Labels): boolean {
  const pid = Number(labels[LABEL_PID]);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (labels[LABEL_HOST] !== undefined && labels[LABEL_HOST] !== hostname()) return true;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const started = processStartMs(pid);
  const created = Number(labels[LABEL_CREATED]);
  return !(started !== undefined && Number.isFinite(created) && started > created + 2000);
}

/** Epoch ms when process `pid` started (Linux /proc), or undefined when unknown. */
export function processStartMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const startTicks = Number(fields[19]);
    const btime = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1]);
    if (!Number.isFinite(startTicks) || !Number.isFinite(btime)) return undefined;
    return btime * 1000 + (startTicks / 100) * 1000; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

/**
 * Removes the project's images (labelled `raft-chaos.image`), node images first, and returns
 * their tags. Images still used by a container are kept.
 */
export async function removeProjectImages(docker: Docker): Promise<string[]> {
  const removed: string[] = [];
  const images = await docker.listImages({ filters: { label: [LABEL_IMAGE] } });
  images.sort((a, b) => rankImage(a.Labels) - rankImage(b.Labels));
  for (const img of images) {
    try {
      await docker.getImage(img.Id).remove({ force: (img.RepoTags?.length ?? 0) > 1 });
      removed.push(...(img.RepoTags ?? [img.Id]));
    } catch {
      // in use, or already gone with its child
    }
  }
  return removed;
}

function rankImage(labels: Record<string, string> | undefined): number {
  return labels?.[LABEL_IMAGE] === 'base' ? 1 : 0; // bases last: node and subject images are built on them
}
