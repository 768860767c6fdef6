import { ConfigError } from '../../../common/src/errors.js';
import { realTestbed } from './real-testbed.js';
import type { SimSettings } from './sim/sim-testbed.js';
import type { Testbed, TestbedCapabilities } from './testbed.js';

/** How to ask for a testbed: what `--runtime` takes. */
export interface TestbedChoice {
  /** `auto` (Docker when an engine answers, else processes), `process`, `docker` or `sim`. */
  name: string;
  /** The run needs late starts (a staggered start): `auto` then picks a testbed that has them. */
  needsLateStarts?: boolean;
  /** Told of a runtime's warnings (a node moved to another port). */
  onWarning?: (message: string) => void;
  /** How the simulated testbed's world behaves, when it is the one chosen. */
  sim?: SimSettings;
}

/** A registered testbed: what it can do, known before choosing, and how to make it. */
interface TestbedEntry {
  readonly capabilities: TestbedCapabilities;
  /** Makes the testbed; `reason` says why it was chosen. Code is loaded only when it is used. */
  create(reason: string, choice: TestbedChoice): Promise<Testbed>;
}

/** Every testbed, by name: a new testbed is one new folder under `runtime/` and one line here. */
const TESTBEDS: Readonly<Record<string, TestbedEntry>> = {
  process: {
    capabilities: { simulated: false, lateStarts: true, externalToxiproxy: true, diskFaults: true },
    async create(reason, choice) {
      const { createProcessRuntime } = await import('./process/index.js');
      return realTestbed(createProcessRuntime({ onWarning: choice.onWarning ?? (() => {}) }), reason, TESTBEDS['process']!.capabilities);
    },
  },
  docker: {
    capabilities: { simulated: false, lateStarts: false, externalToxiproxy: false, diskFaults: false },
    async create(reason) {
      const { dockerRuntime } = await import('./docker/runtime.js');
      return realTestbed(dockerRuntime(), reason, TESTBEDS['docker']!.capabilities);
    },
  },
  sim: {
    capabilities: { simulated: true, lateStarts: true, externalToxiproxy: false, diskFaults: true },
    async create(reason, choice) {
      const { simTestbed } = await import('./sim/sim-testbed.js');
      return simTestbed({ ...choice.sim, reason });
    },
  },
};

/** The names `--runtime` takes. */
export const TESTBED_NAMES: readonly string[] = ['auto', ...Object.keys(TESTBEDS)];

/**
 * What the testbed `name` can do, without making it (`auto` may become Docker or processes:
 * it can do what both can). ConfigError for an unknown name.
 */
export function testbedCapabilities(name: string): TestbedCapabilities {
  if (name === 'auto') {
    return { simulated: false, lateStarts: false, externalToxiproxy: false, diskFaults: false };
  }
  return entry(name).capabilities;
}

/**
 * The testbed for `--runtime`: `process`, `docker` and `sim` as asked (Docker fails with a
 * clear EnvironmentError when no engine answers); `auto` is Docker when an engine answers,
 * local processes otherwise, and processes for a run that needs late starts. Docker code is
 * only loaded when it may be used.
 */
export async function chooseTestbed(choice: TestbedChoice): Promise<Testbed> {
  switch (choice.name) {
    case 'docker': {
      const { requireDocker } = await import('./docker/engine.js');
      const { version } = await requireDocker();
      return TESTBEDS['docker']!.create(`asked for with --runtime docker (engine ${version})`, choice);
    }
    case 'auto': {
      if (choice.needsLateStarts) {
        return TESTBEDS['process']!.create('--runtime auto: a staggered start runs on local processes', choice);
      }
      const { detectDocker } = await import('./docker/engine.js');
      const found = await detectDocker({ timeoutMs: 1500 });
      if (found.available) return TESTBEDS['docker']!.create(`--runtime auto: ${found.reason}`, choice);
      return TESTBEDS['process']!.create(`--runtime auto: no Docker engine answers at ${found.where}, so local processes`, choice);
    }
    default:
      return entry(choice.name).create(`asked for with --runtime ${choice.name}`, choice);
  }
}

function entry(name: string): TestbedEntry {
  const found = Object.hasOwn(TESTBEDS, name) ? TESTBEDS[name] : undefined;
  if (!found) throw new ConfigError(`unknown runtime "${name}"; use ${TESTBED_NAMES.join(', ')}`);
  return found;
}
