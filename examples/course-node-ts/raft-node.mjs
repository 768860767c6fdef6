// raft-node.mjs: the course chapter's RaftNode (Session 9, "Raft Leader Election"), kept in
// the chapter's shape so a reader recognises their own code, with what the chapter left out
// made real: RequestVote and heartbeats are HTTP calls to the peers, the leader sends
// heartbeats, term and vote are durable in DATA_DIR. The chapter's known faults are still
// here, each behind a switch (see README.md):
//   course-majority  majority counted from the peers without this node
//   course-no-retry  a candidate whose election fails never times out again
//   volatile         term and vote kept in memory only
// Standard library only (Node 20).

import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';

/** The chapter's three states. */
export const FOLLOWER = 'follower';
export const CANDIDATE = 'candidate';
export const LEADER = 'leader';

export class RaftNode {
  state = FOLLOWER;
  currentTerm = 0;
  votedFor = null;
  log = [];

  electionTimer = null;
  heartbeatTimer = null;
  leaderId = null;
  stopped = false;

  /**
   * config: { id, peers: ['host:port', ...], electionTimeoutMin, electionTimeoutMax,
   * heartbeatInterval, rpcTimeout, dataDir, bugs: Set<string> }
   */
  constructor(config) {
    this.config = config;
    this.loadState();
    this.startElectionTimer();
  }

  bug(name) {
    return this.config.bugs.has(name);
  }

  // ========== Public API ==========

  getState() {
    return this.state;
  }

  getCurrentTerm() {
    return this.currentTerm;
  }

  getLeader() {
    return this.leaderId;
  }

  getVotedFor() {
    return this.votedFor;
  }

  // ========== RPC Handlers ==========

  /** Invoked by candidates to gather votes. */
  requestVote(args) {
    const reply = { term: this.currentTerm, voteGranted: false };

    // Rule 1: If candidate's term is lower, reject
    if (args.term < this.currentTerm) {
      return reply;
    }

    // Rule 2: If candidate's term is higher, update and become follower
    if (args.term > this.currentTerm) {
      this.becomeFollower(args.term);
      reply.term = args.term;
    }

    // Rule 3: If we already voted for someone else this term, reject
    if (this.votedFor !== null && this.votedFor !== args.candidateId) {
      return reply;
    }

    // Rule 4: Check if candidate's log is at least as up-to-date as ours
    const lastEntry = this.log.length > 0 ? this.log[this.log.length - 1] : null;
    const lastLogIndex = lastEntry ? lastEntry.index : 0;
    const lastLogTerm = lastEntry ? lastEntry.term : 0;
    const logIsUpToDate =
      args.lastLogTerm > lastLogTerm || (args.lastLogTerm === lastLogTerm && args.lastLogIndex >= lastLogIndex);
    if (!logIsUpToDate) {
      return reply;
    }

    // Grant vote (durable before the reply leaves)
    this.votedFor = args.candidateId;
    this.saveState();
    reply.voteGranted = true;
    this.resetElectionTimer();

    console.log(`Node ${this.config.id} voted for ${args.candidateId} in term ${args.term}`);
    return reply;
  }

  /** Invoked by leader to assert authority (heartbeat). Returns { term, success }. */
  receiveHeartbeat(term, leaderId) {
    if (term >= this.currentTerm) {
      if (term > this.currentTerm || this.state !== FOLLOWER) {
        // A candidate (or a stale leader) that hears the leader of its term goes back to
        // follower, as the chapter's state diagram says.
        this.becomeFollower(term);
      }
      this.leaderId = leaderId;
      this.resetElectionTimer();
      return { term: this.currentTerm, success: true };
    }
    return { term: this.currentTerm, success: false };
  }

  // ========== State Transitions ==========

  becomeFollower(term) {
    const wasLeader = this.state === LEADER;
    this.state = FOLLOWER;
    if (term !== this.currentTerm) {
      this.currentTerm = term;
      this.votedFor = null;
      this.saveState();
    }
    this.leaderId = null;
    if (wasLeader) this.stopHeartbeats();
    this.resetElectionTimer();
    console.log(`Node ${this.config.id} became follower in term ${term}`);
  }

  becomeCandidate() {
    this.state = CANDIDATE;
    this.currentTerm += 1;
    this.votedFor = this.config.id;
    this.leaderId = null;
    this.saveState();

    console.log(`Node ${this.config.id} became candidate in term ${this.currentTerm}`);

    // Fixed: a candidate whose election fails times out again and retries in a new term.
    // The chapter never restarted the timer here (course-no-retry).
    if (!this.bug('course-no-retry')) this.startElectionTimer();

    // Start election
    void this.startElection();
  }

  becomeLeader() {
    this.state = LEADER;
    this.leaderId = this.config.id;
    if (this.electionTimer) clearTimeout(this.electionTimer);

    console.log(`Node ${this.config.id} became LEADER in term ${this.currentTerm}`);

    // Start sending heartbeats
    this.startHeartbeats();
  }

  // ========== Election Logic ==========

