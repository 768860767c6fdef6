import { join, resolve } from 'node:path';
import type Docker from 'dockerode';
import { Toxiproxy } from 'toxiproxy-node-client';
import { ConfigError, EnvironmentError } from '../../../../common/src/errors.js';
import { directedLinks, linkProxyName } from '../../network/link-names.js';
import { nodeArgs } from '../process/node-args.js';
import { freePort, reservePorts, type PortReservation } from '../process/ports.js';
import type { Cluster, ClusterSpec, Runtime } from '../types.js';
import { cleanupStale, removeRunResources, type StaleOptions } from './cleanup.js';
import { DockerCluster, NODE_CONTAINER_PORT, waitForNode, type NodeContainer } from './cluster.js';
import { watchConnects, type ConnectWatch } from './connect-watch.js';
import { createContainer, engineError, HostPortTakenError, startContainer, waitForHttp, type ContainerSpec } from './containers.js';
import { requireDocker, type EngineOptions } from './engine.js';
import { ensureNodeImage, IMAGE_NODE_MAIN, stderrProgress, type EnsureImageOptions } from './image.js';
import { LABEL_LOGS, LABEL_NODE, LABEL_ROLE, runLabels, runLabelValues, safeName } from './labels.js';
import { saveRunLogs } from './run-logs.js';
import { closeOnSignal } from './signals.js';
import { ensureSubjectImage } from './subject-image.js';
import { isCommandSubject, launchPlan, type LaunchPlan } from '../../subject/launch.js';
import { chooseToxiproxy, linkListenPort, TOXIPROXY_API_PORT } from './toxiproxy-container.js';

/** The port every node listens on inside its container. */
export const NODE_PORT = NODE_CONTAINER_PORT;
/** Network alias of the Toxiproxy container on the run's network. */
export const TOXIPROXY_ALIAS = 'toxiproxy';

export interface DockerRuntimeOptions extends EngineOptions {
  /** Use this image instead of building/reusing the project image (it must follow the image layout). */
  image?: string;
  imageOptions?: EnsureImageOptions;
  /** Progress lines (image build, stale cleanup, logs that could not be saved). Default: stderr. */
  onProgress?: (line: string) => void;
  /** Per-container readiness wait (default 20 s). */
  readyTimeoutMs?: number;
  /** `docker stop` grace period, whole seconds (default 2). */
  stopGraceSeconds?: number;
  /**
   * Publish node i's status port on 127.0.0.1:`hostPortBase + i` and the Toxiproxy API on
   * `hostPortBase + n`, instead of free ports chosen by the runtime. A taken port is an error.
   */
  hostPortBase?: number;
  /**
   * Cgroup parent of the containers. Default: `/` on engines with the cgroupfs driver and
   * cgroup v1, else the engine's default (`null` forces the engine's default). Why: under
   * cgroup v1 every container shares the engine's one `/docker` cpu group, which weighs as much
   * as a single host process, so on a busy host all nodes together get one process's share of
   * CPU and RPCs miss their deadlines; at `/` each container competes like a process.
   */
  cgroupParent?: string | null;
  /** Remove stale resources of dead runs before starting (default true; options for the age limit). */
  cleanupStale?: boolean | StaleOptions;
}

/**
 * The `docker` runtime: each node in its own container of the project image, on one
 * user-defined bridge network per run, every node-to-node link through a Toxiproxy container
 * on the same network. Node i's peer j is `<toxiproxy IP>:<20000+k>` (proxy i→j); each
 * proxy's upstream is `<IP of j>:7000`. Containers also carry network aliases (`n1`,
 * `toxiproxy`) for people using `docker exec`, but links use IPs: no connection waits on the
 * engine's DNS. A node that comes back with another IP gets its proxies re-pointed. The harness reaches node
 * status ports and the Toxiproxy API on 127.0.0.1 only. Every resource carries the run's
 * labels (see labels.ts); resources of dead runs are removed at the start of each run.
 * Every container's log is saved to `<spec.workDir>/logs/<node>.log` and `toxiproxy.log` (the
 * process runtime's layout) before the run's resources are removed: at close, on Ctrl-C, and
 * when the setup itself fails.
 */
export class DockerRuntime implements Runtime {
  readonly name = 'docker';

  constructor(private readonly options: DockerRuntimeOptions = {}) {}

