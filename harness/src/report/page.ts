import { asset, inlineSafe } from './assets.js';
import { durationChart, stats } from './charts.js';
import { html, jsonForScript, raw, type SafeHtml } from './escape.js';
import { htmlPage } from './html-page.js';
import { verdictReason } from './summary.js';
import type { ReportModel } from './model.js';
import { renderVotesSection } from './votes/section.js';
import { fmtMs } from './witness.js';

const MISSING: Record<string, string> = {
  none: 'no leader within the bound',
  'no-leader-before': 'no leader to remove',
  'window-ended': 'run ended before the bound',
  'healed-first': 'healed before a new leader',
  'not-expected': 'no election expected',
  'no-majority': 'no majority possible until a heal',
  disrupted: 'nodes that cannot win keep campaigning (Pre-Vote off) until a heal',
};

const LEGEND: Array<[string, string, string]> = [
  ['leader', 'var(--leader)', 'leader'],
  ['candidate', 'var(--candidate)', 'candidate (election running)'],
  ['pre-candidate', 'var(--pre-candidate)', 'pre-vote'],
  ['follower', 'var(--follower)', 'follower'],
  ['unreachable', 'var(--unreachable)', 'no answer to the poll'],
  ['paused', 'var(--paused)', 'paused (SIGSTOP)'],
  ['killed', 'var(--killed)', 'killed / stopped'],
];

/**
 * The whole report page for a run: one self-contained HTML document (inline CSS, script and
 * SVG; no network). Text from the history is escaped here or set as text by the script.
 */
