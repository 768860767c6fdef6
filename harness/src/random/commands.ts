import type { ScenarioArgs } from '../cli/scenario-args.js';

/**
 * The flags of `npm run scenario` that shape a run (not a search), as the user gave them, so a
 * printed command runs the same cluster: runtime, nodes, bugs, timeouts, toggles.
 */
export function runFlags(args: ScenarioArgs, runtime: string): string[] {
  const f = [`--runtime ${runtime}`];
  if (args.nodes !== undefined) f.push(`--nodes ${args.nodes}`);
  if (args.electionTimeout) f.push(`--election-timeout ${args.electionTimeout[0]}-${args.electionTimeout[1]}`);
  if (args.heartbeatInterval !== undefined) f.push(`--heartbeat-interval ${args.heartbeatInterval}`);
  if (args.rpcTimeout !== undefined) f.push(`--rpc-timeout ${args.rpcTimeout}`);
  if (args.preVote !== undefined) f.push(args.preVote ? '--pre-vote' : '--no-pre-vote');
  if (args.checkQuorum !== undefined) f.push(args.checkQuorum ? '--check-quorum' : '--no-check-quorum');
  if (args.pollIntervalMs !== undefined) f.push(`--poll-interval ${args.pollIntervalMs}`);
  if (args.toxiproxyUrl) f.push(`--toxiproxy-url ${args.toxiproxyUrl}`);
  if (args.reportDir !== 'reports') f.push(`--report-dir ${quote(args.reportDir)}`);
  for (const b of args.bugs) f.push(`--bug ${b}`);
  return f;
}

/** The command that replays a search's counterexample with fast-check (and shrinks from it). */
export function searchReplayCommand(args: ScenarioArgs, runtime: string, seed: number, runs: number, path: string, maxShrinks?: number, more: readonly string[] = []): string {
  const extra = [...(maxShrinks !== undefined ? [`--max-shrinks ${maxShrinks}`] : []), ...more];
  return `npm run scenario random -- --seed ${seed} --runs ${runs} --path ${path} ${[...runFlags(args, runtime), ...extra].join(' ')}`;
}

/** The command that runs a written scenario file once, with the run seed the search used. */
export function fileReplayCommand(args: ScenarioArgs, runtime: string, file: string, runSeed: number): string {
  return `npm run scenario ${quote(file)} -- --seed ${runSeed} ${runFlags(args, runtime).join(' ')}`;
}

function quote(s: string): string {
  return /^[\w./-]+$/.test(s) ? s : JSON.stringify(s);
}
