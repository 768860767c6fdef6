import { hostname } from 'node:os';

/**
 * The labels every Docker resource of a run carries (containers, networks, volumes), after
 * testcontainers' `utils/labels.ts`. Cleanup finds resources by these labels only, never by
 * name, so nothing the harness did not create is ever touched.
 *
 * Images carry only `raft-chaos.image*` labels (never `raft-chaos=1`): containers inherit their
 * image's labels, and a container someone starts by hand from our image (docker-compose) must
 * not look like a run's resource.
 */
export const LABEL_PROJECT = 'raft-chaos';
export const LABEL_RUN = 'raft-chaos.run';
export const LABEL_CREATED = 'raft-chaos.created';
export const LABEL_PID = 'raft-chaos.pid';
/** The harness's host name: a pid is only meaningful on the host that wrote it. */
export const LABEL_HOST = 'raft-chaos.host';
/** What the resource is for: `node`, `toxiproxy`, `network`, `volume`. */
export const LABEL_ROLE = 'raft-chaos.role';
/** The node id of a node container or volume. */
export const LABEL_NODE = 'raft-chaos.node';

/**
 * On containers: the absolute directory their run saves logs to (`<run dir>/nodes/logs`), so a
 * later run that removes them as stale saves their logs there first (when the run's directory
 * is still there).
 */
export const LABEL_LOGS = 'raft-chaos.logs';

/** Image labels: `raft-chaos.image` = `node` | `base`, and the content hash it was built from. */
export const LABEL_IMAGE = 'raft-chaos.image';
export const LABEL_IMAGE_HASH = 'raft-chaos.image-hash';
export const LABEL_IMAGE_METHOD = 'raft-chaos.image-method';

/** The labels of one run, fixed when the run starts. */
export interface RunLabelValues {
  runId: string;
  createdMs: number;
  pid: number;
  host: string;
}

export function runLabelValues(runId: string): RunLabelValues {
  return { runId, createdMs: Date.now(), pid: process.pid, host: hostname() };
}

/** The labels for one resource of a run. */
export function runLabels(run: RunLabelValues, extra: Record<string, string> = {}): Record<string, string> {
  return {
    [LABEL_PROJECT]: '1',
    [LABEL_RUN]: run.runId,
    [LABEL_CREATED]: String(run.createdMs),
    [LABEL_PID]: String(run.pid),
    [LABEL_HOST]: run.host,
    ...extra,
  };
}

/** A dockerode `filters` value selecting the project's resources, optionally of one run. */
export function labelFilter(runId?: string): { label: string[] } {
  return { label: runId === undefined ? [`${LABEL_PROJECT}=1`] : [`${LABEL_PROJECT}=1`, `${LABEL_RUN}=${runId}`] };
}

/**
 * A name fragment safe for container, network and volume names (`[a-zA-Z0-9][a-zA-Z0-9_.-]*`).
 * Names are for people; resources are always found by label.
 */
export function safeName(s: string): string {
  const cleaned = s.replace(/[^a-zA-Z0-9_.-]/g, '-').replace(/^[^a-zA-Z0-9]+/, '');
  return cleaned.length > 0 ? cleaned.slice(0, 100) : 'x';
}
