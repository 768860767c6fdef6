# raft_node.py: the course chapter's Python RaftNode (Session 9, "Raft Leader Election"),
# kept in the chapter's shape so a reader recognises their own code, with what the chapter
# left out made real: RequestVote and heartbeats are HTTP calls to the peers, the leader
# sends heartbeats, term and vote are durable in DATA_DIR. The chapter's known faults are
# still here, each behind a switch (see README.md):
#   course-majority  majority counted from the peers without this node
#   course-no-retry  a candidate whose election fails never times out again
#   volatile         term and vote kept in memory only
# Standard library only (Python 3.11).

import asyncio
import json
import os
import random
from dataclasses import dataclass
from enum import Enum
from typing import List, Optional, Set


class NodeState(Enum):
    FOLLOWER = "follower"
    CANDIDATE = "candidate"
    LEADER = "leader"


@dataclass
class LogEntry:
    index: int
    term: int
    command: dict


@dataclass
class RequestVoteArgs:
    term: int
    candidate_id: str
    last_log_index: int
    last_log_term: int


@dataclass
class RequestVoteReply:
    term: int
    vote_granted: bool


class RaftNode:
    def __init__(self, node_id: str, peers: List[str],
                 election_timeout_min: int = 150,
                 election_timeout_max: int = 300,
                 heartbeat_interval: int = 50,
                 rpc_timeout: int = 100,
                 data_dir: str = "",
                 bugs: Optional[Set[str]] = None):
        self.node_id = node_id
        self.peers = peers  # host:port of every other node
        self.bugs = bugs or set()
        self.data_dir = data_dir

        # Persistent state
        self.current_term = 0
        self.voted_for: Optional[str] = None
        self.log: List[LogEntry] = []
        self.load_state()

        # Volatile state
        self.state = NodeState.FOLLOWER
        self.leader_id: Optional[str] = None

        # Election timeout
        self.election_timeout_min = election_timeout_min
        self.election_timeout_max = election_timeout_max
        self.heartbeat_interval = heartbeat_interval
        self.rpc_timeout = rpc_timeout
        self.election_task: Optional[asyncio.Task] = None
        self.heartbeat_task: Optional[asyncio.Task] = None
        self.election_runs: Set[asyncio.Task] = set()

        # Start election timer
        self.start_election_timer()

    def bug(self, name: str) -> bool:
        return name in self.bugs

    async def request_vote(self, args: RequestVoteArgs) -> RequestVoteReply:
        """Handle RequestVote RPC from candidate"""
        reply = RequestVoteReply(
            term=self.current_term,
            vote_granted=False
        )

        # Rule 1: Reject if candidate's term is lower
        if args.term < self.current_term:
            return reply

        # Rule 2: Update to higher term and become follower
        if args.term > self.current_term:
            await self.become_follower(args.term)
            reply.term = args.term

        # Rule 3: Reject if already voted for another candidate
        if self.voted_for is not None and self.voted_for != args.candidate_id:
            return reply

        # Rule 4: Check if candidate's log is up-to-date
        last_entry = self.log[-1] if self.log else None
        last_log_index = last_entry.index if last_entry else 0
        last_log_term = last_entry.term if last_entry else 0

        log_is_up_to_date = (
            args.last_log_term > last_log_term or
            (args.last_log_term == last_log_term and
             args.last_log_index >= last_log_index)
        )

        if not log_is_up_to_date:
            return reply

        # Grant vote (durable before the reply leaves)
        self.voted_for = args.candidate_id
        self.save_state()
        reply.vote_granted = True
        self.reset_election_timer()

        print(f"Node {self.node_id} voted for {args.candidate_id} in term {args.term}", flush=True)
        return reply

    async def receive_heartbeat(self, term: int, leader_id: str) -> dict:
        """Handle heartbeat from leader; answers {term, success}"""
        if term >= self.current_term:
            if term > self.current_term or self.state != NodeState.FOLLOWER:
                # A candidate that hears the leader of its term goes back to follower,
                # as the chapter's state diagram says.
                await self.become_follower(term)
            self.leader_id = leader_id
            self.reset_election_timer()
            return {"term": self.current_term, "success": True}
        return {"term": self.current_term, "success": False}

    async def become_follower(self, term: int):
        """Transition to follower state"""
        self.state = NodeState.FOLLOWER
        if term != self.current_term:
            self.current_term = term
            self.voted_for = None
            self.save_state()
        self.leader_id = None

        # Cancel heartbeat task if running
        if self.heartbeat_task:
            self.heartbeat_task.cancel()
            self.heartbeat_task = None

        self.reset_election_timer()
        print(f"Node {self.node_id} became follower in term {term}", flush=True)

    async def become_candidate(self):
        """Transition to candidate state and start election"""
        self.state = NodeState.CANDIDATE
        self.current_term += 1
        self.voted_for = self.node_id
        self.leader_id = None
        self.save_state()

        print(f"Node {self.node_id} became candidate in term {self.current_term}", flush=True)
        # Fixed: a candidate whose election fails times out again and retries in a new
        # term. The chapter never restarted the timer here (course-no-retry).
        if not self.bug("course-no-retry"):
            self.start_election_timer()
        # The election runs as its own task, so the next timeout is not blocked by it.
        run = asyncio.create_task(self.start_election())
        self.election_runs.add(run)
        run.add_done_callback(self.election_runs.discard)

    async def become_leader(self):
        """Transition to leader state"""
        self.state = NodeState.LEADER
        self.leader_id = self.node_id
        if self.election_task:
            self.election_task.cancel()
            self.election_task = None

        print(f"Node {self.node_id} became LEADER in term {self.current_term}", flush=True)
        self.start_heartbeats()

    def start_election_timer(self):
        """Start or reset the election timeout timer"""
        if self.election_task and self.election_task is not asyncio.current_task():
            self.election_task.cancel()

        timeout = self.get_random_election_timeout()
        self.election_task = asyncio.create_task(self.election_timeout(timeout))

    def reset_election_timer(self):
        """Reset the election timeout timer"""
        self.start_election_timer()

    def get_random_election_timeout(self) -> int:
        """Get random timeout within configured range"""
        return random.randint(
            self.election_timeout_min,
            self.election_timeout_max
        )

    async def election_timeout(self, timeout_ms: int):
        """Wait for timeout, then start election if we have not heard from a leader"""
        try:
            await asyncio.sleep(timeout_ms / 1000)
            # The chapter stood only as a follower, so a candidate never stood again
            # (kept as course-no-retry).
            if self.bug("course-no-retry"):
                may_stand = self.state == NodeState.FOLLOWER
            else:
                may_stand = self.state != NodeState.LEADER
            if may_stand:
                print(f"Node {self.node_id} election timeout", flush=True)
                await self.become_candidate()
        except asyncio.CancelledError:
            pass  # Timer was reset

    def majority(self) -> int:
        """Votes that win: the chapter's formula (course-majority) or a majority of the cluster"""
        if self.bug("course-majority"):
            return len(self.peers) // 2 + 1
        return (len(self.peers) + 1) // 2 + 1

    async def start_election(self):
        """Start leader election by sending RequestVote to all peers"""
        args = RequestVoteArgs(
            term=self.current_term,
            candidate_id=self.node_id,
            last_log_index=self.log[-1].index if self.log else 0,
            last_log_term=self.log[-1].term if self.log else 0
        )

        votes_received = 1  # Vote for self
        majority = self.majority()

        def current() -> bool:
            # Still a candidate of the same term: votes of an older election do not count
            return self.state == NodeState.CANDIDATE and self.current_term == args.term

        if votes_received >= majority and current():
            await self.become_leader()
            return

        # Send RequestVote to all peers, and count each vote as it comes: the chapter waited
        # for every reply before counting, so one unreachable peer held a won election up for
        # a whole RPC deadline
        for next_reply in asyncio.as_completed([
            self.send_request_vote(peer_id, args)
            for peer_id in self.peers
        ]):
            try:
                result = await next_reply
            except Exception:
                continue  # an unreachable peer or a bad reply is no vote
            if result.term > self.current_term:
                await self.become_follower(result.term)
                return
            if not result.vote_granted or not current():
                continue
            votes_received += 1
            if votes_received >= majority:
                await self.become_leader()
                return

    async def send_request_vote(self, peer_id: str, args: RequestVoteArgs) -> RequestVoteReply:
        """Send RequestVote RPC to peer over HTTP"""
        reply = await post_json(peer_id, "/raft/request-vote", {
            "term": args.term,
            "candidateId": args.candidate_id,
            "lastLogIndex": args.last_log_index,
            "lastLogTerm": args.last_log_term,
        }, self.rpc_timeout)
        return RequestVoteReply(term=int(reply["term"]), vote_granted=bool(reply["voteGranted"]))

    def start_heartbeats(self):
        """Leader sends periodic heartbeats"""
        if self.heartbeat_task:
            self.heartbeat_task.cancel()

        self.heartbeat_task = asyncio.create_task(self.send_heartbeats())

    async def send_heartbeats(self):
        """Send heartbeats to all followers every heartbeat_interval ms"""
        pending: Set[asyncio.Task] = set()
        while self.state == NodeState.LEADER:
            for peer_id in self.peers:
                t = asyncio.create_task(self.send_heartbeat(peer_id, self.current_term))
                pending.add(t)
                t.add_done_callback(pending.discard)
            await asyncio.sleep(self.heartbeat_interval / 1000)

    async def send_heartbeat(self, peer_id: str, term: int):
        try:
            reply = await post_json(peer_id, "/raft/heartbeat",
                                    {"term": term, "leaderId": self.node_id}, self.rpc_timeout)
        except Exception:
            return  # an unreachable follower is retried on the next beat
        if int(reply.get("term", 0)) > self.current_term:
            await self.become_follower(int(reply["term"]))

    def stop(self):
        """Stop the node"""
        if self.election_task:
            self.election_task.cancel()
        if self.heartbeat_task:
            self.heartbeat_task.cancel()

    # ========== Durable state ==========

    def state_path(self) -> str:
        return os.path.join(self.data_dir, "raft-state.json")

    def load_state(self):
        """Load term and vote from DATA_DIR (nothing with BUGS=volatile or on a first start)"""
        if self.bug("volatile"):
            return
        os.makedirs(self.data_dir, exist_ok=True)
        try:
            with open(self.state_path(), encoding="utf-8") as f:
                text = f.read()
        except FileNotFoundError:
            return
        saved = json.loads(text)
        term, voted = saved.get("currentTerm"), saved.get("votedFor")
        if not isinstance(term, int) or term < 0 or not (voted is None or isinstance(voted, str)):
            raise ValueError(f"{self.state_path()} does not hold {{currentTerm, votedFor}}: {text[:200]}")
        self.current_term, self.voted_for = term, voted

    def save_state(self):
        """Write term and vote to DATA_DIR: temp file, fsync, rename, fsync of the directory"""
        if self.bug("volatile"):
            return
        tmp = self.state_path() + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump({"currentTerm": self.current_term, "votedFor": self.voted_for}, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.state_path())
        fd = os.open(self.data_dir, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


async def post_json(peer: str, path: str, body: dict, timeout_ms: int) -> dict:
    """POST body as JSON to http://peer/path (HTTP/1.1, one connection per call)"""
    host, _, port = peer.rpartition(":")

    async def call() -> dict:
        reader, writer = await asyncio.open_connection(host, int(port))
        try:
            data = json.dumps(body).encode()
            writer.write(
                f"POST {path} HTTP/1.1\r\nHost: {peer}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(data)}\r\nConnection: close\r\n\r\n".encode() + data)
            await writer.drain()
            raw = await reader.read()
        finally:
            writer.close()
        head, _, payload = raw.partition(b"\r\n\r\n")
        status = head.split(b" ", 2)[1] if head.count(b" ") >= 1 else b"?"
        if status != b"200":
            raise ConnectionError(f"{peer}{path} answered {status.decode(errors='replace')}")
        return json.loads(payload)

    return await asyncio.wait_for(call(), timeout_ms / 1000)
