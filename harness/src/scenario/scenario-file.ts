import type { Scenario } from './types.js';

/**
 * A scenario file as a user writes it (`npm run scenario ./my-scenario.json`): a Scenario,
 * optionally naming its JSON Schema so editors complete and check it. The schema
 * (`schemas/scenario.schema.json`, `npm run schemas`) is generated from this type.
 */
export interface ScenarioFile extends Scenario {
  /**
   * The JSON Schema of this file, for editors (e.g. `node_modules/raft-chaos/schemas/scenario.schema.json`); the harness ignores it.
   * @minLength 1
   */
  $schema?: string;
}
