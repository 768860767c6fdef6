import type { PollOutcome } from '../history/types.js';

/** What the poller cost and achieved (for the history's note and the benchmark). */
export interface PollerStats {
  elapsedMs: number;
  nodes: number;
  intervalMs: number;
  polls: number;
  pollsPerSecond: number;
  pollsPerNodePerSecond: number;
  /** 1000 / intervalMs: what a node would get if no tick were skipped. */
  targetPerNodePerSecond: number;
  /** Ticks where a node's previous poll was still in flight, so it was not polled. */
  skippedTicks: number;
  outcomes: Record<PollOutcome, number>;
  latencyMs: { p50: number; p99: number; max: number };
  eventFetches: number;
  events: number;
  gaps: number;
  /**
   * CPU time (user + system) of the whole harness process while polling, in ms: an upper
   * bound of the poller's own cost (it includes the embedded Toxiproxy and the runner).
   */
  cpuMs: number;
  cpuMsPerPoll: number;
  /** cpuMs / elapsedMs × 100: share of one core. */
  cpuPercentOfOneCore: number;
  /** The harness event loop's busy share while polling (0..1). */
  eventLoopUtilization: number;
}

/** Counters the poller updates as it goes; `snapshot` turns them into PollerStats. */
export class StatsCounter {
  polls = 0;
  skippedTicks = 0;
  eventFetches = 0;
  events = 0;
  gaps = 0;
  readonly outcomes: Record<PollOutcome, number> = { ok: 0, timeout: 0, refused: 0, error: 0 };
  private readonly latencies: number[] = [];
  private startedAt = 0;
  private stoppedAt: number | undefined;
  private cpuStart: NodeJS.CpuUsage | undefined;
  private cpuTotal: NodeJS.CpuUsage | undefined;
  private eluStart: ReturnType<typeof performance.eventLoopUtilization> | undefined;
  private eluTotal: number | undefined;

  start(): void {
    this.startedAt = performance.now();
    this.stoppedAt = undefined;
    this.cpuStart = process.cpuUsage();
    this.eluStart = performance.eventLoopUtilization();
  }

  stop(): void {
    if (this.cpuStart === undefined || this.stoppedAt !== undefined) return;
    this.stoppedAt = performance.now();
    this.cpuTotal = process.cpuUsage(this.cpuStart);
    this.eluTotal = performance.eventLoopUtilization(this.eluStart).utilization;
  }

  poll(outcome: PollOutcome, latencyMs: number): void {
    this.polls++;
    this.outcomes[outcome]++;
    if (this.latencies.length < 1_000_000) this.latencies.push(latencyMs);
  }

  snapshot(nodes: number, intervalMs: number): PollerStats {
    const elapsedMs = this.cpuStart === undefined ? 0 : (this.stoppedAt ?? performance.now()) - this.startedAt;
    const cpu = this.cpuTotal ?? (this.cpuStart ? process.cpuUsage(this.cpuStart) : { user: 0, system: 0 });
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const elu = this.eluTotal ?? (this.eluStart ? performance.eventLoopUtilization(this.eluStart).utilization : 0);
    const seconds = elapsedMs / 1000;
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const pct = (p: number): number => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!);
    return {
      elapsedMs,
      nodes,
      intervalMs,
      polls: this.polls,
      pollsPerSecond: seconds > 0 ? this.polls / seconds : 0,
      pollsPerNodePerSecond: seconds > 0 && nodes > 0 ? this.polls / seconds / nodes : 0,
      targetPerNodePerSecond: 1000 / intervalMs,
      skippedTicks: this.skippedTicks,
      outcomes: { ...this.outcomes },
      latencyMs: { p50: pct(0.5), p99: pct(0.99), max: sorted[sorted.length - 1] ?? 0 },
      eventFetches: this.eventFetches,
      events: this.events,
      gaps: this.gaps,
      cpuMs,
      cpuMsPerPoll: this.polls > 0 ? cpuMs / this.polls : 0,
      cpuPercentOfOneCore: elapsedMs > 0 ? (cpuMs / elapsedMs) * 100 : 0,
      eventLoopUtilization: elu,
    };
  }
}
