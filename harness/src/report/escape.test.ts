import { describe, expect, it } from 'vitest';
import { escapeHtml, escapeXml, html, jsonForScript, raw } from './escape.js';

const XSS = '<img src=x onerror=alert(1)>';

describe('escapeHtml', () => {
  it('escapes the five markup characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
  it('turns a node id that is an img tag into inert text', () => {
    expect(escapeHtml(XSS)).toBe('&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('escapeXml', () => {
  it('replaces characters XML 1.0 forbids', () => {
    expect(escapeXml('a\u0000b\u001bc\ud800d')).toBe('a\uFFFDb\uFFFDc\uFFFDd');
    expect(escapeXml('tab\tnl\n')).toBe('tab\tnl\n');
  });
});

describe('jsonForScript', () => {
  it('cannot close the script element and parses back to the same value', () => {
    const value = { node: '</script><script>alert(1)</script>', c: '<!-- x -->', s: '\u2028\u2029&' };
    const text = jsonForScript(value);
    expect(text).not.toMatch(/<\/script/i);
    expect(text).not.toContain('<');
    expect(text).not.toContain('\u2028');
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('html template', () => {
  it('escapes interpolations, arrays included, and keeps trusted fragments', () => {
    const items = [XSS, 'b'];
    const out = html`<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>${raw('<hr>')}${null}${false}${undefined}`;
    expect(out.value).toBe('<ul><li>&lt;img src=x onerror=alert(1)&gt;</li><li>b</li></ul><hr>');
  });
  it('escapes inside attributes', () => {
    expect(html`<tr data-node="${'" onmouseover="x'}">`.value).toBe('<tr data-node="&quot; onmouseover=&quot;x">');
  });
});
