import { TimeoutError } from '../../../../common/src/errors.js';
import { makeRunId } from '../run-id.js';
import type { Testbed } from '../testbed.js';
import { hostBaseline, SimLinks, type LinkBaseline } from './sim-links.js';
import { SimNodes } from './sim-nodes.js';
import { SimPartitioner, TOXIPROXY_API_MS } from './sim-partitioner.js';
import { SimPoller } from './sim-poller.js';
import { VIRTUAL_EPOCH_MS, VirtualClock } from './virtual-clock.js';

/** What only a simulated testbed has. */
export interface SimTestbedOptions extends SimSettings {
  /** Why it was chosen (default `asked for with --runtime sim`). */
  reason?: string;
}

/** How a simulated testbed's world behaves (what a real testbed takes from the machine). */
export interface SimSettings {
  /** Epoch ms of virtual time 0: every `wall` is `epochMs + t` (default 2000-01-01T00:00:00Z). */
  epochMs?: number;
  /** The harness's wall clock, which names a run's directory (default `Date.now`; tests fix it). */
  wallNow?: () => number;
  /** Healthy-link behaviour (default: what the seed picks between a quiet and a busy host, `hostBaseline`). */
  links?: Partial<LinkBaseline>;
  /**
   * A timing perturbation of the run seed (default 0: none). With `jitter` k > 0 everything the
   * machine decides is drawn anew for k (how busy the host is, every message's delay, each
   * write's fsync time, boot times, poll times, and how busy Toxiproxy's API is: a fault lands
   * link by link over 1-2 ms to 10-20 ms per call, `busyApiMs`), while
   * what the node decides (its election timeouts, from the run seed) stays: the run seed's
   * elections under a few ms of other machine timing, as a replay of that seed on processes
   * sees them. k = 0 is the run seed itself, byte for byte.
   */
  jitter?: number;
}

/**
 * The simulated testbed: the node's driver and Raft core in this process (`SimNodes`), the network in
 * memory (`SimLinks`, `SimPartitioner`), polled by `SimPoller`, on virtual time. Every choice
 * comes from the run's seed: the same seed and settings give the same history, byte for byte,
 * `wall` included. The history's run id is `<virtual time>-<scenario>-s<seed>-sim<hash of the
 * settings>`; the run's directory is named the same way but by the harness's wall time when it
 * ran, so a replay gets a directory of its own and never overwrites an earlier run.
 */
export function simTestbed(options: SimTestbedOptions = {}): Testbed {
  const epochMs = options.epochMs ?? VIRTUAL_EPOCH_MS;
  return {
    name: 'sim',
    reason: options.reason ?? 'asked for with --runtime sim',
    capabilities: { simulated: true, lateStarts: true, externalToxiproxy: false, diskFaults: true },
    // Nothing outlives a simulation.
    reapStale: async () => [],
    open(plan) {
      const jitter = options.jitter ?? 0;
      const hash = hashOf({ ...(plan.identity as object), links: options.links ?? null, ...(jitter ? { jitter } : {}) });
      /** The machine's draws: the run seed's own, or perturbation `jitter`'s. */
      const machine = (label: string) => plan.rng.fork(jitter ? `${label}#jitter${jitter}` : label);
      const runId = `${makeRunId(plan.scenario, plan.seed, epochMs)}-sim${hash}`;
      const dirName = `${makeRunId(plan.scenario, plan.seed, (options.wallNow ?? Date.now)())}-sim${hash}`;
      // Without explicit links, the seed picks how busy the host is (see hostBaseline).
      const links = new SimLinks(machine('sim-links'), { ...hostBaseline(machine('sim-host').next()), ...options.links });
      const { logLevel: _logLevel, ...settings } = plan.settings;
      const nodes = new SimNodes({
        runId,
        nodes: plan.nodes,
        settings,
        links,
        epochMs,
        ...(plan.deferred.length ? { deferred: plan.deferred } : {}),
        ...(jitter ? { jitter } : {}),
        ...(plan.followEvents ? { afterWrites: true } : {}),
      });
      const clock = new VirtualClock(nodes, epochMs);
      return {
        runId,
        dirName,
        clock,
        meta: { links: links.baseline, virtualEpoch: new Date(epochMs).toISOString() },
        async start(ctx) {
          ctx.recorder.record({ type: 'note', level: 'info', message: nodes.description });
          nodes.onProcessEvent(ctx.onProcessEvent);
          // What the network delivered (vote traffic, newer terms): the harness's own record, stamped already.
          nodes.onDelivery((e) => ctx.write(e));
          nodes.awaitStarted();
          return {
            cluster: nodes,
            network: new SimPartitioner(links, plan.nodes, { rng: machine('sim-partitioner'), advance: (ms) => nodes.runUntil(nodes.now + ms), ...(jitter ? { apiMs: busyApiMs(machine('sim-api-load').next()) } : {}) }),
            observe() {
              const poller = new SimPoller(nodes, {
                intervalMs: plan.pollIntervalMs,
                rng: machine('sim-poller'),
                ...(plan.followEvents ? { afterWrites: true } : {}),
                record: (e) => {
                  // Stamped already: straight to the sinks (the Recorder's copy costs more than the simulation).
                  ctx.write(e);
                  if (ctx.onLeader && e.type === 'poll') ctx.onLeader(poller.current());
                },
              });
              poller.start();
              return {
                leader: () => poller.current(),
                flushEvents: async (which) => poller.flushEvents(which),
                // Runs virtual time forward poll by poll until a settled leader or the deadline.
                waitForSettledLeader: async (ms, wait = {}) => {
                  const exclude = new Set(typeof wait.exclude === 'string' ? [wait.exclude] : (wait.exclude ?? []));
                  const deadline = nodes.now + ms;
                  for (;;) {
                    const l = poller.current();
                    if (l !== null && !exclude.has(l.node) && (wait.afterTerm === undefined || l.term > wait.afterTerm)) return l;
                    if (nodes.now >= deadline) throw new TimeoutError(`no settled leader within ${ms} ms; last polls: ${poller.leaderView.describe()}`);
                    wait.signal?.throwIfAborted();
                    nodes.runUntil(Math.min(deadline, poller.nextTickAt));
                  }
                },
                describe: () => poller.leaderView.describe(),
                stop: () => poller.stop(),
                stats: () => poller.stats(),
              };
            },
            waitUntil: async (t, signal) => {
              nodes.runUntil(Math.max(nodes.now, t));
              signal.throwIfAborted();
            },
          };
        },
      };
    },
  };
}

/**
 * What one Toxiproxy API call takes under a timing perturbation: from the quiet host's 1-2 ms
 * (TOXIPROXY_API_MS, `load` 0) to 10-20 ms (`load` near 1), as measured on this 2-core host at a
 * load average of 23: a black hole on the 6 links of one node of 4 (12 calls) took 120 ms from
 * the fault's start to the next step. A failure that needs a fault in force within a few ms of
 * its start does not survive the busy end, as on processes it does not.
 */
export function busyApiMs(load: number): readonly [number, number] {
  const [lo, hi] = TOXIPROXY_API_MS;
  const f = 1 + 9 * load;
  return [lo * f, hi * f];
}

/** Six hex digits of FNV-1a over the JSON of `value`: tells runs with other settings apart. */
function hashOf(value: unknown): string {
  const text = JSON.stringify(value);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return (h >>> 8).toString(16).padStart(6, '0');
}
