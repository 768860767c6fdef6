import { TimeoutError } from '../../../common/src/errors.js';
import type { PollEntry } from '../history/types.js';

/** A leader and its term. */
export interface LeaderTerm {
  node: string;
  term: number;
}

export interface LeaderViewOptions {
  nodes: readonly string[];
  /** The run clock (ms), the same one that stamps poll entries. */
  now(): number;
  /** A poll older than this (ms) says nothing about the present (default 250). */
  staleMs?: number;
}

/** What `waitForSettledLeader` accepts. */
export interface SettledLeaderWait {
  /** Ignore leaders with these ids (e.g. the node just killed). */
  exclude?: string | readonly string[];
  /** Only a leader of a term greater than this. */
  afterTerm?: number;
  signal?: AbortSignal;
}

/**
 * The harness's live picture of leadership, from the latest status poll of every node.
 *
 * A leader is *settled* when, among the latest polls that are not older than `staleMs`, the
 * leader itself says `state: leader` in term T and a majority of the cluster (the leader
 * included) reports term T with that leader. A node whose latest poll failed counts for
 * nobody. The runner uses `current()` for `leader` targets and `leaderBefore`.
 */
export class LeaderView {
  private readonly latest = new Map<string, PollEntry>();
  private readonly waiters = new Set<() => void>();
  private readonly staleMs: number;
  private readonly majority: number;

  constructor(private readonly options: LeaderViewOptions) {
    this.staleMs = options.staleMs ?? 250;
    this.majority = Math.floor(options.nodes.length / 2) + 1;
  }

  /** Feed a poll (any outcome). Entries of unknown nodes are ignored. */
  observe(entry: PollEntry): void {
    if (!this.options.nodes.includes(entry.node)) return;
    this.latest.set(entry.node, entry);
    for (const wake of this.waiters) wake();
  }

  /** The latest poll of `node`, if any. */
  lastPoll(node: string): PollEntry | undefined {
    return this.latest.get(node);
  }

  /** The settled leader now, or null. */
  current(): LeaderTerm | null {
    const now = this.options.now();
    const fresh = [...this.latest.values()].filter((e) => e.outcome === 'ok' && now - e.t <= this.staleMs);
    for (const claim of fresh) {
      if (claim.state !== 'leader' || claim.term === undefined) continue;
      const backers = fresh.filter((e) => e.term === claim.term && e.leader === claim.node).length;
      if (backers >= this.majority) return { node: claim.node, term: claim.term };
    }
    return null;
  }

  /** One line per node for messages: `n1 leader t3`, `n2 follower t3 (leader n1)`, `n3 timeout`. */
  describe(): string {
    return this.options.nodes
      .map((node) => {
        const e = this.latest.get(node);
        if (e === undefined) return `${node} not polled yet`;
        if (e.outcome !== 'ok') return `${node} ${e.outcome}`;
        const leader = e.state === 'leader' || e.leader === undefined ? '' : ` (leader ${e.leader ?? 'none'})`;
        return `${node} ${e.state} t${e.term}${leader}`;
      })
      .join(', ');
  }

  /**
   * Resolves with the first settled leader that passes `wait` (checked at every poll), or
   * rejects with TimeoutError after `timeoutMs` saying what each node last showed.
   */
  waitForSettledLeader(timeoutMs: number, wait: SettledLeaderWait = {}): Promise<LeaderTerm> {
    const exclude = new Set(typeof wait.exclude === 'string' ? [wait.exclude] : (wait.exclude ?? []));
    const accept = (l: LeaderTerm | null): l is LeaderTerm =>
      l !== null && !exclude.has(l.node) && (wait.afterTerm === undefined || l.term > wait.afterTerm);
    const now = this.current();
    if (accept(now)) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
        wait.signal?.removeEventListener('abort', onAbort);
      };
      const check = (): void => {
        const leader = this.current();
        if (accept(leader)) {
          done();
          resolve(leader);
        }
      };
      const onAbort = (): void => {
        done();
        reject(wait.signal?.reason ?? new Error('aborted'));
      };
      const timer = setTimeout(() => {
        done();
        const what = [
          exclude.size > 0 ? `other than ${[...exclude].join(',')}` : '',
          wait.afterTerm !== undefined ? `in a term after ${wait.afterTerm}` : '',
        ].filter(Boolean).join(' ');
        reject(new TimeoutError(
          `no settled leader${what ? ` ${what}` : ''} within ${timeoutMs} ms; last polls: ${this.describe()}`,
        ));
      }, timeoutMs);
      this.waiters.add(check);
      if (wait.signal?.aborted) onAbort();
      else wait.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
