/**
 * Escaping for everything a node, a scenario or a history supplies (ids, labels, messages).
 * Report code never concatenates such text into markup without one of these.
 */

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text made safe for HTML element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/**
 * Text made safe for XML content and attributes: escaped like HTML, and characters XML 1.0
 * forbids (control characters, lone surrogates) replaced by U+FFFD.
 */
export function escapeXml(value: unknown): string {
  return escapeHtml(value).replace(
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    '\uFFFD',
  );
}

/**
 * JSON for embedding inside `<script type="application/json">`: `<` is written as `\u003c`
 * (so no `</script` or `<!--` can end or confuse the element), and U+2028/U+2029 are escaped.
 * `JSON.parse` of the element's text gives back the value unchanged.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** A fragment of trusted markup, built only by `html` or `raw`. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Marks markup the report itself wrote as trusted. Never pass it text from a history. */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/**
 * Tagged template for markup: every interpolated value is escaped unless it is a `SafeHtml`
 * (from `html` or `raw`); arrays are joined after escaping each item; null, undefined and
 * false render as nothing.
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) {
    out += render(values[i]) + (strings[i + 1] ?? '');
  }
  return new SafeHtml(out);
}

function render(value: unknown): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(value);
}
