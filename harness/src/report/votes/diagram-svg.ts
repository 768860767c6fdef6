import { html, type SafeHtml } from '../escape.js';
import { fmtMs } from '../../util/time-format.js';
import type { CampaignMark, TermDiagram, VoteMessage } from './diagram-model.js';

/** Layout of one diagram (px). Time runs down in rows: one row per distinct instant, in order. */
const GUTTER = 84;
const HEAD = 36;
const ROW = 17;
const FOOT = 40;

/** Column width for a cluster size: narrower for big clusters, so 7 nodes fit in about 950 px. */
export function columnWidth(nodes: number): number {
  return nodes <= 3 ? 200 : nodes <= 5 ? 160 : 124;
}

const COLORS = { request: '#607d8b', granted: '#2e7d32', refused: '#e65100', violation: '#d32f2f' };

/**
 * Arrowhead markers shared by every diagram of a page (one hidden SVG; diagrams refer to
 * them by id).
 */
export function voteMarkerDefs(): SafeHtml {
  const head = (id: string, color: string): SafeHtml =>
    html`<marker id="${id}" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" fill="${color}"/></marker>`;
  const bar = (id: string, color: string): SafeHtml =>
    html`<marker id="${id}" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10" orient="auto"><path d="M0 1 L9 5 L0 9" fill="none" stroke="${color}" stroke-width="1.6"/><path d="M9.5 0 V10" stroke="${color}" stroke-width="2.2"/></marker>`;
  return html`<svg class="vote-defs" width="0" height="0" aria-hidden="true" style="position:absolute"><defs>${head('vd-req', COLORS.request)}${head('vd-ok', COLORS.granted)}${bar('vd-no', COLORS.refused)}${head('vd-bad', COLORS.violation)}</defs></svg>`;
}

/**
 * One term's election as an SVG message diagram: a vertical line per node, time going down
 * (one row per distinct instant, with its time in the left margin), requests from the
 * candidate to the voter and replies back. Replies are green when granted, orange with a bar
 * when refused (the reason on hover), red with "!" when they make a violation; pre-votes are
 * dashed. Every arrow carries `data-vote-from`, `data-vote-to`, `data-granted`, `data-term`,
 * `data-pre-vote`, `data-msg` (`request` or `reply`) and `data-candidate` (whose election it is).
 */
export function renderTermSvg(d: TermDiagram, nodes: readonly string[]): SafeHtml {
  const colW = columnWidth(nodes.length);
  const width = GUTTER + nodes.length * colW + 150; // room for the last column's labels
  const colX = new Map(nodes.map((n, i) => [n, GUTTER + colW * (i + 0.5)]));
  // Nodes outside the run's list (should not happen) get columns at the right.
  for (const m of d.messages) for (const n of [m.from, m.to]) if (!colX.has(n)) colX.set(n, GUTTER + colW * (colX.size + 0.5));
  const instants = new Set<number>();
  const key = (t: number): number => Math.round(t * 10) / 10;
  for (const m of d.messages) instants.add(key(m.sentAt)).add(key(m.arrivedAt));
  for (const m of d.marks) instants.add(key(m.t));
  const rows = [...instants].sort((a, b) => a - b);
  const rowOf = new Map(rows.map((t, i) => [t, i]));
  const y = (t: number): number => HEAD + 10 + (rowOf.get(key(t)) ?? 0) * ROW;
  const height = HEAD + 10 + Math.max(1, rows.length) * ROW + FOOT;
  const lineBottom = height - FOOT + 4;

  const columns = [...colX].map(
    ([n, cx]) => html`<g class="vote-node" data-vote-node="${n}"><text x="${cx}" y="20" text-anchor="middle" class="vote-node-name"><title>${`${n}: click to follow its campaign (its requests and the replies to it)`}</title>${n}</text><line x1="${cx}" x2="${cx}" y1="${HEAD - 6}" y2="${lineBottom}" class="vote-lifeline"/></g>`,
  );
  const timeLabels = rows.map((t, i) => html`<text x="${GUTTER - 10}" y="${HEAD + 13 + i * ROW}" text-anchor="end" class="vote-time">${fmtMs(t)}</text>`);
  const marks = d.marks.map((m) => markSvg(m, colX.get(m.node) ?? GUTTER, y(m.t)));
  const arrows = d.messages.map((m) => arrowSvg(m, colX, y));

  const tallies = d.tallies
    .filter((t) => !t.preVote)
    .map((t) => html`<text x="${colX.get(t.node) ?? GUTTER}" y="${height - 22}" text-anchor="middle" class="vote-tally ${t.won ? 'won' : 'lost'}" data-tally="${t.node}">${t.granted} vote${t.granted === 1 ? '' : 's'}${t.won ? ' · leader' : ''}</text>`);
  const preTallies = d.tallies
    .filter((t) => t.preVote)
    .map((t) => html`<text x="${colX.get(t.node) ?? GUTTER}" y="${height - 8}" text-anchor="middle" class="vote-tally pre">pre-vote ${t.granted} yes${t.refused ? ` · ${t.refused} no` : ''}</text>`);

  return html`<svg class="vote-diagram" data-term="${d.term}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${`Votes of term ${d.term}`}">
${timeLabels}${columns}<g class="vote-marks">${marks}</g><g class="vote-arrows">${arrows}</g>${tallies}${preTallies}</svg>`;
}

