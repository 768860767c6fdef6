#!/usr/bin/env node
// `raft-chaos <command> [options]` (e.g. `npx raft-chaos scenario partition-leader`): runs the
// command's TypeScript entry point (harness/src/cli/<command>-main.ts) in this process through
// tsx, as `npm run <command>` does in the repository. Exit codes are the command's own.
import { fileURLToPath } from 'node:url';

const COMMANDS = {
  scenario: ['scenario-main.ts', 'run a scenario (or `random`); exit 0 valid, 1 invalid, 2 unknown'],
  report: ['report-main.ts', 're-check and re-draw a recorded run'],
  sweep: ['sweep-main.ts', 'failover-time sweeps over election timeouts'],
  nightly: ['nightly-main.ts', 'every scenario and the random search, one summary'],
  toxiproxy: ['toxiproxy-main.ts', 'the Toxiproxy-compatible server on its own'],
  image: ['image-main.ts', 'build the Docker image the docker runtime uses'],
  cleanup: ['cleanup-main.ts', 'remove what dead runs left (processes, Docker resources); --all: runs in progress too'],
};

const [command, ...rest] = process.argv.slice(2);
if (command === undefined || command === '--help' || command === '-h' || !Object.hasOwn(COMMANDS, command)) {
  const lines = Object.entries(COMMANDS).map(([name, [, what]]) => `  ${name.padEnd(10)} ${what}`);
  const text = `usage: raft-chaos <command> [options]   (raft-chaos <command> --help for its options)\n\n${lines.join('\n')}\n`;
  const asked = command === '--help' || command === '-h';
  let hint = '';
  if (!asked && command !== undefined) {
    const { register } = await import('tsx/esm/api');
    register();
    hint = (await import('../common/src/did-you-mean.ts')).didYouMean(command, Object.keys(COMMANDS));
  }
  if (!asked) process.stderr.write(command === undefined ? text : `raft-chaos: unknown command "${command}"${hint}\n${text}`);
  else process.stdout.write(text);
  process.exit(asked ? 0 : 2);
}

const { register } = await import('tsx/esm/api');
register();
const main = fileURLToPath(new URL(`../harness/src/cli/${COMMANDS[command][0]}`, import.meta.url));
// The entry points read their options from process.argv.slice(2).
process.argv = [process.argv[0], main, ...rest];
await import(main);
