import path from 'node:path';
import ts from 'typescript';
import { createFormatter, createParser, createProgram, DEFAULT_CONFIG, SchemaGenerator, type CompletedConfig, type Definition } from 'ts-json-schema-generator';
import { defaultCheckers } from '../checkers/compose.js';
import { FAULT_KIND_NAMES } from '../faults/registry.js';

/** Where the schemas are written, relative to the repository root, by file kind. */
export const SCHEMA_FILES = { scenario: 'schemas/scenario.schema.json', subject: 'schemas/subject.schema.json' } as const;

/** The JSON Schemas of the files users write, by file kind (see SCHEMA_FILES). */
export type Schemas = Record<keyof typeof SCHEMA_FILES, Definition>;

const ROOT = path.resolve(import.meta.dirname, '../../..');
const FAULT_SPEC_TYPES = 'harness/src/faults/fault-spec.ts';
/** Source files the generator reads: the file types, the types they use, and every fault kind (which merge into `FaultSpecs`). */
const SOURCES = `{harness/src/scenario/scenario-file.ts,harness/src/scenario/types.ts,harness/src/nemesis/types.ts,${FAULT_SPEC_TYPES},harness/src/faults/kinds/*.ts,harness/src/subject/subject-file.ts}`;

/**
 * Generates the scenario-file and subject-file schemas from the TypeScript types
 * (`ScenarioFile`, `SubjectFile`): their JSDoc gives descriptions and limits (`@minimum`,
 * `@pattern`, `@asType integer`). Two things the generator cannot read from the types are
 * added here: `FaultSpec` is the kinds merged into `FaultSpecs` by the files under
 * `faults/kinds/` (the generator sees only the empty declaration), told apart by `kind`;
 * `skipChecks` may name only registered checks. Takes a few seconds (it reads the sources
 * with the TypeScript compiler, without type-checking them).
 */
export function generateSchemas(): Schemas {
  const config: CompletedConfig = { ...DEFAULT_CONFIG, path: path.join(ROOT, SOURCES), tsconfig: path.join(ROOT, 'tsconfig.json'), skipTypeCheck: true, additionalProperties: false, sortProps: false };
  const program = createProgram(config);
  const generator = new SchemaGenerator(program, createParser(program, config), createFormatter(config), config);
  const kinds = faultKindTypes(program);
  const scenario = generator.createSchema('ScenarioFile');
  const defs = scenario.definitions!;
  for (const { type } of kinds) Object.assign(defs, generator.createSchema(type).definitions);
  const faultSpec = defs['FaultSpec'] as Definition;
  // Told apart by `kind` (if/then), so an editor completes the kind and names one kind's errors.
  defs['FaultSpec'] = {
    description: faultSpec.description,
    type: 'object',
    properties: { kind: { type: 'string', enum: kinds.map((k) => k.kind), description: 'The kind of fault (faults/registry.ts).' } },
    required: ['kind'],
    allOf: kinds.map(({ kind, type }) => ({ if: { properties: { kind: { const: kind } } }, then: { $ref: `#/definitions/${type}` } })),
  };
  defs['Step'] = byKey(defs['Step'] as Definition, ['wait', 'fault', 'heal', 'repeat']);
  const top = defs['ScenarioFile'] as Definition;
  const skip = top.properties!['skipChecks'] as Definition;
  skip.propertyNames = { enum: defaultCheckers.map((c) => c.name) };
  const subject = generator.createSchema('SubjectFile');
  return {
    scenario: titled(scenario, 'A raft-chaos scenario file (npm run scenario ./file.json).'),
    subject: titled(subject, 'A raft-chaos subject file (--subject ./file.json; docs/subjects.md).'),
  };
}

/**
 * A union of object shapes each marked by one key (a step is `{wait}`, `{fault}`, `{heal}` or
 * `{repeat}`) as if/then on that key: same files accepted, but an editor reports the errors of
 * the one shape a file chose rather than of all four.
 */
function byKey(union: Definition, keys: readonly string[]): Definition {
  const shapes = union.anyOf as Definition[] | undefined;
  const shapeOf = (key: string): Definition => {
    const shape = shapes?.find((d) => d.required?.includes(key));
    if (!shape) throw new Error(`no shape with the key ${key} in ${JSON.stringify(union).slice(0, 80)}`);
    return shape;
  };
  if (shapes?.length !== keys.length) throw new Error(`expected ${keys.length} shapes (${keys.join(', ')}), got ${shapes?.length ?? 0}`);
  const { anyOf: _, ...rest } = union;
  return {
    ...rest,
    type: 'object',
    anyOf: keys.map((k) => ({ required: [k] })),
    allOf: keys.map((k) => ({ if: { required: [k] }, then: shapeOf(k) })),
  };
}

/** The schemas as written to disk: two-space JSON and a final newline. */
export function schemaText(schema: Definition): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}

/** The schema with a title after `$schema` (no `$id`: the files are found by path, not by a URL). */
function titled(schema: Definition, title: string): Definition {
  const { $schema, ...rest } = schema;
  return { $schema, title, ...rest };
}

/**
 * Each kind merged into `FaultSpecs`: its name and the name of its spec type, in registry
 * order. Throws when the merged kinds and the registry differ (a kind file not registered).
 */
function faultKindTypes(program: ts.Program): { kind: string; type: string }[] {
  const checker = program.getTypeChecker();
  const file = program.getSourceFile(path.join(ROOT, FAULT_SPEC_TYPES));
  const decl = file?.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === 'FaultSpecs');
  if (!decl) throw new Error(`no interface FaultSpecs in ${FAULT_SPEC_TYPES}`);
  const specs = checker.getTypeAtLocation(decl);
  const kinds = specs.getProperties().map((p) => {
    const t = checker.getTypeOfSymbol(p);
    const name = (t.aliasSymbol ?? t.getSymbol())?.getName();
    if (!name || name === '__type') throw new Error(`FaultSpecs.${p.getName()} must be a named, exported interface (faults/kinds/)`);
    return { kind: p.getName(), type: name };
  });
  const merged = kinds.map((k) => k.kind).sort().join(', ');
  const registered = [...FAULT_KIND_NAMES].sort().join(', ');
  if (merged !== registered) throw new Error(`the kinds merged into FaultSpecs (${merged}) are not the registered ones (${registered}): faults/registry.ts`);
  return kinds.sort((a, b) => FAULT_KIND_NAMES.indexOf(a.kind) - FAULT_KIND_NAMES.indexOf(b.kind));
}
