import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '../../../common/src/errors.js';
import { scenarios } from '../../../scenarios/index.js';
import { didYouMean } from './did-you-mean.js';
import type { Scenario } from './types.js';
import { validateScenario } from './validate.js';
import { testbedCapabilities } from '../runtime/testbeds.js';

/** Names of every built-in scenario, in listing order. */
export function scenarioNames(): string[] {
  return scenarios.map((s) => s.name);
}

/** A built-in scenario by name, validated; undefined when there is none by that name. */
export function findScenario(name: string): Scenario | undefined {
  const s = scenarios.find((x) => x.name === name);
  return s && validateScenario(s, `scenarios/${name}.ts`);
}

/**
 * Resolves what a user typed: a built-in scenario name, or a path to a scenario file
 * (`.json`, or a `.ts`/`.js` module whose default export is the scenario). Throws ConfigError
 * naming the known scenarios when nothing matches, and naming the place when a file is bad.
 */
export async function loadScenario(nameOrPath: string): Promise<Scenario> {
  const named = findScenario(nameOrPath);
  if (named) return named;
  const looksLikeFile = /[\\/]|\.(json|ts|js|mjs)$/.test(nameOrPath);
  if (!looksLikeFile) {
    throw new ConfigError(
      `unknown scenario "${nameOrPath}"${didYouMean(nameOrPath, [...scenarioNames(), 'random'])}. Known scenarios: ${scenarioNames().join(', ')} (or give a path to a scenario file)`,
    );
  }
  const file = path.resolve(nameOrPath);
  if (!existsSync(file)) throw new ConfigError(`scenario file ${file} does not exist`);
  let data: unknown;
  try {
    if (file.endsWith('.json')) {
      data = JSON.parse(readFileSync(file, 'utf8'));
    } else {
      const mod = (await import(pathToFileURL(file).href)) as { default?: unknown; scenario?: unknown };
      data = mod.default ?? mod.scenario;
      if (data === undefined) throw new ConfigError(`scenario file ${file} has no default export`);
    }
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(`cannot read scenario file ${file}: ${(err as Error).message}`, { cause: err });
  }
  return validateScenario(data, file);
}

/**
 * Why `scenario` cannot run on `runtime`, or null when it can. Staggered starts
 * (`startDelaysMs`) need a testbed that starts nodes late (the registry says which); `auto`
 * may pick Docker, so it is refused too. ConfigError for an unknown runtime.
 */
export function unsupportedOn(scenario: Scenario, runtime: string): string | null {
  if (scenario.startDelaysMs && !testbedCapabilities(runtime).lateStarts) return 'staggered start (startDelaysMs) runs on --runtime process or sim only';
  return null;
}