function arrowSvg(m: VoteMessage, colX: Map<string, number>, y: (t: number) => number): SafeHtml {
  const x1 = colX.get(m.from)!;
  const x2 = colX.get(m.to)!;
  const y1 = y(m.sentAt);
  let y2 = y(m.arrivedAt);
  if (y2 <= y1) y2 = y1 + ROW / 2;
  // Stop short of the lifeline so the head shows.
  const dir = x2 > x1 ? 1 : -1;
  const ex = x2 - dir * 3;
  const color = m.violation ? COLORS.violation : m.kind === 'request' ? COLORS.request : m.granted ? COLORS.granted : COLORS.refused;
  const marker = m.violation ? 'vd-bad' : m.kind === 'request' ? 'vd-req' : m.granted ? 'vd-ok' : 'vd-no';
  const what = m.preVote ? 'pre-vote' : 'vote';
  const tip =
    m.kind === 'request'
      ? `${m.from} → ${m.to}: ${what} request for term ${m.term}${m.estimated ? '' : ` sent at ${fmtMs(m.sentAt)}`}, answered at ${fmtMs(m.arrivedAt)}: ${m.granted ? 'granted' : `refused (${m.reason})`}`
      : `${m.from} → ${m.to}: ${what} ${m.granted ? 'granted' : `refused: ${m.reason}`} (term ${m.term}) at ${fmtMs(m.sentAt)}; arrival not recorded, drawn with the request's delay`;
  const full = m.violation ? `${tip}\nVIOLATION: ${m.violation}` : tip;
  // The "!" sits a third of the way from the voter, so two crossing replies keep theirs apart.
  const mx = x1 + (ex - x1) / 3;
  const my = y1 + (y2 - y1) / 3;
  return html`<g class="vote-arrow ${m.kind}${m.preVote ? ' pre' : ''}${m.violation ? ' violation' : ''}" data-vote-from="${m.from}" data-vote-to="${m.to}" data-candidate="${m.candidate}" data-granted="${String(m.granted)}" data-term="${m.term}" data-pre-vote="${String(m.preVote)}" data-msg="${m.kind}"${m.violation ? html` data-vote-violation="${m.violation}"` : ''}><title>${full}</title><line x1="${x1}" y1="${y1}" x2="${ex}" y2="${y2}" class="hit"/><line x1="${x1}" y1="${y1}" x2="${ex}" y2="${y2}" stroke="${color}" stroke-width="${m.violation ? 2.6 : m.preVote ? 1.2 : 1.7}"${m.preVote ? html` stroke-dasharray="5 3"` : ''} marker-end="url(#${marker})"/>${m.violation && m.kind === 'reply' ? html`<circle cx="${mx}" cy="${my}" r="7" fill="${COLORS.violation}" stroke="#fff" stroke-width="1.5"/><text x="${mx}" y="${my + 4}" text-anchor="middle" class="vote-bang">!</text>` : ''}</g>`;
}

function markSvg(m: CampaignMark, cx: number, cy: number): SafeHtml {
  const label =
    m.kind === 'pre-candidate'
      ? m.count > 1
        ? `pre-vote ×${m.count}, no answer (until ${fmtMs(m.until)})`
        : 'pre-vote'
      : m.kind === 'candidate'
        ? `candidate T${m.term}`
        : m.kind === 'leader'
          ? `leader T${m.term}`
          : `step-down${m.reason ? ` (${m.reason})` : ''}`;
  const tip = `${m.node}: ${label} at ${fmtMs(m.t)}${m.violation ? `\nVIOLATION: ${m.violation}` : ''}`;
  const bad = m.violation ? ' violation' : '';
  const shape =
    m.kind === 'leader'
      ? html`<path d="M${cx} ${cy - 7} l7 7 l-7 7 l-7 -7 z" class="vm-leader${bad}"/>`
      : m.kind === 'candidate'
        ? html`<circle cx="${cx}" cy="${cy}" r="5.5" class="vm-candidate${bad}"/>`
        : m.kind === 'pre-candidate'
          ? html`<circle cx="${cx}" cy="${cy}" r="4.5" class="vm-pre"/>`
          : html`<rect x="${cx - 5}" y="${cy - 5}" width="10" height="10" class="vm-step-down"/>`;
  return html`<g class="vote-mark ${m.kind}${bad}" data-mark="${m.kind}" data-vote-node="${m.node}"><title>${tip}</title>${shape}<text x="${cx + 9}" y="${cy + 4}" class="vote-mark-label${bad}">${label}</text></g>`;
}
