import { inlineSafe } from './assets.js';
import type { SafeHtml } from './escape.js';

/** What `htmlPage` puts together. */
export interface HtmlPage {
  /** Escaped already (an `html` template). */
  title: SafeHtml;
  /** The page's CSS, inlined (made safe to inline here). */
  css: string;
  body: SafeHtml | string;
  /** Inline markup after the body (scripts); their presence allows inline scripts in the page's policy. */
  scripts?: string;
}

/**
 * A whole self-contained HTML page, as every page of the project is one (a run's report, the runs
 * index, a sweep's chart): its Content-Security-Policy loads nothing from anywhere and allows
 * inline styles, `data:` images, and inline scripts only when the page has `scripts`.
 */
export function htmlPage(p: HtmlPage): string {
  const policy = ["default-src 'none'", "style-src 'unsafe-inline'", ...(p.scripts !== undefined ? ["script-src 'unsafe-inline'"] : []), 'img-src data:'].join('; ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${policy}">
<title>${p.title}</title>
<style>${inlineSafe(p.css)}</style>
</head>
<body>
${p.body}
${p.scripts ?? ''}</body>
</html>
`;
}
