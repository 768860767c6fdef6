import { join } from 'node:path';
import { Toxiproxy } from 'toxiproxy-node-client';
import { removeRunProxies } from '../network/link-proxies.js';
import { createPartitioner } from '../network/partitioner.js';
import { createPoller } from '../poller/index.js';
import { realClock } from '../util/clock.js';
import { reapStaleProcesses } from './process/pidfile.js';
import { makeRunId } from './run-id.js';
import type { Testbed, TestbedCapabilities } from './testbed.js';
import type { Runtime } from './types.js';

/** The `wait` of the long polls that follow our node's events when a step is fired by one (ms). */
export const FOLLOW_WAIT_MS = 2000;

/** How often the real observer reports the settled leader for progress lines (ms). */
const LEADER_WATCH_MS = 100;

/**
 * A testbed of real nodes (processes or containers) on real time: `runtime` starts the
 * cluster, every link goes through Toxiproxy (`ToxiproxyPartitioner`), the poller observes
 * every node over HTTP, and a run's id carries its wall-clock start.
 */
export function realTestbed(runtime: Runtime, reason: string, capabilities: TestbedCapabilities): Testbed {
  return {
    name: runtime.name,
    reason,
    capabilities,
    async reapStale(reportRoot) {
      // A harness killed outright leaves a pidfile under the report root: kill what it left
      // running, and remove the proxies it left on a Toxiproxy it did not own.
      const warnings: string[] = [];
      const reaped = reapStaleProcesses(reportRoot);
      for (const p of reaped.reaped) {
        warnings.push(`killed node ${p.node} (pid ${p.pid}) left running by run ${p.runId}, whose harness died`);
      }
      for (const stale of reaped.staleRuns) {
        if (!stale.toxiproxyUrl) continue;
        const removed = await removeRunProxies(new Toxiproxy(stale.toxiproxyUrl), stale.runId).catch(() => 0);
        if (removed > 0) warnings.push(`removed ${removed} proxies left at ${stale.toxiproxyUrl} by run ${stale.runId}, whose harness died`);
      }
      return warnings;
    },
    open(plan) {
      const clock = plan.clock ?? realClock;
      const runId = makeRunId(plan.scenario, plan.seed, clock.wall());
      return {
        runId,
        clock,
        meta: { pid: process.pid },
        async start(ctx) {
          // A subject's status has no boot id: the pid of the process that answers stands for it.
          const subject = plan.subject !== undefined && plan.subject.launch.kind === 'command' ? plan.subject : undefined;
          const boots = new Map<string, string>();
          const cluster = await runtime.start({
            runId,
            onProcessEvent: (e) => {
              if (e.action === 'start' && e.pid !== undefined) boots.set(e.node, `pid-${e.pid}`);
              ctx.onProcessEvent(e);
            },
            ...(subject ? { subject } : {}),
            nodes: plan.nodes,
            ...(plan.deferred.length ? { deferred: plan.deferred } : {}),
            workDir: join(ctx.dir, 'nodes'),
            ...(plan.toxiproxyUrl ? { toxiproxyUrl: plan.toxiproxyUrl } : {}),
            settings: plan.settings,
          });
          ctx.recorder.record({ type: 'note', level: 'info', message: cluster.description });
          return {
            cluster,
            // Faults proven in force: the harness reaches every link proxy (on Docker at the
            // Toxiproxy container's IP, the cluster's `probeHost`).
            network: createPartitioner(cluster, { onProbe: (e) => ctx.recorder.record(e) }),
            observe() {
              const p = createPoller(cluster, {
                record: (e) => ctx.recorder.record(e),
                clock: ctx.recorder,
                intervalMs: plan.pollIntervalMs,
                ...(subject ? { status: subject.status, eventsPath: subject.events?.path ?? null, bootOf: (n: string) => boots.get(n) } : {}),
                ...(plan.followEvents && !subject ? { eventsWaitMs: FOLLOW_WAIT_MS } : {}),
              });
              p.start();
              const watch = ctx.onLeader ? setInterval(() => ctx.onLeader!(p.leaderView.current()), LEADER_WATCH_MS) : undefined;
              watch?.unref();
              return {
                leader: () => p.leaderView.current(),
                flushEvents: (nodes) => p.flushEvents(nodes),
                waitForSettledLeader: (ms, wait) => p.leaderView.waitForSettledLeader(ms, wait),
                describe: () => p.leaderView.describe(),
                stop: () => {
                  clearInterval(watch);
                  return p.stop();
                },
                stats: () => p.stats(),
              };
            },
            waitUntil: (t, signal) => clock.sleep(t - clock.now(), signal),
          };
        },
      };
    },
  };
}
