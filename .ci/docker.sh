#!/usr/bin/env bash
# Makes a Docker engine answer at /var/run/docker.sock, installing and starting it if needed.
# Idempotent: safe to source or run any number of times. Used by .ci/run; also works by hand:
#   bash .ci/docker.sh
# Installs Debian's docker.io when `dockerd` is missing (needs root and the apt registry),
# starts dockerd in the background when the socket does not answer, and waits (bounded) until
# it does. Logs of dockerd go to ${DOCKERD_LOG:-/tmp/dockerd.log}.
# Exit status (or return status when sourced): 0 when the engine answers, 1 otherwise.

raft_chaos_docker_up() {
  local sock=/var/run/docker.sock
  local log="${DOCKERD_LOG:-/tmp/dockerd.log}"
  local wait_s="${DOCKERD_WAIT_SECONDS:-60}"

  _answers() {
    # The engine's own ping endpoint over the unix socket (curl if present, else node).
    [ -S "$sock" ] || return 1
    if command -v curl >/dev/null 2>&1; then
      curl -fsS --max-time 2 --unix-socket "$sock" http://localhost/_ping >/dev/null 2>&1
    else
      node -e 'require("http").get({socketPath:process.argv[1],path:"/_ping",timeout:2000},
        r=>process.exit(r.statusCode===200?0:1)).on("error",()=>process.exit(1))
        .on("timeout",()=>process.exit(1))' "$sock" >/dev/null 2>&1
    fi
  }

  if _answers; then
    echo "docker.sh: engine already answers at $sock"
    return 0
  fi

  if ! command -v dockerd >/dev/null 2>&1; then
    echo "docker.sh: dockerd missing; installing docker.io from Debian"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q -o DPkg::Lock::Timeout=600 || { echo "docker.sh: apt-get update failed" >&2; return 1; }
    apt-get install -y -q -o DPkg::Lock::Timeout=600 --no-install-recommends docker.io iptables \
      || { echo "docker.sh: apt-get install docker.io failed" >&2; return 1; }
  fi

  if ! pgrep -x dockerd >/dev/null 2>&1; then
    echo "docker.sh: starting dockerd (log: $log)"
    # setsid: dockerd must outlive this shell and not receive its Ctrl-C.
    setsid dockerd >"$log" 2>&1 < /dev/null &
  else
    echo "docker.sh: dockerd is running but the socket does not answer yet; waiting"
  fi

  local i
  for ((i = 0; i < wait_s * 4; i++)); do
    if _answers; then
      echo "docker.sh: engine answers at $sock after ~$((i / 4))s"
      return 0
    fi
    sleep 0.25
  done
  echo "docker.sh: no engine answers at $sock after ${wait_s}s; last lines of $log:" >&2
  tail -n 30 "$log" >&2 || true
  return 1
}

# Run when executed; when sourced, just do it and hand back the status without exiting the caller.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -u
  raft_chaos_docker_up
  exit $?
else
  raft_chaos_docker_up
fi