  startElectionTimer() {
    if (this.electionTimer) {
      clearTimeout(this.electionTimer);
    }
    if (this.stopped) return;

    const timeout = this.getRandomElectionTimeout();

    this.electionTimer = setTimeout(() => {
      // Only transition if we haven't heard from a leader. The chapter checked for
      // follower only, so a candidate never stood again (kept as course-no-retry).
      const mayStand = this.bug('course-no-retry') ? this.state === FOLLOWER : this.state !== LEADER;
      if (mayStand) {
        console.log(`Node ${this.config.id} election timeout`);
        this.becomeCandidate();
      }
    }, timeout);
  }

  resetElectionTimer() {
    this.startElectionTimer();
  }

  getRandomElectionTimeout() {
    const { electionTimeoutMin, electionTimeoutMax } = this.config;
    return Math.floor(Math.random() * (electionTimeoutMax - electionTimeoutMin + 1)) + electionTimeoutMin;
  }

  /** How many votes win: the chapter's formula (course-majority) or a majority of the whole cluster. */
  majority() {
    const peers = this.config.peers.length;
    return this.bug('course-majority') ? Math.floor(peers / 2) + 1 : Math.floor((peers + 1) / 2) + 1;
  }

  async startElection() {
    const args = {
      term: this.currentTerm,
      candidateId: this.config.id,
      lastLogIndex: this.log.length > 0 ? this.log[this.log.length - 1].index : 0,
      lastLogTerm: this.log.length > 0 ? this.log[this.log.length - 1].term : 0,
    };

    let votesReceived = 1; // Vote for self
    const majority = this.majority();
    // Still a candidate of the same term: votes of an older election do not count.
    const current = () => this.state === CANDIDATE && this.currentTerm === args.term;
    if (votesReceived >= majority && current()) {
      this.becomeLeader();
      return;
    }

    // Send RequestVote to all peers, and count each vote as it comes: the chapter waited for
    // every reply before counting, so one unreachable peer held a won election up for a whole
    // RPC deadline.
    await Promise.allSettled(
      this.config.peers.map((peer) =>
        this.sendRequestVote(peer, args).then((reply) => {
          if (reply.term > this.currentTerm) {
            this.becomeFollower(reply.term);
            return;
          }
          if (!reply.voteGranted || !current()) return;
          votesReceived++;
          if (votesReceived >= majority) this.becomeLeader();
        }),
      ),
    );
  }

  // ========== Network ==========

  sendRequestVote(peer, args) {
    return postJson(peer, '/raft/request-vote', args, this.config.rpcTimeout);
  }

  startHeartbeats() {
    this.stopHeartbeats();
    const beat = () => {
      if (this.state !== LEADER || this.stopped) return;
      const term = this.currentTerm;
      for (const peer of this.config.peers) {
        postJson(peer, '/raft/heartbeat', { term, leaderId: this.config.id }, this.config.rpcTimeout).then(
          (reply) => {
            if (reply.term > this.currentTerm) this.becomeFollower(reply.term);
          },
          () => {}, // an unreachable follower is retried on the next beat
        );
      }
    };
    beat();
    this.heartbeatTimer = setInterval(beat, this.config.heartbeatInterval);
  }

  stopHeartbeats() {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
  }

  stop() {
    this.stopped = true;
    if (this.electionTimer) {
      clearTimeout(this.electionTimer);
    }
    this.stopHeartbeats();
  }

  // ========== Durable state ==========

  statePath() {
    return join(this.config.dataDir, 'raft-state.json');
  }

  /** Loads term and vote from DATA_DIR (nothing with BUGS=volatile or on a first start). */
  loadState() {
    if (this.bug('volatile')) return;
    mkdirSync(this.config.dataDir, { recursive: true });
    let text;
    try {
      text = readFileSync(this.statePath(), 'utf8');
    } catch (e) {
      if (e.code === 'ENOENT') return;
      throw e;
    }
    const saved = JSON.parse(text);
    if (!Number.isSafeInteger(saved.currentTerm) || saved.currentTerm < 0 || !(saved.votedFor === null || typeof saved.votedFor === 'string')) {
      throw new Error(`${this.statePath()} does not hold {currentTerm, votedFor}: ${text.slice(0, 200)}`);
    }
    this.currentTerm = saved.currentTerm;
    this.votedFor = saved.votedFor;
  }

  /** Writes term and vote to DATA_DIR: temp file, fsync, rename, fsync of the directory. */
  saveState() {
    if (this.bug('volatile')) return;
    const tmp = `${this.statePath()}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      writeFileSync(fd, JSON.stringify({ currentTerm: this.currentTerm, votedFor: this.votedFor }));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.statePath());
    const dir = openSync(this.config.dataDir, 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  }
}

/** POST `body` as JSON to http://`peer``path`; resolves with the parsed reply, rejects on error or after `timeoutMs`. */
export function postJson(peer, path, body, timeoutMs) {
  const [host, port] = splitHostPort(peer);
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      { host, port, path, method: 'POST', agent: false, timeout: timeoutMs, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) } },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (data += c));
        res.on('end', () => {
          try {
            if (res.statusCode !== 200) throw new Error(`${peer}${path} answered ${res.statusCode}`);
            resolve(JSON.parse(data));
          } catch (e) {
            reject(e);
          }
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${peer}${path} took more than ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(text);
  });
}

/** `host:port` -> [host, port]. */
export function splitHostPort(peer) {
  const i = peer.lastIndexOf(':');
  return [peer.slice(0, i), Number(peer.slice(i + 1))];
}
