import { ConfigError } from '../../../common/src/errors.js';
import type { Runtime } from '../runtime/types.js';

/** The runtime a run uses, and one line saying why (for the output and the report). */
export interface ChosenRuntime {
  runtime: Runtime;
  reason: string;
}

/**
 * Picks the runtime for `--runtime`: `process` and `docker` as asked (Docker fails with a clear
 * EnvironmentError when no engine answers); `auto` is Docker when an engine answers, local
 * processes otherwise. Docker code is only loaded when it may be used.
 */
export async function chooseRuntime(choice: string, onWarning: (message: string) => void): Promise<ChosenRuntime> {
  switch (choice) {
    case 'process': {
      const { createProcessRuntime } = await import('../runtime/process/index.js');
      return { runtime: createProcessRuntime({ onWarning }), reason: 'asked for with --runtime process' };
    }
    case 'docker': {
      const { requireDocker } = await import('../runtime/docker/engine.js');
      const { dockerRuntime } = await import('../runtime/docker/runtime.js');
      const { version } = await requireDocker();
      return { runtime: dockerRuntime(), reason: `asked for with --runtime docker (engine ${version})` };
    }
    case 'auto': {
      const { detectDocker } = await import('../runtime/docker/engine.js');
      const found = await detectDocker({ timeoutMs: 1500 });
      if (found.available) {
        const { dockerRuntime } = await import('../runtime/docker/runtime.js');
        return { runtime: dockerRuntime(), reason: `--runtime auto: ${found.reason}` };
      }
      const { createProcessRuntime } = await import('../runtime/process/index.js');
      return {
        runtime: createProcessRuntime({ onWarning }),
        reason: `--runtime auto: no Docker engine answers at ${found.where}, so local processes`,
      };
    }
    case 'sim':
      // Simulated runs have no Cluster of processes: runScenario hands them to runSimScenario.
      throw new ConfigError('the simulated runtime runs through runScenario(scenario, { runtime: "sim" }) (harness/src/sim), not as a Runtime');
    default:
      throw new ConfigError(`unknown runtime "${choice}"; use auto, process, docker or sim`);
  }
}