  async start(spec: ClusterSpec): Promise<DockerCluster> {
    if (spec.toxiproxyUrl !== undefined) {
      throw new ConfigError(
        `--toxiproxy-url cannot be used with --runtime docker: the Docker runtime runs its own Toxiproxy ` +
          `container on the run's network (the only place it can reach the node containers). Leave the option out.`,
      );
    }
    // A subject other than our node runs the image it names (an example image is built on
    // demand); one without an image is refused before the engine is asked anything.
    const subject = spec.subject !== undefined && isCommandSubject(spec.subject) ? spec.subject : undefined;
    const subjectRef = subject ? planFor(subject, spec, spec.nodes[0]!, '0.0.0.0', []).image! : undefined;
    const progress = this.options.onProgress ?? stderrProgress;
    const { docker, version } = await requireDocker(this.options);
    if (this.options.cleanupStale !== false) {
      const removed = await cleanupStale(docker, this.options.cleanupStale === true ? {} : this.options.cleanupStale);
      if (removed.runs.length > 0) {
        const saved = removed.savedLogs ?? [];
        progress(
          `removed leftovers of stale run(s) ${removed.runs.join(', ')}: ${removed.containers.length} container(s), ` +
            `${removed.networks.length} network(s), ${removed.volumes.length} volume(s)` +
            (saved.length ? `; their logs saved to ${saved.map((x) => x.dir).join(', ')}` : ''),
        );
      }
      for (const problem of removed.logProblems ?? []) progress(`warning: ${problem}`);
    }
    const run = runLabelValues(spec.runId);
    const base = `raft-chaos-${safeName(spec.runId)}`;
    const networkName = base;
    const n = spec.nodes.length;
    const fixed = this.options.hostPortBase;
    const readyTimeoutMs = this.options.readyTimeoutMs ?? 20_000;

    const logDir = join(resolve(spec.workDir), 'logs');
    const warn = (message: string) => progress(`warning: ${message}`);
    // Until the cluster object exists, Ctrl-C (and any failure) saves the logs of what started
    // and removes the run's resources by label.
    const setup = {
      runId: spec.runId,
      close: async () => {
        const saved = await saveRunLogs(docker, spec.runId, logDir);
        for (const problem of saved.problems) warn(`run ${spec.runId}: ${problem}`);
        await removeRunResources(docker, spec.runId);
      },
    };
    const untrack = closeOnSignal(setup);
    // What creates resources: observed at once (a failure while something else is awaited is
    // not unhandled), and settled before any cleanup (so nothing is created after the run was removed).
    const inFlight: Array<Promise<unknown>> = [];
    const track = <T>(p: Promise<T>): Promise<T> => {
      inFlight.push(p);
      p.catch(() => {});
      return p;
    };
    let reservation: PortReservation | undefined;
    let connects: Promise<ConnectWatch> | undefined;
    try {
      // The network and volumes do not depend on the image: made while it is checked.
      const storage = track(
        (async () => {
          await createNetwork(docker, networkName, runLabels(run, { [LABEL_ROLE]: 'network' }));
          return Promise.all(
            spec.nodes.map((node) =>
              createVolume(docker, `${base}-${safeName(node)}-data`, runLabels(run, { [LABEL_ROLE]: 'volume', [LABEL_NODE]: node })),
            ),
          );
        })(),
      );
      connects = track(watchConnects(docker, networkName));
      const subjectImage = subjectRef !== undefined ? await ensureSubjectImage(docker, subjectRef, progress) : undefined;
      const built =
        this.options.image === undefined && subject === undefined ? await ensureNodeImage(docker, { onProgress: progress, ...this.options.imageOptions }) : undefined;
      const image = subjectImage?.tag ?? this.options.image ?? built!.tag;
      // Toxiproxy runs from the project's image (or the official one): a subject's image has no Toxiproxy.
      const toxiImage = subject === undefined ? image : this.options.image ?? (await ensureNodeImage(docker, { onProgress: progress, ...this.options.imageOptions })).tag;
      const [toxi, cgroupParent, volumes, addresses] = await Promise.all([chooseToxiproxy(docker, toxiImage), this.cgroupParent(docker), storage, connects]);
      reservation = fixed === undefined ? await reservePorts(n + 1) : undefined;
      const hostPorts = reservation?.ports ?? spec.nodes.map((_, i) => fixed! + i).concat(fixed! + n);
      const description =
        `docker (engine ${version}): ${n} node containers of ${subjectImage ? `subject ${subject!.name}: ${subjectImage.note}` : image}` +
        `${built ? ` (${built.method === 'offline' ? 'offline FROM-scratch build' : 'node/Dockerfile build'})` : ''}` +
        ` on network ${networkName}; links through ${toxi.label}`;
      const links = directedLinks(spec.nodes);
      const portOf = new Map(links.map(([from, to], k) => [`${from}\0${to}`, linkListenPort(k)]));
      const toxiSpec: ContainerSpec = {
        name: `${base}-toxiproxy`,
        image: toxi.image,
        ...(toxi.entrypoint ? { entrypoint: toxi.entrypoint } : {}),
        cmd: toxi.cmd,
        labels: runLabels(run, { [LABEL_ROLE]: 'toxiproxy', [LABEL_LOGS]: logDir }),
        network: networkName,
        aliases: [TOXIPROXY_ALIAS],
        containerPort: TOXIPROXY_API_PORT,
        hostPort: hostPorts[n]!,
        ...(cgroupParent ? { cgroupParent } : {}),
      };
      const peersOf = (node: string, toxiproxyIp: string) =>
        spec.nodes.filter((p) => p !== node).map((p) => ({ id: p, host: toxiproxyIp, port: portOf.get(`${node}\0${p}`)! }));
      const subjectParts = (node: string, toxiproxyIp: string): Partial<ContainerSpec> => {
        const plan = planFor(subject!, spec, node, '0.0.0.0', peersOf(node, toxiproxyIp));
        // The subject's command, when it has one, runs in the image (its first word the
        // entrypoint, found on the image's PATH, from its working directory); else the image's own.
        const [program, ...args] = plan.argv;
        return {
          ...(program !== undefined ? { entrypoint: [program], cmd: args } : {}),
          env: Object.entries(plan.env).map(([k, v]) => `${k}=${v}`),
          stopSignal: plan.stopSignal,
        };
      };
      const nodeSpec = (node: string, i: number, toxiproxyIp: string): ContainerSpec => ({
        name: `${base}-${safeName(node)}`,
        image,
        ...(subject ? subjectParts(node, toxiproxyIp) : ownNode(node, i, toxiproxyIp)),
        labels: runLabels(run, { [LABEL_ROLE]: 'node', [LABEL_NODE]: node, [LABEL_LOGS]: logDir }),
        network: networkName,
        aliases: [node],
        containerPort: NODE_PORT,
        hostPort: hostPorts[i]!,
        volume: volumes[i]!,
        ...(cgroupParent ? { cgroupParent } : {}),
      });
      const ownNode = (node: string, i: number, toxiproxyIp: string): Partial<ContainerSpec> => ({
        entrypoint: ['node'],
        cmd: [
          IMAGE_NODE_MAIN,
          ...nodeArgs({
            id: node,
            host: '0.0.0.0',
            port: NODE_PORT,
            peers: spec.nodes
              .filter((p) => p !== node)
              .map((p) => `${p}=${toxiproxyIp}:${portOf.get(`${node}\0${p}`)}`)
              .join(','),
            dataDir: '/data',
            settings: spec.settings,
            index: i,
          }),
        ],
      });
      await reservation?.release();
      const subjectReadyTimeout = subject ? Math.max(readyTimeoutMs, subject.ready.timeoutMs) : readyTimeoutMs;

      // Toxiproxy first: the nodes' --peers name its IP, known as soon as the engine connects
      // it, so the nodes start while it is still starting. Peers and upstreams are IPs, not
      // names, so no connection waits on the engine's DNS (dockerd itself, slow when the host is busy).
      const retry = fixed === undefined;
      const toxiStarted = track(createAndStart(docker, toxiSpec, `Toxiproxy (container ${toxiSpec.name})`, retry));
      const toxiproxyIp = await addresses.address(toxiSpec.name, toxiStarted);
      const toxiReady = toxiStarted.then(async (t) => {
        const url = `http://127.0.0.1:${t.hostPort}`;
        await waitForHttp({
          container: t.container,
          what: `Toxiproxy (container ${toxiSpec.name})`,
          url: `${url}/version`,
          timeoutMs: readyTimeoutMs,
          accept: () => true,
        });
        return { ...t, url };
      });
      toxiReady.catch(() => {});
      const nodesReady = spec.nodes.map(async (node, i): Promise<NodeContainer> => {
        const s = nodeSpec(node, i, toxiproxyIp);
        const started = track(createAndStart(docker, s, `node ${node} (container ${s.name})`, retry));
        const ip = await addresses.address(s.name, started);
        // The proxies into this node, made while it boots.
        await new Toxiproxy((await toxiReady).url).populate(
          spec.nodes
            .filter((from) => from !== node)
            .map((from) => ({
              name: linkProxyName(spec.runId, from, node),
              listen: `0.0.0.0:${portOf.get(`${from}\0${node}`)}`,
              upstream: `${ip}:${NODE_PORT}`,
              enabled: true,
            })),
        );
        const { container, hostPort } = await started;
        // Told as soon as the container runs, before it can take part in an election (the
        // checks read a node's `start` as the beginning of its life).
        if (spec.onProcessEvent) {
          const pid = (await container.inspect().catch(() => undefined))?.State.Pid;
          spec.onProcessEvent({ node, action: 'start', ...(pid ? { pid } : {}) });
        }
        const nc: NodeContainer = { id: node, container, name: s.name, hostPort, ip, running: true, paused: false };
        await waitForNode(nc, subjectReadyTimeout, subject?.ready.path);
        return nc;
      });
      const [toxiUp, nodeContainers] = await Promise.all([toxiReady, Promise.all(nodesReady)]);
      const cluster = new DockerCluster({
        docker,
        runId: spec.runId,
        nodes: spec.nodes,
        networkName,
        image,
        toxiproxyUrl: toxiUp.url,
        toxiproxyKind: toxi.kind,
        toxiproxyContainer: toxiUp.container,
        nodeContainers,
        description: `${description}, API ${toxiUp.url}`,
        proxyName: (from, to) => linkProxyName(spec.runId, from, to),
        readyTimeoutMs: subjectReadyTimeout,
        ...(subject ? { readyPath: subject.ready.path } : {}),
        stopGraceSeconds: subject ? Math.max(1, Math.ceil(subject.stop.graceMs / 1000)) : this.options.stopGraceSeconds ?? 2,
        probeHost: toxiproxyIp,
        logDir,
        onWarning: warn,
      });
      if (spec.onProcessEvent) cluster.onProcessEvent(spec.onProcessEvent);
      await cluster.watchEvents().catch(() => {});
      return cluster;
    } catch (err) {
      await reservation?.release();
      await Promise.allSettled(inFlight);
      await setup.close().catch(() => {});
      throw err;
    } finally {
      void connects?.then((w) => w.close(), () => {});
      untrack();
    }
  }

