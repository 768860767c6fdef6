import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { containerLogs } from './containers.js';
import { LABEL_NODE, LABEL_PROJECT, LABEL_ROLE, LABEL_RUN, labelFilter } from './labels.js';
import { lifeHeader, markLives, parseTimestamped, type LifeEvent, type LogEntry } from './log-lives.js';
import { demuxFrames } from './logs.js';

/** The file the Toxiproxy container's log is saved to. */
export const TOXIPROXY_LOG_FILE = 'toxiproxy.log';

/** A run's container logs and what could not be saved. */
export interface RunLogs {
  /** Each node container's log, by node id. */
  nodes: Map<string, string>;
  /** The Toxiproxy container's log; undefined when there was no such container. */
  toxiproxy: string | undefined;
  /** One line per failure (listing, reading or writing); empty when everything was saved. */
  problems: string[];
}

/**
 * Reads the log of every container labelled with the run, found by label (so a run whose
 * setup failed half-way keeps the logs of what did start), and, when `dir` is given, writes
 * each to `dir/<node>.log` and `dir/toxiproxy.log` (replacing what was there): the process
 * runtime's file names, so a run's report directory looks the same on both. A container keeps
 * its log across restarts, so a node's file holds every life it had in the run, each after a
 * `--- raft-chaos: starting <node> ... ---` line as the process runtime writes (from the
 * engine's start/die events; without them, the log alone). Call before the containers are
 * removed. Never throws: what failed is in `problems`; the rest is saved.
 */
export async function saveRunLogs(docker: Docker, runId: string, dir?: string): Promise<RunLogs> {
  const files = new Map<string, string>();
  const nodes = new Map<string, string>();
  let toxiproxy: string | undefined;
  const problems: string[] = [];
  let containers: Docker.ContainerInfo[] = [];
  try {
    containers = await docker.listContainers({ all: true, filters: labelFilter(runId) });
  } catch (err) {
    problems.push(`could not list the containers of run ${runId}: ${(err as Error).message}`);
  }
  const lives = containers.length > 0 ? await lifeEvents(docker, runId, containers) : new Map<string, LifeEvent[]>();
  const read = (c: Docker.ContainerInfo, name: string): Promise<string> =>
    lifeLog(docker.getContainer(c.Id), lives.get(c.Id) ?? [], lifeHeader(name, (c.Names[0] ?? c.Id).replace(/^\//, '')));
  await Promise.all(
    containers.map(async (c) => {
      const labels = c.Labels ?? {};
      if (labels[LABEL_PROJECT] !== '1') return;
      const role = labels[LABEL_ROLE];
      const node = labels[LABEL_NODE];
      if (role === 'toxiproxy') {
        toxiproxy = await read(c, 'toxiproxy');
        files.set(TOXIPROXY_LOG_FILE, toxiproxy);
      } else if (role === 'node' && node !== undefined) {
        const text = await read(c, node);
        nodes.set(node, text);
        if (safeFileName(node)) files.set(`${node}.log`, text);
        else problems.push(`node id ${JSON.stringify(node)} is not a file name: its log was not written`);
      }
    }),
  );
  if (dir !== undefined && files.size > 0) {
    try {
      await mkdir(dir, { recursive: true });
      await Promise.all(
        [...files].map(([file, text]) =>
          writeFile(join(dir, file), text).catch((err: Error) => problems.push(`could not write ${join(dir, file)}: ${err.message}`)),
        ),
      );
    } catch (err) {
      problems.push(`could not make the log directory ${dir}: ${(err as Error).message}`);
    }
  }
  return { nodes, toxiproxy, problems };
}

/** Node ids are short words (`n1`); anything path-like, or Toxiproxy's own name, is refused. */
function safeFileName(id: string): boolean {
  return /^[\w.-]+$/.test(id) && id !== '.' && id !== '..' && `${id}.log` !== TOXIPROXY_LOG_FILE;
}

/**
 * The container's whole log with a header before each life; the plain log when the engine's
 * entries carry no timestamps or no start was seen. '' when the container is gone.
 */
async function lifeLog(container: Docker.Container, events: LifeEvent[], header: (startUs: number) => string): Promise<string> {
  if (events.length === 0) return containerLogs(container);
  let buf: Buffer;
  try {
    const got = await container.logs({ stdout: true, stderr: true, follow: false, timestamps: true });
    buf = Buffer.isBuffer(got) ? got : Buffer.from(got as unknown as string);
  } catch {
    return '';
  }
  const entries: LogEntry[] = [];
  for (const frame of demuxFrames(buf) ?? []) {
    const entry = parseTimestamped(frame.toString('utf8'));
    if (entry === undefined) return containerLogs(container);
    entries.push(entry);
  }
  if (entries.length === 0 && buf.length > 0) return containerLogs(container);
  return markLives(entries, events, header);
}

/**
 * The start and die events of the run's containers so far, by container id, from the engine's
 * event history (from just before the oldest container to the engine's now). Empty when the
 * engine does not give them within 5 s: the logs are then saved without headers.
 */
async function lifeEvents(docker: Docker, runId: string, containers: Docker.ContainerInfo[]): Promise<Map<string, LifeEvent[]>> {
  const byId = new Map<string, LifeEvent[]>();
  let stream: NodeJS.ReadableStream | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    const engineNowMs = Date.parse(((await docker.info()) as { SystemTime?: string }).SystemTime ?? '');
    if (Number.isNaN(engineNowMs)) return byId;
    const since = Math.min(...containers.map((c) => c.Created)) - 1;
    // `until` as seconds.nanoseconds, the engine's own clock: it then sends the history and ends.
    const untilMs = engineNowMs + 1;
    const until = `${Math.floor(untilMs / 1000)}.${String((untilMs % 1000) * 1_000_000).padStart(9, '0')}`;
    stream = (await docker.getEvents({
      since,
      until: until as unknown as number,
      filters: { type: ['container'], event: ['start', 'die'], label: [`${LABEL_RUN}=${runId}`] },
    })) as NodeJS.ReadableStream;
    const got = stream;
    const text = await new Promise<string>((resolve, reject) => {
      let all = '';
      timer = setTimeout(() => reject(new Error('no end of the event history within 5 s')), 5000);
      got.on('data', (chunk: Buffer | string) => (all += chunk.toString()));
      got.on('end', () => resolve(all));
      got.on('error', reject);
    });
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      const e = JSON.parse(line) as { id?: string; Action?: string; status?: string; Actor?: { ID?: string }; timeNano?: number; time?: number };
      const id = e.Actor?.ID ?? e.id;
      const action = e.Action ?? e.status;
      const atUs = e.timeNano !== undefined ? Math.floor(e.timeNano / 1000) : (e.time ?? 0) * 1_000_000;
      if (id === undefined || (action !== 'start' && action !== 'die')) continue;
      byId.set(id, [...(byId.get(id) ?? []), { action, atUs }]);
    }
    return byId;
  } catch {
    return new Map();
  } finally {
    clearTimeout(timer);
    (stream as { destroy?: () => void } | undefined)?.destroy?.();
  }
}
