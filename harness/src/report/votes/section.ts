import { html, raw, type SafeHtml } from '../escape.js';
import { fmtMs } from '../../util/time-format.js';
import type { TermDiagram, VoteDiagrams } from './diagram-model.js';
import { renderTermSvg, voteMarkerDefs } from './diagram-svg.js';

/**
 * Diagrams drawn at most (a 7-node term is about 15 KB of SVG): violations and failed
 * elections first, then the other terms in order. Every term keeps its folded heading.
 */
export const MAX_TERMS_DRAWN = 150;
/** Interesting terms unfolded at most, so a page with many failed elections still opens quickly. */
export const MAX_OPEN = 12;

const OUTCOME: Record<TermDiagram['outcome'], string> = {
  elected: 'elected',
  split: 'split vote, no leader',
  lost: 'no leader',
  'pre-vote-failed': 'pre-vote only, nobody campaigned',
  'two-leaders': 'TWO LEADERS',
};

/** One line saying how a term went: the outcome and every real candidate's votes against the majority. */
export function termHeadline(d: TermDiagram, majority: number, clusterSize: number): string {
  const real = d.tallies.filter((t) => !t.preVote);
  const votes = real.map((t) => `${t.node} ${t.granted} of ${clusterSize}`).join(', ');
  const who = d.outcome === 'elected' ? `${d.leaders[0]} elected` : OUTCOME[d.outcome];
  // Voters' logs say granted, yet no become-leader: the replies were lost or came too late.
  const stranded = d.leaders.length === 0 ? real.filter((t) => t.granted >= majority).map((t) => t.node) : [];
  const note = stranded.length ? ` · ${stranded.join(', ')} granted a majority by the voters' logs, yet not leader (replies lost or late)` : '';
  return `${who}${votes ? ` · ${votes} (needs ${majority})` : ''}${note}`;
}

/**
 * The report's "Votes" section: one folded `<details id="votes-term-N">` per term (unfolded
 * when it holds a violation or a failed election, at most `MAX_OPEN`), a strip of term chips to
 * jump to one, and a legend. For a subject without events, the term-by-term summary of the
 * polls, saying so.
 */
export function renderVotesSection(v: VoteDiagrams): SafeHtml {
  const head = html`<h2 id="votes">Votes <small>one diagram per term, from the nodes' own events · click a leader mark or a lane on the timeline to open its term</small></h2>`;
  if (v.source === 'polls') return html`<section class="votes" data-votes-source="polls">${head}${pollSummary(v)}</section>`;
  if (v.source === 'none') {
    return html`<section class="votes" data-votes-source="none">${head}<p class="none">No node events and no successful polls with a term: nothing to say about votes.</p></section>`;
  }
  const drawn = v.terms;
  const withSvg = new Set<number>(
    [...v.terms.filter((d) => d.interesting), ...v.terms.filter((d) => !d.interesting)].slice(0, MAX_TERMS_DRAWN).map((d) => d.term),
  );
  let opened = 0;
  const openTerms = new Set<number>();
  for (const d of drawn) {
    if (d.interesting && opened < MAX_OPEN) {
      openTerms.add(d.term);
      opened++;
    }
  }
  const n = v.nodes.length;
  const chips = drawn.map(
    (d) =>
      html`<a href="#votes-term-${d.term}" class="term-chip ${d.violations.length ? 'bad' : d.outcome === 'elected' ? 'ok' : d.outcome === 'pre-vote-failed' ? 'pre' : 'failed'}" data-term-chip="${d.term}" title="${`term ${d.term}: ${termHeadline(d, v.majority, n)}`}">T${d.term}${d.outcome === 'elected' ? ` ${d.leaders[0]}` : d.violations.length ? ' !' : d.outcome === 'split' ? ' split' : ''}</a>`,
  );
  const legend = html`<div class="legend vote-legend">
<span><svg width="34" height="10"><line x1="1" y1="5" x2="30" y2="5" stroke="#607d8b" stroke-width="1.7" marker-end="url(#vd-req)"/></svg>request (candidate → voter)</span>
<span><svg width="34" height="10"><line x1="1" y1="5" x2="30" y2="5" stroke="#2e7d32" stroke-width="1.7" marker-end="url(#vd-ok)"/></svg>granted</span>
<span><svg width="34" height="10"><line x1="1" y1="5" x2="30" y2="5" stroke="#e65100" stroke-width="1.7" marker-end="url(#vd-no)"/></svg>refused (reason on hover)</span>
<span><svg width="34" height="10"><line x1="1" y1="5" x2="30" y2="5" stroke="#607d8b" stroke-width="1.2" stroke-dasharray="5 3"/></svg>pre-vote</span>
<span><svg width="34" height="14"><line x1="1" y1="7" x2="30" y2="7" stroke="#d32f2f" stroke-width="2.6"/><circle cx="15" cy="7" r="6" fill="#d32f2f"/></svg>violation</span>
<span><svg width="12" height="12"><circle cx="6" cy="6" r="5" fill="#ffb300" stroke="#8d5b00"/></svg>candidate</span>
<span><svg width="14" height="14"><path d="M7 0 l7 7 l-7 7 l-7 -7 z" fill="#2e7d32"/></svg>leader</span>
<span class="hint">time runs down, one row per instant; a node logs the requests it answers, so a reply's arrival is drawn with its request's delay</span></div>`;
  const gaps = v.gaps.length
    ? html`<p class="hint vote-gaps">Events were lost (buffer overflow) for ${[...new Set(v.gaps.map((g) => g.node))].join(', ')}: some arrows may be missing.</p>`
    : raw('');
  const failed = v.terms.filter((d) => d.outcome === 'split' || d.outcome === 'lost').length;
  const bad = v.terms.filter((d) => d.violations.length).length;
  const sum = html`<p class="vote-summary">${v.terms.length} term${v.terms.length === 1 ? '' : 's'} with votes or campaigns: ${v.terms.filter((d) => d.outcome === 'elected').length} elected a leader, ${failed} failed${bad ? html`, <b class="invalid">${bad} with a violation</b>` : ''}. ${openTerms.size ? `Unfolded: ${openTerms.size === 1 ? 'the term' : 'terms'} with a violation or a failed election${opened >= MAX_OPEN ? ` (the first ${MAX_OPEN})` : ''}.` : 'All folded: no violation, no failed election.'}</p>`;
  const terms = drawn.map((d) => termDetails(d, v, openTerms.has(d.term), withSvg.has(d.term)));
  const more = v.terms.length > withSvg.size ? html`<p class="hint">${v.terms.length - withSvg.size} of ${v.terms.length} terms are listed without a diagram: a report draws at most ${MAX_TERMS_DRAWN} (violations and failed elections first).</p>` : raw('');
  return html`<section class="votes" data-votes-source="events">${head}${voteMarkerDefs()}${legend}${sum}${gaps}${more}
<nav class="term-chips" aria-label="terms">${chips}</nav>
<div class="toolbar"><button type="button" id="votes-open-all">Unfold all</button><button type="button" id="votes-fold-all">Fold all</button><label class="hint"><input type="checkbox" id="votes-show-pre" checked> show pre-votes</label><span class="hint">click a node's name in a diagram to follow its campaign</span></div>
${terms}</section>`;
}