  private async cgroupParent(docker: Docker): Promise<string | undefined> {
    if (this.options.cgroupParent !== undefined) return this.options.cgroupParent ?? undefined;
    const info = (await docker.info()) as { CgroupDriver?: string; CgroupVersion?: string };
    return info.CgroupDriver === 'cgroupfs' && info.CgroupVersion === '1' ? '/' : undefined;
  }
}

async function createNetwork(docker: Docker, name: string, labels: Record<string, string>): Promise<void> {
  try {
    await docker.createNetwork({ Name: name, Driver: 'bridge', CheckDuplicate: true, Labels: labels });
  } catch (cause) {
    if ((cause as { statusCode?: number }).statusCode === 409) {
      throw new EnvironmentError(
        `Docker network ${name} already exists: another run with the same run id is active (or left it behind). ` +
          'Use a fresh run id, or remove leftovers with `npm run cleanup`.',
        { cause },
      );
    }
    throw engineError(`creating network ${name}`, cause);
  }
}

async function createVolume(docker: Docker, name: string, labels: Record<string, string>): Promise<string> {
  try {
    await docker.createVolume({ Name: name, Labels: labels });
    return name;
  } catch (cause) {
    throw engineError(`creating volume ${name}`, cause);
  }
}

/**
 * Creates and starts a container. When its host port turns out taken (something grabbed it
 * between choosing and starting) and `retry`, recreates it on another free port, up to 3 times.
 */
