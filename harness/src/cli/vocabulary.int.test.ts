/**
 * One vocabulary across the commands (issue 18 item 6): every message a command prints about
 * its own input starts `raft-chaos <command>: `, says it in our words (never node:util's
 * parser text), suggests the near miss, and every `--help` is a usage. No cluster is started:
 * each case is refused, or answered, before anything runs.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const MAINS: Record<string, string> = {
  scenario: 'harness/src/cli/scenario-main.ts',
  nightly: 'harness/src/cli/nightly-main.ts',
  sweep: 'harness/src/cli/sweep-main.ts',
  report: 'harness/src/cli/report-main.ts',
  toxiproxy: 'harness/src/cli/toxiproxy-main.ts',
  image: 'harness/src/cli/image-main.ts',
  cleanup: 'harness/src/cli/cleanup-main.ts',
  bench: 'harness/bench/main.ts',
};
const reportDir = mkdtempSync(join(tmpdir(), 'rc-vocab-'));
afterAll(() => rmSync(reportDir, { recursive: true, force: true }));

async function cli(command: string, args: string[]) {
  const r = await execa(process.execPath, ['--import', 'tsx', MAINS[command]!, ...args], { cwd: ROOT, reject: false, timeout: 60_000, env: { DOCKER_HOST: '' } });
  return { code: r.exitCode, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** What node:util's parseArgs says in its own words; none of it may reach a user. */
const NODE_PARSER_TEXT = /To specify|positional argument|Did you forget|<value>|is ambiguous|ERR_PARSE_ARGS|^Unknown option/m;

describe.concurrent('one error format: raft-chaos <command>: <message>, exit 2 (usage) or 3 (could not run)', () => {
  it.each([
    ['scenario', ['baseline', '--nods', '5'], /^raft-chaos scenario: unknown option --nods \(did you mean --nodes\?\)\n/],
    ['scenario', ['partition-leder'], /^raft-chaos scenario: unknown scenario "partition-leder" \(did you mean "partition-leader"\?\)\. Known scenarios: /],
    ['scenario', ['baseline', '--bug', 'vote-twise'], /^raft-chaos scenario: --bug "vote-twise" is not a known bug \(did you mean "vote-twice"\?\); known: /],
    ['scenario', ['baseline', '--runtime', 'procss'], /^raft-chaos scenario: --runtime must be one of auto, process, docker, sim, got "procss" \(did you mean "process"\?\)/],
    ['scenario', ['baseline', '--socket', '/s'], /^raft-chaos scenario: unknown option --socket\n/],
    ['scenario', ['random', '--runtime', 'sim', '--time-limit', '60', '--report-dir', reportDir], /^raft-chaos scenario: --time-limit 60 would be 60 ms \(durations are ms\): write 60s for seconds/],
    ['nightly', ['--only', 'partiton-leader', '--report-dir', reportDir], /^raft-chaos nightly: --only names unknown scenarios: partiton-leader \(did you mean "partition-leader"\?\); known: baseline, /],
    ['nightly', ['--random-run', '0'], /^raft-chaos nightly: unknown option --random-run \(did you mean --random-runs\?\)\n/],
    ['nightly', ['--merge', '--reportdir', 'x'], /^raft-chaos nightly: unknown option --reportdir \(did you mean --report-dir\?\) \(with --merge only DIR\.\.\. and --report-dir are taken\)\n/],
    ['sweep', ['--election-timeout', '150-300', '--time-limit', '60'], /^raft-chaos sweep: --time-limit 60 would be 60 ms/],
    ['sweep', ['--election-timeout'], /^raft-chaos sweep: --election-timeout needs a value\n/],
    ['report', ['--nope'], /^raft-chaos report: unknown option --nope/],
    ['toxiproxy', ['--prot', '1'], /^raft-chaos toxiproxy: unknown option --prot \(did you mean --port\?\)\n/],
    ['cleanup', ['--stale', '--all'], /^raft-chaos cleanup: --stale \(the default\) and --all contradict each other/],
    ['image', ['--methd', 'offline'], /^raft-chaos image: unknown option --methd \(did you mean --method\?\)\n/],
    ['bench', ['proxi'], /^raft-chaos bench: unknown bench "proxi" \(did you mean "proxy"\?\)\n\nUsage: npm run bench/],
  ])('%s %j', async (command, args, message) => {
    const r = await cli(command, args);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(NODE_PARSER_TEXT);
    expect(r.code).toBe(2);
  });

  it('refuses a bare --time-limit before anything is written', async () => {
    const dir = mkdtempSync(join(reportDir, 'tl-'));
    const r = await cli('scenario', ['random', '--runtime', 'sim', '--runs', '1', '--time-limit', '90', '--report-dir', dir]);
    expect(r.stderr).toMatch(/^raft-chaos scenario: --time-limit 90 would be 90 ms/);
    expect(r.code).toBe(2);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('the raft-chaos bin suggests the command meant', async () => {
    const r = await execa(process.execPath, [join(ROOT, 'bin', 'raft-chaos.mjs'), 'scenaro'], { cwd: ROOT, reject: false, timeout: 60_000 });
    expect(String(r.stderr)).toMatch(/^raft-chaos: unknown command "scenaro" \(did you mean "scenario"\?\)\nusage: raft-chaos <command>/);
    expect(r.exitCode).toBe(2);
  });

  it('image without an engine says what to do in its own terms (it has no --runtime)', async () => {
    const r = await cli('image', ['--socket', '/nonexistent/raft-chaos-vocab.sock']);
    expect(r.code).toBe(3); // could not run (EXIT_CODES), not a usage error
    expect(r.stderr).toMatch(/^raft-chaos image: no Docker engine answers at \/nonexistent\/raft-chaos-vocab\.sock .*; start one .* or name it with --socket PATH or DOCKER_HOST/);
    expect(r.stderr).not.toMatch(/use --runtime/);
  });
});

describe.concurrent('every --help is a usage, exit 0', () => {
  it.each([
    ['scenario', /^Usage: npm run scenario <name\|file>[\s\S]*--time-limit MS/],
    ['nightly', /^Usage: npm run nightly[\s\S]*--seed S +seed for every run \(default: today's UTC date/],
    ['sweep', /^Usage: npm run sweep[\s\S]*default process, not auto as elsewhere[\s\S]*default 1, not\s+random as for a scenario/],
    ['report', /^usage: npm run report/],
    ['toxiproxy', /^usage: toxiproxy/],
    ['image', /^usage: npm run image/],
    ['cleanup', /^usage: npm run cleanup[\s\S]*Runs in progress are left alone unless --all is given/],
    ['bench', /^Usage: npm run bench[\s\S]*\n {2}proxy {6}[\s\S]*\n {2}sim {8}/],
  ])('%s --help', async (command, usage) => {
    const r = await cli(command, ['--help']);
    expect(r.stdout).toMatch(usage);
    expect(r.stdout).not.toMatch(/unknown bench/);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});
