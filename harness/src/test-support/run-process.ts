import { spawn, type SpawnOptions } from 'node:child_process';

/** What a finished process said: its exit code (null when a signal ended it) and its whole output. */
export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `command args` to its end with no stdin and collects its output (tests of the CLIs run
 * them as a user would, as separate processes). Resolves once every holder of the output pipes
 * is gone; rejects only when the process could not be started.
 */
export function runProcess(command: string, args: readonly string[], options: SpawnOptions = {}): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d));
    child.stderr?.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs a TypeScript entry point (`harness/src/cli/*-main.ts`) with this Node through tsx. */
export function runTsMain(main: string, args: readonly string[], options: SpawnOptions = {}): Promise<Ran> {
  return runProcess(process.execPath, ['--import', 'tsx', main, ...args], options);
}