async function createAndStart(
  docker: Docker,
  spec: ContainerSpec,
  what: string,
  retry: boolean,
): Promise<{ container: Docker.Container; hostPort: number }> {
  let current = spec;
  for (let attempt = 1; ; attempt++) {
    const container = await createContainer(docker, current);
    try {
      await startContainer(container, what, current.hostPort);
      return { container, hostPort: current.hostPort };
    } catch (err) {
      if (!(err instanceof HostPortTakenError) || !retry || attempt >= 3) throw err;
      await container.remove({ force: true, v: true }).catch(() => {});
      current = { ...current, hostPort: await freePort() };
    }
  }
}

/** The launch plan of `node` of a command subject in a container (port 7000, data in `/data`). */
function planFor(subject: Parameters<typeof launchPlan>[0], spec: ClusterSpec, node: string, host: string, peers: Parameters<typeof launchPlan>[1]['peers']): LaunchPlan {
  return launchPlan(
    subject,
    {
      id: node,
      host,
      port: NODE_PORT,
      peers,
      dataDir: '/data',
      electionTimeoutMin: spec.settings.electionTimeoutMin,
      electionTimeoutMax: spec.settings.electionTimeoutMax,
      heartbeatInterval: spec.settings.heartbeatInterval,
    },
    'docker',
  );
}

/** The Docker runtime with default options. */
export function dockerRuntime(options: DockerRuntimeOptions = {}): DockerRuntime {
  return new DockerRuntime(options);
}

export type { Cluster };
