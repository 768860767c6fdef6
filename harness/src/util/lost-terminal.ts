/**
 * Output to a terminal that went away must not kill a run that is cleaning up. When the
 * terminal closes (SSH drops, the window is closed) the harness gets SIGHUP and handles it as
 * Ctrl-C, but every later `console.log` to the hung-up terminal fails with EIO (or EPIPE for a
 * closed pipe), an unhandled stream 'error' that would crash the harness before it heals the
 * network, stops its nodes and writes the report. This makes such write errors on stdout and
 * stderr silent: the output is lost (nobody can read it), the run goes on. Idempotent.
 */
export function survivesLostTerminal(): void {
  for (const stream of [process.stdout, process.stderr]) {
    if (guarded.has(stream)) continue;
    guarded.add(stream);
    stream.on('error', ignore);
  }
}

const guarded = new WeakSet<NodeJS.WriteStream>();

function ignore(): void {
  // The terminal or pipe is gone: there is no one left to tell.
}