function termDetails(d: TermDiagram, v: VoteDiagrams, open: boolean, draw: boolean): SafeHtml {
  const msgs = d.messages.length;
  const cls = d.violations.length ? 'bad' : d.outcome === 'elected' ? 'ok' : d.outcome === 'pre-vote-failed' ? 'pre' : 'failed';
  return html`<details class="vote-term ${cls}" id="votes-term-${d.term}" data-term="${d.term}" data-outcome="${d.outcome}" data-interesting="${String(d.interesting)}"${open ? raw(' open') : ''}>
<summary><b>Term ${d.term}</b> · ${termHeadline(d, v.majority, v.nodes.length)}${d.violations.length ? html` · <b class="invalid">${d.violations.join('; ')}</b>` : ''} <span class="hint">${fmtMs(d.start)} – ${fmtMs(d.end)} · ${msgs} message${msgs === 1 ? '' : 's'}</span></summary>
<div class="vote-box">${draw ? renderTermSvg(d, v.nodes) : html`<p class="none">Not drawn: this report draws at most ${MAX_TERMS_DRAWN} terms.</p>`}</div>
</details>`;
}

function pollSummary(v: VoteDiagrams): SafeHtml {
  const rows = v.pollTerms.map(
    (p) => html`<tr data-poll-term="${p.term}"><td>${p.term}</td><td>${p.leaders.length ? p.leaders.map((l) => `${l.node} (${fmtMs(l.from)} – ${fmtMs(l.to)})`).join(', ') : html`<span class="none">no leader seen</span>`}${p.leaders.length > 1 ? html` <b class="invalid">two leaders</b>` : ''}</td><td>${p.candidates.join(', ') || '—'}</td><td>${p.votes.map(([a, b]) => `${a}→${b}`).join(' ') || '—'}</td><td>${fmtMs(p.firstSeen)} – ${fmtMs(p.lastSeen)}</td></tr>`,
  );
  return html`<p class="none" data-votes-note="no-events">This subject gives no node events (no <code>/events</code> in the history), so the votes cannot be drawn: below is what the status polls show, term by term. Polls sample: a short campaign or a vote between two polls does not show.</p>
<table class="poll-terms"><thead><tr><th>term</th><th>leader seen (first – last poll)</th><th>seen as candidate</th><th>votedFor seen</th><th>term seen</th></tr></thead><tbody>${rows}</tbody></table>`;
}