export function renderReportPage(m: ReportModel): string {
  const c = m.run.config;
  const afterFaults = m.failovers.filter((f) => f.kind !== 'heal');
  const fs = stats(afterFaults.filter((f) => f.judged).map((f) => f.ms).filter((x): x is number => x !== null));
  const heals = m.failovers.filter((f) => f.kind === 'heal');
  const unjudged = m.failovers.filter((f) => !f.judged).length;
  const failoverSub = [
    `${m.faults.length} fault${m.faults.length === 1 ? '' : 's'}`,
    `${afterFaults.filter((f) => f.judged).length} timed after removing the leader${fs ? ` (median ${fmtMs(fs.median)}, worst ${fmtMs(fs.max)})` : ''}`,
    `${heals.filter((f) => f.judged).length} after a heal`,
    ...(unjudged ? [`${unjudged} not judged`] : []),
  ].join(' · ');
  const invalid = m.checks.filter((x) => x.verdict === 'invalid').length;
  const unknown = m.checks.filter((x) => x.verdict === 'unknown').length;
  // A valid check that judged nothing (or does not apply) is not counted as passed.
  const notOk = m.checks.filter((x) => x.verdict === 'valid' && (x.judgement ?? 'ok') !== 'ok').length;
  const verdictSub =
    m.checks.length === 0
      ? 'no checks ran'
      : invalid
        ? `${invalid} of ${m.checks.length} checks failed`
        : unknown
          ? `${unknown} of ${m.checks.length} checks could not tell`
          : notOk
            ? `${m.checks.length - notOk} of ${m.checks.length} checks passed, ${notOk} not judged or not applicable`
            : `all ${m.checks.length} checks passed`;

  const facts: Array<[string, unknown]> = [
    ['scenario', m.run.scenario],
    ['seed', m.run.seed ?? '?'],
    ['runtime', m.run.runtime + (m.run.runtimeReason ? ` (${m.run.runtimeReason})` : '')],
    ['cluster', `${m.run.nodes.length} nodes: ${m.run.nodes.join(', ')}`],
    ['election timeout', c ? `${c.electionTimeoutMin}–${c.electionTimeoutMax} ms` : '?'],
    ['heartbeat', c ? `${c.heartbeatInterval} ms` : '?'],
    ['RPC timeout', c ? `${c.rpcTimeout} ms` : '?'],
    ['pre-vote', c ? (c.preVote ? 'on' : 'off') : '?'],
    ['CheckQuorum', c ? (c.checkQuorum ? 'on' : 'off') : '?'],
    ['bugs', c ? (c.bugs.length ? c.bugs.join(', ') : 'none') : '?'],
    ['poll interval', c ? `${c.pollIntervalMs} ms` : '?'],
    ['duration', fmtMs(m.run.durationMs) + (m.run.runtime === 'sim' ? ' (virtual)' : '')],
    ['ran', m.run.ranAt ? m.run.ranAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC') : '?'],
  ];
  // Every verdict but valid says why in one line (as the console's `why:` and summary.json's `reason`).
  const reason = verdictReason(m.checks);
  if (reason) facts.unshift([`why ${m.verdict}`, reason]);
  if (m.run.runtime === 'sim') facts.push(['times', 'virtual, ms from the run start']);
  else facts.push(['times', 'ms from the run start']);
  if (c?.bounds) facts.push(['bounds', `election ≤ ${fmtMs(c.bounds.electionMs)}, step-down ≤ ${fmtMs(c.bounds.stepDownMs)}, recovery ≤ ${fmtMs(c.bounds.recoveryMs)}`]);

  const header = html`<header class="run ${m.verdict}">
  <div class="verdict ${m.verdict}" data-verdict="${m.verdict}">${m.verdict.toUpperCase()}<div class="verdict-sub">${verdictSub}</div>${c?.bugs.length ? html`<div class="verdict-sub expected-note">deliberate bug${c.bugs.length === 1 ? '' : 's'} ${c.bugs.join(', ')}: expected to fail${m.verdict === 'valid' ? ', and not caught' : m.verdict === 'invalid' ? ' (caught)' : ''}</div>` : ''}</div>
  <div class="run-title">${m.run.scenario}<span class="runid">${m.run.folder ?? m.run.runId}</span>${m.run.interrupted ? html` <span class="interrupted">${m.run.interrupted}</span>` : ''}</div>
  <dl class="facts">${facts.map(([k, v]) => html`<div><dt>${k}</dt><dd>${v}</dd></div>`)}</dl>
  <div class="replay"><span class="hint">replay:</span><code id="replay">${m.run.replay || '(not recorded)'}</code><button id="copy-replay" type="button">copy</button></div>
  ${m.links ? html`<nav class="links"><a href="${m.links.index}" data-link="index">← all runs</a><a href="${m.links.history}" data-link="history">history.jsonl</a><a href="${m.links.junit}" data-link="junit">junit.xml</a>${m.links.logs.length ? html`<span class="hint">logs:</span>${m.links.logs.map((l) => html`<a href="${l.href}" data-link="log">${l.name}</a>`)}` : html`<span class="hint">no node logs${m.run.runtime === 'sim' ? ' (simulated nodes)' : ''}</span>`}</nav>` : ''}
</header>`;

  const checks = html`<h2>Checks</h2>
<table class="checks"><thead><tr><th>verdict</th><th>check</th><th>what it found</th></tr></thead><tbody>
${m.checks.length ? m.checks.map((x) => html`<tr data-check="${x.name}"><td>${checkBadge(x)}</td><td class="name">${x.name}</td><td>${x.message}</td></tr>`) : html`<tr><td colspan="3" class="none">No checker ran.</td></tr>`}
</tbody></table>`;

  const legend = html`<div class="legend">${LEGEND.map(([, color, text]) => html`<span><i style="background:${raw(color)}"></i>${text}</span>`)}
<span><i style="background:repeating-linear-gradient(45deg,rgba(57,73,171,.15) 0 3px,rgba(57,73,171,.5) 3px 5px);border:1px dashed #3949ab"></i>fault window (lanes it touches)</span>
<span><i style="background:#00897b"></i>recovery window</span>
<span><svg width="14" height="14" viewBox="0 0 14 14"><path d="M7 1 l6 6 l-6 6 l-6 -6 z" fill="#1b5e20"/></svg>new leader</span>
<span><svg width="14" height="14" viewBox="0 0 14 14"><circle cx="7" cy="7" r="6" fill="#d32f2f"/><text x="7" y="11" text-anchor="middle" fill="#fff" font-size="10" font-weight="800">!</text></svg>check violation</span></div>`;

  const timeline = html`<h2>Timeline <small>one lane per node · colour = what the node said it was · text = its term</small></h2>
${legend}
<div class="toolbar"><button id="tl-fit" type="button">Whole run</button><button id="tl-out" type="button" title="zoom out">−</button><button id="tl-in" type="button" title="zoom in">+</button><button id="tl-left" type="button" title="earlier">◀</button><button id="tl-right" type="button" title="later">▶</button>
<select id="tl-jump" aria-label="jump to"><option value="">Jump to a fault, violation or leader change…</option></select><span class="range" id="tl-range"></span></div>
<div id="timeline"><div id="tip"></div><noscript><p class="none">The interactive timeline needs JavaScript; the tables below hold the same facts.</p></noscript></div>
<p class="hint">Scroll to zoom at the pointer, drag to pan, double-click to zoom in; hover a lane to see the poll there.</p>`;

  const storyItems = storyOf(m);
  const STORY_MAX = 16;
  const story = storyItems.length
    ? html`<h2>What happened</h2><ol class="story">${storyItems.slice(0, STORY_MAX).map((i) => html`<li><span class="at">${fmtMs(i.t)}</span>${i.text}</li>`)}${storyItems.length > STORY_MAX ? html`<li class="hint">… ${storyItems.length - STORY_MAX} more: use the timeline's jump list</li>` : ''}</ol>`
    : raw('');

  const violations = m.violations.length
    ? html`<h2>Violations <small>${m.violations.filter((v) => v.verdict === 'invalid').length} invalid, ${m.violations.filter((v) => v.verdict === 'unknown').length} unknown</small></h2>
${m.violations.map(
  (v) => html`<div class="violation-card ${v.verdict}" id="violation-${v.id}">
<h3><span class="badge ${v.verdict}">${v.verdict}</span> ${v.check}${v.start !== null ? html` <small class="hint">at ${fmtMs(v.start)}${v.end !== null && v.end > v.start ? html` – ${fmtMs(v.end)}` : ''}</small>` : ''}</h3>
<div>${v.message}</div>
${v.start !== null ? html`<button type="button" data-jump-start="${v.start}" data-jump-end="${v.end ?? v.start}">Show on the timeline</button>` : ''}
${v.witnesses.length ? html`<pre>${v.witnesses.join('\n')}</pre>` : html`<p class="none">No witnesses recorded.</p>`}
</div>`,
)}`
    : raw('');

  const failovers = html`<div><h2>Failover times <small id="failover-counts">time to a settled leader · ${failoverSub}</small></h2>
${m.failovers.length ? durationChart(m.failovers.map((f) => ({ label: f.label || f.faultId, ms: f.ms, atMs: f.atMs, judged: f.judged, missing: MISSING[f.outcome ?? ''] ?? 'no leader' })), { boundMs: m.electionBoundMs, boundLabel: 'bound' }) : html`<p class="none">No fault removed a leader, so there is no failover to measure.</p>`}</div>`;

  const stale = html`<div><h2>Stale leaders <small>deposed leaders still claiming leadership in an older term</small></h2>
${m.staleLeaders.length ? durationChart(m.staleLeaders.map((s) => ({ label: `${s.node}${s.term !== null ? ` (term ${s.term})` : ''}`, ms: s.ms, atMs: s.atMs })), { boundMs: c?.checkQuorum ? c.bounds.stepDownMs : null, boundLabel: 'step-down bound' }) : html`<p class="none">None reported.</p>`}</div>`;

  const faults = html`<h2>Faults</h2>
${m.faults.length ? html`<table><thead><tr><th>id</th><th>fault</th><th>from</th><th>to</th><th>held</th><th>targets</th><th>links cut / slowed</th><th>leader before</th><th></th></tr></thead><tbody>
${m.faults.map((f) => html`<tr data-fault-row="${f.id}"><td class="mono">${f.id}</td><td>${f.label} <span class="hint">(${f.kind})</span></td><td>${fmtMs(f.start)}</td><td>${f.healed ? fmtMs(f.end) : 'never healed'}</td><td>${fmtMs(f.end - f.start)}</td><td>${f.targets.join(', ') || '—'}</td><td class="mono">${f.cuts || f.links || '—'}</td><td>${f.leaderBefore ?? 'none'}${f.removesLeader ? ' (removed)' : ''}</td><td><button type="button" data-jump-start="${f.start}" data-jump-end="${f.end}">Show</button></td></tr>`)}
</tbody></table>` : html`<p class="none">No faults in this run.</p>`}`;

  const notes = m.notes.length
    ? html`<h2>Notes</h2><ul>${m.notes.map((n) => html`<li><span class="badge ${n.level === 'error' ? 'invalid' : n.level === 'warn' ? 'unknown' : 'valid'}">${n.level}</span> ${fmtMs(n.t)}: ${n.message}</li>`)}</ul>`
    : raw('');

  // The seed chapter's exercise scenarios record their figure as a note `exercise: ...` (harness/src/exercises).
  const exerciseNotes = m.notes.filter((n) => n.message.startsWith('exercise: '));
  const exercise = exerciseNotes.length
    ? html`<h2>Exercise</h2>${exerciseNotes.map((n) => html`<p class="exercise">${n.message.slice('exercise: '.length)}</p>`)}`
    : raw('');

  const body: SafeHtml = html`${header}<main>${checks}${exercise}${timeline}${story}${violations}${renderVotesSection(m.votes)}<div class="two">${failovers}${stale}</div>${faults}${notes}
<footer>raft-chaos report · run ${m.run.runId}${m.run.folder && m.run.folder !== m.run.runId ? ` (folder ${m.run.folder})` : ''} · rebuild with <code>npm run report &lt;history.jsonl&gt;</code></footer></main>`;

  return htmlPage({
    title: html`${m.verdict.toUpperCase()} · ${m.run.scenario} · ${m.run.runId}`,
    css: asset('report.css'),
    body,
    scripts: `<script type="application/json" id="report-data">${jsonForScript({ ...m, votes: undefined, voteTerms: m.votes.terms.map((d) => d.term) })}</script>
<script>${inlineSafe(asset('report.js'))}</script>
`,
  });
}

/**
 * "What happened": leader changes, faults and heals, settled leaders, violations and the
 * recovery window, in time order; in the same millisecond a cause comes before what it caused (a
 * fault, then its heal, then the recovery window, then a new leader, then a settled leader,
 * then a violation).
 */
export function storyOf(m: ReportModel): Array<{ t: number; rank: number; text: SafeHtml }> {
  const items: Array<{ t: number; rank: number; text: SafeHtml }> = [];
  for (const f of m.faults) {
    items.push({ t: f.start, rank: 0, text: html`fault <b>${f.label}</b> starts${f.leaderBefore ? html` (leader was ${f.leaderBefore})` : ''}` });
    if (f.healed) items.push({ t: f.end, rank: 1, text: html`fault ${f.label} healed after ${fmtMs(f.end - f.start)}` });
  }
  if (m.recovery) items.push({ t: m.recovery.start, rank: 2, text: html`recovery window starts${m.recovery.boundMs ? ` (${fmtMs(m.recovery.boundMs)})` : ''}` });
  for (const l of m.leaderChanges) items.push({ t: l.t, rank: 3, text: html`<b>${m.run.nodes[l.lane]}</b> became leader of term ${l.term}` });
  for (const f of m.failovers) {
    if (f.ms !== null) items.push({ t: f.atMs + f.ms, rank: 4, text: html`leader settled ${fmtMs(f.ms)} after “${f.label}”` });
    else if (f.judged) items.push({ t: f.atMs, rank: 4, text: html`no leader settled after “${f.label}”` });
    else items.push({ t: f.atMs, rank: 4, text: html`“${f.label}”: not judged (${MISSING[f.outcome ?? ''] ?? 'no measurement'})` });
  }
  for (const v of m.violations) if (v.start !== null) items.push({ t: v.start, rank: 5, text: html`<b class="${v.verdict}">${v.verdict === 'invalid' ? 'violation' : 'unknown'}</b>: ${v.check}` });
  // Within one millisecond the cause comes first, whatever the fractions say (a poll that saw
  // the effect may be stamped a fraction earlier than the fault entry that caused it).
  return items.sort((a, b) => Math.floor(a.t) - Math.floor(b.t) || a.rank - b.rank || a.t - b.t);
}

/**
 * A check's badge, as `judgement()` reads it: green `valid` only for a check that judged
 * something; a grey `not judged` / `not applicable` for a valid one that did not (its message
 * says why); `invalid` and `unknown` as such.
 */
export function checkBadge(x: { verdict: string; judgement?: string }): SafeHtml {
  const j = x.judgement ?? (x.verdict === 'valid' ? 'ok' : x.verdict);
  if (x.verdict === 'valid' && j !== 'ok') return html`<span class="badge na" data-judgement="${j}">${j}</span>`;
  return html`<span class="badge ${x.verdict}" data-judgement="${j}">${x.verdict}</span>`;
}
