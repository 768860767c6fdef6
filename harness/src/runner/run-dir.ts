import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Creates `<reportRoot>/<runId>` and returns the id it got: `runId` itself, or `runId-2`,
 * `runId-3`, ... when a directory of that name is already there. An earlier run's folder is
 * never reused or overwritten (a simulated run replayed with the same seed gets its own).
 * Creating the directory is the claim, so two runs starting at once get different ids.
 */
export function claimRunDir(reportRoot: string, runId: string): string {
  mkdirSync(reportRoot, { recursive: true });
  for (let n = 1; ; n++) {
    const id = n === 1 ? runId : `${runId}-${n}`;
    try {
      mkdirSync(join(reportRoot, id));
      return id;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}
