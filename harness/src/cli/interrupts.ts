/** What a command says on its first Ctrl-C (SIGINT, SIGTERM or SIGHUP) and on the second. */
export interface InterruptMessages {
  /** Printed (to stderr unless it prints itself) when the first signal aborts the command's work. */
  first(sig: NodeJS.Signals): void;
  /** Printed before exiting on the second signal (default: nothing). */
  again?(sig: NodeJS.Signals): void;
}

/** A command's Ctrl-C handling: abort on the first signal, exit 130 on the second. */
export interface Interrupts {
  /** Aborted by the first signal, with `Error("<SIG> received")` as reason. */
  readonly signal: AbortSignal;
  /** Signals seen so far. */
  readonly count: number;
  /** Listens for SIGINT, SIGTERM and SIGHUP (done on creation; again after `pause`). */
  listen(): void;
  /** Stops listening: Node's default handling returns until `listen`. */
  pause(): void;
}

/** Ctrl-C, `kill`/`timeout` and a closed terminal all stop a command the same way. */
const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** A second signal this soon after the first is the same Ctrl-C: tsx sends it again when the process was busy. */
const SAME_CTRL_C_MS = 500;

/**
 * The first/second Ctrl-C of every command, written once. The first SIGINT, SIGTERM or SIGHUP aborts
 * `signal`: the command finishes the run under way (heal, teardown, report) and writes what it
 * has. The second exits at once with code 130. Listens with `on`, not `once`: a second signal
 * must find this handler, or Node's default would kill the harness before anything is written.
 */
export function handleInterrupts(messages: InterruptMessages): Interrupts {
  const controller = new AbortController();
  let count = 0;
  let firstAt = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    if (count > 0 && performance.now() - firstAt < SAME_CTRL_C_MS) return;
    if (count === 0) firstAt = performance.now();
    count += 1;
    if (count > 1) {
      messages.again?.(sig);
      process.exit(130);
      return;
    }
    messages.first(sig);
    controller.abort(new Error(`${sig} received`));
  };
  const interrupts: Interrupts = {
    signal: controller.signal,
    get count() {
      return count;
    },
    listen() {
      for (const sig of SIGNALS) process.on(sig, onSignal);
    },
    pause() {
      for (const sig of SIGNALS) process.off(sig, onSignal);
    },
  };
  interrupts.listen();
  return interrupts;
}
