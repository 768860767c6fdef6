# server.py: the chapter's Flask RaftServer on asyncio streams instead of Flask (standard
# library only), started from the environment as the chapter's docker-compose file does:
#   NODE_ID, PORT, PEERS (host:port,...), and HOST, DATA_DIR, ELECTION_TIMEOUT_MIN,
#   ELECTION_TIMEOUT_MAX, HEARTBEAT_INTERVAL, RPC_TIMEOUT, BUGS (see README.md).
# Run: NODE_ID=node1 PORT=4001 PEERS=127.0.0.1:4002,127.0.0.1:4003 DATA_DIR=/tmp/n1 python3 server.py

import asyncio
import json
import os
import re
import signal
import sys

from raft_node import RaftNode, RequestVoteArgs

KNOWN_BUGS = ["course-majority", "course-no-retry", "volatile"]


class RaftServer:
    def __init__(self, node_id: str, host: str, port: int, peers: list, **settings):
        self.node_id = node_id
        self.host = host
        self.port = port
        self.node = RaftNode(node_id, peers, **settings)
        self.server = None

    async def route(self, method: str, path: str, body: bytes):
        """Answers one request: (status, JSON-able body)"""
        # Status endpoint (votedFor added to the chapter's fields)
        if method == "GET" and path == "/status":
            return 200, {
                "id": self.node_id,
                "state": self.node.state.value,
                "term": self.node.current_term,
                "leader": self.node.leader_id,
                "votedFor": self.node.voted_for,
            }
        if method != "POST" or path not in ("/raft/request-vote", "/raft/heartbeat"):
            return 404, {"error": f"no route {method} {path}"}
        try:
            data = json.loads(body)
        except ValueError:
            data = None
        if not isinstance(data, dict) or not is_term(data.get("term")):
            return 400, {"error": "the body is not a JSON object with a term"}

        # RequestVote RPC endpoint
        if path == "/raft/request-vote":
            if not isinstance(data.get("candidateId"), str):
                return 400, {"error": "expected {term, candidateId, lastLogIndex, lastLogTerm}"}
            args = RequestVoteArgs(term=data["term"], candidate_id=data["candidateId"],
                                   last_log_index=int(data.get("lastLogIndex", 0)),
                                   last_log_term=int(data.get("lastLogTerm", 0)))
            reply = await self.node.request_vote(args)
            return 200, {"term": reply.term, "voteGranted": reply.vote_granted}

        # Heartbeat endpoint
        if not isinstance(data.get("leaderId"), str):
            return 400, {"error": "expected {term, leaderId}"}
        return 200, await self.node.receive_heartbeat(data["term"], data["leaderId"])

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        """One HTTP/1.1 request per connection (Connection: close); 5 s to send it"""
        try:
            await asyncio.wait_for(self.answer(reader, writer), 5)
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.TimeoutError, ValueError):
            pass
        finally:
            writer.close()

    async def answer(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        """Reads one request and writes its answer"""
        request_line = (await reader.readline()).decode("latin-1").split()
        length = 0
        while True:
            line = (await reader.readline()).decode("latin-1").strip()
            if not line:
                break
            name, _, value = line.partition(":")
            if name.strip().lower() == "content-length":
                length = int(value.strip())
        if len(request_line) < 2 or length > 65536:
            status, reply = 400, {"error": "bad request"}
        else:
            body = await reader.readexactly(length) if length else b""
            path = request_line[1].split("?", 1)[0]
            status, reply = await self.route(request_line[0], path, body)
        data = json.dumps(reply).encode()
        writer.write(f"HTTP/1.1 {status} {'OK' if status == 200 else 'Error'}\r\n"
                     f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n"
                     f"Connection: close\r\n\r\n".encode() + data)
        await writer.drain()

    async def run(self):
        self.server = await asyncio.start_server(self.handle, self.host, self.port)
        print(f"Node {self.node_id} listening on {self.host}:{self.port}", flush=True)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await stop.wait()
        print(f"Node {self.node_id} stopping", flush=True)
        self.node.stop()
        self.server.close()


def is_term(x) -> bool:
    return isinstance(x, int) and not isinstance(x, bool) and x >= 0


def fail(message: str):
    print(f"course-node-py: {message}", file=sys.stderr)
    sys.exit(2)


def int_env(env, name: str, fallback: int) -> int:
    raw = env.get(name, "")
    if raw == "":
        return fallback
    if not raw.isdigit() or int(raw) < 1:
        fail(f'{name}="{raw}" is not a positive whole number')
    return int(raw)


def config_from_env(env) -> dict:
    """Reads the node's settings from the environment; exits 2 naming the bad variable"""
    node_id = env.get("NODE_ID", "")
    if not node_id:
        fail("NODE_ID is required")
    port = int_env(env, "PORT", 0)
    if not 0 < port <= 65535:
        fail("PORT is required (1-65535)")
    peers = [p.strip() for p in env.get("PEERS", "").split(",") if p.strip()]
    for p in peers:
        if not re.fullmatch(r"[^:\s]+:\d{1,5}", p):
            fail(f'PEERS: "{p}" is not host:port')
    bugs = {b.strip() for b in env.get("BUGS", "").split(",") if b.strip()}
    for b in bugs:
        if b not in KNOWN_BUGS:
            fail(f'BUGS: unknown "{b}" (known: {", ".join(KNOWN_BUGS)})')
    data_dir = env.get("DATA_DIR", "")
    if not data_dir and "volatile" not in bugs:
        fail("DATA_DIR is required (term and vote are kept there), unless BUGS has volatile")
    tmin = int_env(env, "ELECTION_TIMEOUT_MIN", 150)
    tmax = int_env(env, "ELECTION_TIMEOUT_MAX", max(300, tmin))
    if tmin > tmax:
        fail(f"ELECTION_TIMEOUT_MIN {tmin} is above ELECTION_TIMEOUT_MAX {tmax}")
    return {
        "node_id": node_id,
        "host": env.get("HOST") or "0.0.0.0",
        "port": port,
        "peers": peers,
        "election_timeout_min": tmin,
        "election_timeout_max": tmax,
        "heartbeat_interval": int_env(env, "HEARTBEAT_INTERVAL", 50),
        # half the shortest timeout, at most 100 ms: an election's RPC round fits inside a timeout
        "rpc_timeout": int_env(env, "RPC_TIMEOUT", min(100, tmin // 2)),
        "data_dir": data_dir,
        "bugs": bugs,
    }


async def main():
    config = config_from_env(os.environ)
    if config["bugs"]:
        print(f"Node {config['node_id']} runs with BUGS={','.join(sorted(config['bugs']))}", flush=True)
    server = RaftServer(**config)
    try:
        await server.run()
    except OSError as e:
        print(f"course-node-py: cannot listen on {config['host']}:{config['port']}: {e}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    asyncio.run(main())
