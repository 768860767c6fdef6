import { readFileSync } from 'node:fs';

const cache = new Map<string, string>();

/**
 * The text of a file in `assets/` (the report page's CSS and script), read once. Inlined into
 * every report so the page needs no network and no other file.
 */
export function asset(name: 'report.css' | 'report.js'): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(new URL(`./assets/${name}`, import.meta.url), 'utf8');
    cache.set(name, text);
  }
  return text;
}

/** Makes text safe inside an inline `<script>` or `<style>` element (no early `</script`/`</style`). */
export function inlineSafe(code: string): string {
  return code.replace(/<\/(script|style)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}
