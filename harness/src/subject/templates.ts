import { ConfigError } from '../../../common/src/errors.js';
import { didYouMean } from '../../../common/src/did-you-mean.js';

/** The values one node slot fills into a subject's command words and environment values. */
export interface TemplateValues {
  readonly id: string;
  readonly host: string;
  readonly port: number;
  /** Already written in the subject's peer format. */
  readonly peers: string;
  readonly dataDir: string;
  readonly electionTimeoutMin: number;
  readonly electionTimeoutMax: number;
  readonly heartbeatInterval: number;
}

/** Every template name, as written between braces. */
export const TEMPLATE_NAMES: readonly (keyof TemplateValues)[] = [
  'id', 'host', 'port', 'peers', 'dataDir', 'electionTimeoutMin', 'electionTimeoutMax', 'heartbeatInterval',
];

const TEMPLATE = /\{\{|\}\}|\{([^{}]*)\}/g;

/**
 * The template names used in `text` (`{port}` -> `port`). `{{` and `}}` stand for literal
 * braces. Throws ConfigError naming `where` for an unknown name (with the near miss) or a
 * lone brace, so a bad template is refused when the subject is read, not when a node starts.
 */
export function templatesIn(text: string, where: string): (keyof TemplateValues)[] {
  const used: (keyof TemplateValues)[] = [];
  const rest = text.replace(TEMPLATE, (whole, name: string | undefined) => {
    if (name === undefined) return '';
    if (!(TEMPLATE_NAMES as readonly string[]).includes(name)) {
      throw new ConfigError(
        `${where}: {${name}} is not a template${didYouMean(name, TEMPLATE_NAMES)}; the templates are ${TEMPLATE_NAMES.map((n) => `{${n}}`).join(' ')} (write {{ and }} for literal braces)`,
      );
    }
    used.push(name as keyof TemplateValues);
    return '';
  });
  if (/[{}]/.test(rest)) throw new ConfigError(`${where}: a lone brace in ${JSON.stringify(text)} (write {{ and }} for literal braces)`);
  return used;
}

/** `text` with every `{name}` replaced by its value and `{{`/`}}` by braces. Assumes templatesIn accepted it. */
export function fillTemplate(text: string, values: TemplateValues): string {
  return text.replace(TEMPLATE, (whole: string, name: string | undefined) =>
    name === undefined ? whole[0]! : String(values[name as keyof TemplateValues]),
  );
}
