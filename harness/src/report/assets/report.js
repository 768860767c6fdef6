/* The interactive timeline of a raft-chaos run report. Reads the JSON in #report-data and
 * draws it as SVG with DOM calls only (textContent/setAttribute): nothing from the history is
 * ever parsed as markup. No network, no dependencies. */
// The Votes section: open a term's diagram (from the timeline, a term chip or the URL), unfold/fold all.
(function () {
  'use strict';
  window.__openVotes = function (term) {
    var d = document.getElementById('votes-term-' + term);
    if (!d) return false;
    Array.prototype.forEach.call(document.querySelectorAll('details.vote-term.target'), function (x) { x.classList.remove('target'); });
    d.open = true;
    d.classList.add('target');
    d.scrollIntoView({ block: 'start' });
    return true;
  };
  Array.prototype.forEach.call(document.querySelectorAll('[data-term-chip]'), function (a) {
    a.addEventListener('click', function (e) { e.preventDefault(); window.__openVotes(+a.getAttribute('data-term-chip')); });
  });
  function all(open) { Array.prototype.forEach.call(document.querySelectorAll('details.vote-term'), function (d) { d.open = open; }); }
  // Follow one candidate: a click on a node's name dims every other election's arrows; again to clear.
  Array.prototype.forEach.call(document.querySelectorAll('svg.vote-diagram .vote-node'), function (g) {
    g.addEventListener('click', function () {
      var svg = g.ownerSVGElement, node = g.getAttribute('data-vote-node'), on = !g.classList.contains('focused');
      Array.prototype.forEach.call(svg.querySelectorAll('.vote-node.focused'), function (x) { x.classList.remove('focused'); });
      Array.prototype.forEach.call(svg.querySelectorAll('.vote-arrow'), function (a) {
        a.classList.toggle('hl', on && a.getAttribute('data-candidate') === node);
      });
      svg.classList.toggle('focus', on);
      if (on) g.classList.add('focused');
    });
  });
  var pre = document.getElementById('votes-show-pre'), section = document.querySelector('section.votes');
  if (pre && section) pre.addEventListener('change', function () { section.classList.toggle('hide-pre', !pre.checked); });
  var o = document.getElementById('votes-open-all'), f = document.getElementById('votes-fold-all');
  if (o) o.addEventListener('click', function () { all(true); });
  if (f) f.addEventListener('click', function () { all(false); });
})();
(function () {
  'use strict';
  var SVGNS = 'http://www.w3.org/2000/svg';
  var t0Render = performance.now();
  var M = JSON.parse(document.getElementById('report-data').textContent);
  var host = document.getElementById('timeline');
  var tip = document.getElementById('tip');
  var rangeEl = document.getElementById('tl-range');
  var jumpEl = document.getElementById('tl-jump');
  if (!host) return;

  var COLORS = {
    follower: '#90caf9', 'pre-candidate': '#cfe3f7', candidate: '#ffb300', leader: '#2e7d32',
    unreachable: '#d7d7d7', paused: '#ba68c8', killed: '#37474f'
  };
  var DARK = { leader: true, killed: true, paused: true };
  var nodes = M.lanes.map(function (l) { return l.node; });
  var total = Math.max(1, M.run.durationMs);
  M.lanes.forEach(function (l) { if (l.segs.length) total = Math.max(total, l.segs[l.segs.length - 1][1]); });
  var view = { t0: 0, t1: total };
  var MIN_SPAN = 2;

  var maxName = nodes.reduce(function (m, n) { return Math.max(m, n.length); }, 4);
  var GUTTER = Math.round(Math.min(240, Math.max(64, maxName * 7.6 + 20)));
  var RIGHT = 36, AXIS_H = 24, PHASE_H = 20, FAULT_H = 20, FAILOVER_H = 18, LANE_H = 30, LANE_GAP = 12;

  // Fault rows: a fault goes in the first row where it overlaps no other fault.
  var faultRowEnds = [];
  var faultRow = M.faults.map(function (f) {
    for (var r = 0; r < faultRowEnds.length; r++) {
      if (faultRowEnds[r] <= f.start) { faultRowEnds[r] = f.end; return r; }
    }
    faultRowEnds.push(f.end);
    return faultRowEnds.length - 1;
  });
  var FAULT_ROWS = Math.max(1, faultRowEnds.length);
  var FAILOVER_TOP = AXIS_H + PHASE_H + FAULT_ROWS * FAULT_H;
  var LANES_TOP = FAILOVER_TOP + (M.failovers.length ? FAILOVER_H : 0) + 12;
  var HEIGHT = LANES_TOP + nodes.length * (LANE_H + LANE_GAP) + 4;
  function laneY(i) { return LANES_TOP + i * (LANE_H + LANE_GAP); }

  function el(name, attrs, text) {
    var e = document.createElementNS(SVGNS, name);
    if (attrs) for (var k in attrs) if (Object.prototype.hasOwnProperty.call(attrs, k)) e.setAttribute(k, String(attrs[k]));
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function title(parent, text) { parent.appendChild(el('title', null, text)); return parent; }
  // The project's one time style (util/time-format.ts): ms, integers as they are, else one decimal.
  function fmt(ms) {
    if (!isFinite(ms)) return String(ms) + ' ms';
    var r = Math.round(ms * 10) / 10;
    return (r === Math.round(r) ? String(r) : r.toFixed(1)) + ' ms';
  }
  function fmtTick(ms, step) {
    return fmt(step >= 1 ? Math.round(ms) : Math.round(ms * 10) / 10);
  }
  function niceStep(raw) {
    var p = Math.pow(10, Math.floor(Math.log10(raw))), f = raw / p;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
  }
  function short(s, n) { s = String(s); return s.length > n ? s.slice(0, Math.max(1, n - 1)) + '\u2026' : s; }
  function str(i) { return i >= 0 ? M.strings[i] : null; }

  var plotW = 100;
  function x(t) { return GUTTER + ((t - view.t0) / (view.t1 - view.t0)) * plotW; }
  function tAt(px) { return view.t0 + ((px - GUTTER) / plotW) * (view.t1 - view.t0); }

  function segLabel(seg, w) {
    var state = M.states[seg[2]], term = seg[3], leader = str(seg[4]);
    var full, mid;
    if (state === 'leader') { full = 'leader \u00b7 term ' + term; mid = 'T' + term; }
    else if (state === 'candidate') { full = 'candidate \u00b7 term ' + term; mid = 'T' + term; }
    else if (state === 'pre-candidate') { full = 'pre-vote \u00b7 term ' + term; mid = 'T' + term; }
    else if (state === 'follower') { full = 'term ' + term + (leader ? ' \u00b7 follows ' + short(leader, 14) : ' \u00b7 no leader'); mid = 'T' + term; }
    else if (state === 'unreachable') { full = 'no answer (' + M.outcomes[seg[6]] + ')'; mid = M.outcomes[seg[6]]; }
    else { full = state; mid = state; }
    var chars = Math.floor((w - 8) / 6.2);
    if (full.length <= chars) return full;
    if (mid.length <= chars) return mid;
    return chars >= 2 && term >= 0 ? ('' + term).slice(0, chars) : '';
  }

  // The votedFor of a node's last successful poll at or before t ('?' when no poll said).
  function votedAt(lane, t) {
    var v = M.lanes[lane].votes || [], lo = 0, hi = v.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (v[mid][0] <= t) lo = mid + 1; else hi = mid; }
    if (lo === 0) return '?';
    return str(v[lo - 1][1]) || 'none';
  }

  function firstSegIdx(segs, t) {
    var lo = 0, hi = segs.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (segs[mid][1] < t) lo = mid + 1; else hi = mid; }
    return lo;
  }

  var svg, hoverLine;
  function render() {
    var width = Math.max(360, host.clientWidth);
    plotW = width - GUTTER - RIGHT;
    var s = el('svg', { width: width, height: HEIGHT, viewBox: '0 0 ' + width + ' ' + HEIGHT, role: 'img', 'aria-label': 'Election timeline' });
    var defs = el('defs');
    var clip = el('clipPath', { id: 'plot-clip' });
    clip.appendChild(el('rect', { x: GUTTER, y: 0, width: plotW, height: HEIGHT }));
    defs.appendChild(clip);
    var hatch = el('pattern', { id: 'fault-hatch', width: 8, height: 8, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' });
    hatch.appendChild(el('rect', { width: 8, height: 8, fill: 'rgba(57,73,171,0.10)' }));
    hatch.appendChild(el('line', { x1: 0, y1: 0, x2: 0, y2: 8, stroke: 'rgba(57,73,171,0.45)', 'stroke-width': 2 }));
    defs.appendChild(hatch);
    // Violation shading: thin diagonal lines and an outline, no tint, so every lane colour stays itself.
    [['violation-hatch-invalid', '#d32f2f'], ['violation-hatch-unknown', '#ff8f00']].forEach(function (v) {
      var p = el('pattern', { id: v[0], width: 9, height: 9, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(-45)' });
      p.appendChild(el('line', { x1: 0, y1: 0, x2: 0, y2: 9, stroke: v[1], 'stroke-width': 1.5, 'stroke-opacity': 0.9 }));
      defs.appendChild(p);
    });
    s.appendChild(defs);

    // Lane backgrounds and labels.
    nodes.forEach(function (n, i) {
      var g = el('g', { 'class': 'lane', 'data-node': n });
      g.appendChild(el('rect', { x: GUTTER, y: laneY(i), width: plotW, height: LANE_H, fill: '#f3f4f6' }));
      var lbl = el('text', { 'class': 'lane-label', x: GUTTER - 8, y: laneY(i) + LANE_H / 2 + 4, 'text-anchor': 'end' }, short(n, Math.floor((GUTTER - 14) / 7.6)));
      title(lbl, n);
      g.appendChild(lbl);
      s.appendChild(g);
    });

    var plot = el('g', { 'clip-path': 'url(#plot-clip)' });
    s.appendChild(plot);

    // Axis and grid.
    var span = view.t1 - view.t0;
    var step = niceStep(span / Math.max(2, plotW / 110));
    var axis = el('g', { 'class': 'axis' });
    for (var tt = Math.ceil(view.t0 / step) * step; tt <= view.t1; tt += step) {
      var xx = x(tt);
      axis.appendChild(el('line', { x1: xx, x2: xx, y1: AXIS_H - 4, y2: HEIGHT, stroke: '#eceff1' }));
      axis.appendChild(el('text', { x: xx, y: AXIS_H - 8, 'text-anchor': xx - GUTTER < 16 ? 'start' : GUTTER + plotW - xx < 30 ? 'end' : 'middle' }, fmtTick(tt, step)));
    }
    plot.appendChild(axis);

    // Phases and the recovery window.
    var phaseG = el('g', { 'class': 'phases' });
    // A phase label is drawn only where it does not run into the next phase's line or label;
    // every phase line has a tooltip with its name and time.
    var shownPhases = M.phases.filter(function (p) { return p.phase !== 'recovery'; });
    var labelEnd = -1e9;
    M.phases.forEach(function (p) {
      var px = x(p.t);
      var line = el('line', { x1: px, x2: px, y1: AXIS_H, y2: HEIGHT, stroke: '#90a4ae', 'stroke-dasharray': '3 3' });
      title(line, 'phase ' + p.phase + ' at ' + fmt(p.t) + (p.detail ? ': ' + p.detail : ''));
      phaseG.appendChild(line);
      if (p.phase === 'recovery') return;
      var i = shownPhases.indexOf(p), next = shownPhases[i + 1];
      var width = p.phase.length * 6.4 + 3;
      var room = (next ? x(next.t) : GUTTER + plotW) - px;
      if (px + 3 < labelEnd + 6 || width + 4 > room || px + 3 + width > GUTTER + plotW) return;
      phaseG.appendChild(el('text', { 'class': 'phase-label', x: px + 3, y: AXIS_H + 13, 'data-phase': p.phase }, p.phase));
      labelEnd = px + 3 + width;
    });
    if (M.recovery) {
      var rx = x(M.recovery.start), rw = Math.max(1, x(M.recovery.end) - rx);
      var rg = el('g', { 'class': 'recovery', 'data-recovery': '' });
      rg.appendChild(el('rect', { x: rx, y: AXIS_H + 2, width: rw, height: PHASE_H - 4, rx: 3, fill: '#00897b' }));
      rg.appendChild(el('rect', { x: rx, y: LANES_TOP - 4, width: rw, height: HEIGHT - LANES_TOP, fill: 'rgba(0,137,123,0.06)' }));
      var rtext = 'recovery window' + (M.recovery.boundMs ? ' \u00b7 must settle within ' + fmt(M.recovery.boundMs) : '');
      if (rw > 60) rg.appendChild(el('text', { x: Math.max(rx, GUTTER) + 5, y: AXIS_H + 14, fill: '#fff', 'font-weight': 600 }, short(rtext, Math.floor((rw - 8) / 6.2))));
      title(rg, rtext + ' (' + fmt(M.recovery.start) + ' \u2013 ' + fmt(M.recovery.end) + ')');
      phaseG.appendChild(rg);
    }
    plot.appendChild(phaseG);

    // Fault windows: a labelled bar in the fault rows and a hatched band over the lanes they touch.
    M.faults.forEach(function (f, fi) {
      var fx = x(f.start), fw = Math.max(2, x(f.end) - fx);
      if (fx > GUTTER + plotW || fx + fw < GUTTER) return;
      var g = el('g', { 'class': 'fault', 'data-fault': f.id });
      var lanes = f.lanes.slice().sort(function (a, b) { return a - b; });
      var runs = [];
      lanes.forEach(function (l) { var r = runs[runs.length - 1]; if (r && r[1] === l - 1) r[1] = l; else runs.push([l, l]); });
      runs.forEach(function (r) {
        var y0 = laneY(r[0]) - 5, y1 = laneY(r[1]) + LANE_H + 5;
        g.appendChild(el('rect', { 'class': 'fault-band', x: fx, y: y0, width: fw, height: y1 - y0, fill: 'rgba(57,73,171,0.07)', stroke: '#3949ab', 'stroke-width': 1.2, 'stroke-dasharray': '5 3', rx: 3 }));
      });
      // The nodes the fault aims at get the strong hatch (the isolated, killed or paused ones).
      f.targets.forEach(function (n) {
        var l = nodes.indexOf(n);
        if (l < 0) return;
        g.appendChild(el('rect', { 'class': 'fault-target', x: fx, y: laneY(l) - 5, width: fw, height: LANE_H + 10, fill: 'url(#fault-hatch)' }));
      });
      var fy = AXIS_H + PHASE_H + faultRow[fi] * FAULT_H + 1;
      g.appendChild(el('rect', { x: fx, y: fy, width: fw, height: FAULT_H - 3, rx: 3, fill: '#3949ab' }));
      var label = 'fault: ' + f.label + (f.healed ? '' : ' (never healed)');
      var vis = Math.max(fx, GUTTER);
      var room = Math.min(fx + fw, GUTTER + plotW) - vis;
      if (room > 24) g.appendChild(el('text', { 'class': 'fault-label', x: vis + 5, y: fy + 12 }, short(label, Math.floor((room - 8) / 6.4))));
      title(g, label + '\n' + fmt(f.start) + ' \u2013 ' + fmt(f.end) + ' (' + fmt(f.end - f.start) + ')' +
        (f.cuts ? '\ncut links: ' + f.cuts : '') + (f.links ? '\nlinks: ' + f.links : '') +
        (f.leaderBefore ? '\nleader before: ' + f.leaderBefore : ''));
      plot.appendChild(g);
    });

    // Failovers: a bracket from the fault to the settled leader, with its duration.
    var foTextEnd = -1e9;
    M.failovers.forEach(function (fo) {
      var g = el('g', { 'class': 'failover', 'data-failover': fo.faultId });
      var judged = fo.judged !== false;
      var over = judged && (fo.ms === null || (M.electionBoundMs !== null && fo.ms > M.electionBoundMs));
      var color = !judged ? '#78909c' : over ? '#d32f2f' : '#2e7d32';
      var end = fo.ms === null ? (judged ? total : fo.atMs) : fo.atMs + fo.ms;
      g.setAttribute('data-judged', judged ? 'yes' : 'no');
      var x0 = x(fo.atMs), x1 = Math.max(x0 + 2, x(end)), y = FAILOVER_TOP + FAILOVER_H / 2 + 1;
      if (x1 < GUTTER || x0 > GUTTER + plotW) return;
      g.appendChild(el('line', { x1: x0, x2: x1, y1: y, y2: y, stroke: color, 'stroke-width': 2 }));
      g.appendChild(el('line', { x1: x0, x2: x0, y1: y - 5, y2: y + 5, stroke: color, 'stroke-width': 2 }));
      g.appendChild(el('line', { x1: x1, x2: x1, y1: y - 5, y2: y + 5, stroke: color, 'stroke-width': 2 }));
      var text = !judged ? 'not judged' : fo.ms === null ? 'no leader settled' : (fo.kind === 'heal' ? 'after heal ' : 'failover ') + fmt(fo.ms);
      if (x1 + 5 > foTextEnd + 6) {
        g.appendChild(el('text', { x: x1 + 5, y: y + 4, fill: color, 'font-weight': fo.kind === 'heal' ? 400 : 700 }, text));
        foTextEnd = x1 + 5 + text.length * 6.6;
      }
      title(g, fo.label + ': ' + text + (M.electionBoundMs !== null ? ' (bound ' + fmt(M.electionBoundMs) + ')' : ''));
      plot.appendChild(g);
    });

    // Segments, with sub-pixel runs coalesced into one rect coloured by the state that dominates it.
    var segG = el('g', { 'class': 'segments' });
    var left = GUTTER, right = GUTTER + plotW;
    M.lanes.forEach(function (lane, li) {
      var y = laneY(li) + 3, h = LANE_H - 6;
      var segs = lane.segs, bucket = null;
      function flush() {
        if (!bucket) return;
        var best = null, bw = -1;
        for (var k in bucket.acc) if (bucket.acc[k] > bw) { bw = bucket.acc[k]; best = k; }
        segG.appendChild(el('rect', { x: bucket.x0, y: y, width: Math.max(0.6, bucket.x1 - bucket.x0), height: h, fill: COLORS[best] }));
        bucket = null;
      }
      for (var i = firstSegIdx(segs, view.t0); i < segs.length && segs[i][0] <= view.t1; i++) {
        var sg = segs[i], state = M.states[sg[2]];
        var xs = Math.max(x(sg[0]), left - 2), xe = Math.min(x(sg[1]), right + 2), w = xe - xs;
        if (w < 1.5) {
          if (bucket && xs - bucket.x1 > 1) flush();
          if (!bucket) bucket = { x0: xs, x1: xe, acc: {} };
          bucket.x1 = xe;
          bucket.acc[state] = (bucket.acc[state] || 0) + Math.max(w, 0.01);
          if (bucket.x1 - bucket.x0 >= 2) flush();
          continue;
        }
        flush();
        segG.appendChild(el('rect', { x: xs, y: y, width: w, height: h, fill: COLORS[state], stroke: '#fff', 'stroke-width': 0.5 }));
        var text = segLabel(sg, w);
        if (text) segG.appendChild(el('text', { 'class': 'seg-text' + (DARK[state] ? ' on-dark' : ''), x: xs + 4, y: y + h / 2 + 4 }, text));
      }
      flush();
    });
    plot.appendChild(segG);

    // Leader changes: a diamond on the new leader's lane.
    var lcG = el('g', { 'class': 'leader-changes' });
    var lcRoom = (view.t1 - view.t0) / plotW * 40;
    var lastLabelX = {};
    M.leaderChanges.forEach(function (c) {
      if (c.t < view.t0 - lcRoom || c.t > view.t1 + lcRoom) return;
      var cx = x(c.t), cy = laneY(c.lane) - 1;
      var g = el('g', { 'class': 'leader-change', 'data-leader-change': nodes[c.lane] + '@' + c.term });
      g.appendChild(el('line', { x1: cx, x2: cx, y1: cy, y2: cy + LANE_H + 2, stroke: '#1b5e20', 'stroke-width': 2 }));
      g.appendChild(el('path', { d: 'M' + cx + ' ' + (cy - 6) + ' l6 6 l-6 6 l-6 -6 z', fill: '#1b5e20', stroke: '#fff', 'stroke-width': 1 }));
      if (cx >= GUTTER && !(cx - (lastLabelX[c.lane] || -1e9) < 110)) {
        g.appendChild(el('text', { 'class': 'leader-mark-label', x: cx + 8, y: cy + 2 }, 'new leader \u00b7 term ' + c.term));
        lastLabelX[c.lane] = cx;
      }
      var hasVotes = !!voteTerms[c.term];
      if (hasVotes) { g.setAttribute('data-votes-term', c.term); g.setAttribute('style', 'cursor:pointer'); }
      title(g, short(nodes[c.lane], 60) + ' became leader of term ' + c.term + ' at ' + fmt(c.t) + ' (seen in ' + (c.source === 'event' ? "the node's events" : 'a poll') + ')' + (hasVotes ? '\nclick: the votes of term ' + c.term : ''));
      lcG.appendChild(g);
    });
    plot.appendChild(lcG);

    // Violations: red marks on the lanes of the witnesses, and a band over their time span.
    var vG = el('g', { 'class': 'violations' });
    M.violations.forEach(function (v) {
      if (!v.marks.length) return;
      var color = v.verdict === 'invalid' ? '#d32f2f' : '#ff8f00';
      var g = el('g', { 'class': 'violation', 'data-check': v.check, 'data-violation-id': v.id, style: 'cursor:pointer' });
      if (v.verdict === 'invalid') g.setAttribute('data-violation', v.check); else g.setAttribute('data-unknown', v.check);
      var lanesHit = {};
      v.marks.forEach(function (m) { lanesHit[m.lane] = true; });
      if (v.end > v.start) {
        Object.keys(lanesHit).forEach(function (l) {
          l = +l;
          var y0 = l < 0 ? LANES_TOP - 4 : laneY(l) - 2, hh = l < 0 ? HEIGHT - LANES_TOP : LANE_H + 4;
          g.appendChild(el('rect', { 'class': 'violation-band', x: x(v.start), y: y0, width: Math.max(2, x(v.end) - x(v.start)), height: hh, fill: 'url(#violation-hatch-' + (v.verdict === 'invalid' ? 'invalid' : 'unknown') + ')', stroke: color, 'stroke-width': 1.5 }));
        });
      }
      var labelled = {};
      v.marks.forEach(function (m) {
        var mx = x(m.t);
        if (mx < GUTTER - 10 || mx > GUTTER + plotW + 10) return;
        var y0 = m.lane < 0 ? LANES_TOP - 4 : laneY(m.lane) - 3, y1 = m.lane < 0 ? HEIGHT : laneY(m.lane) + LANE_H + 3;
        g.appendChild(el('line', { x1: mx, x2: mx, y1: y0, y2: y1, stroke: color, 'stroke-width': 2.5 }));
        if (!labelled[m.lane]) {
          labelled[m.lane] = true;
          g.appendChild(el('circle', { cx: mx, cy: y0, r: 7, fill: color, stroke: '#fff', 'stroke-width': 1.5 }));
          g.appendChild(el('text', { x: mx, y: y0 + 4, 'text-anchor': 'middle', fill: '#fff', 'font-weight': 800, 'font-size': 11 }, '!'));
        }
      });
      title(g, (v.verdict === 'invalid' ? 'VIOLATION' : 'UNKNOWN') + ' \u2014 ' + v.check + ': ' + v.message + '\n(click for the witnesses)');
      g.addEventListener('click', function (ev) {
        ev.stopPropagation();
        var card = document.getElementById('violation-' + v.id);
        if (card) card.scrollIntoView({ behavior: 'smooth', block: 'center' });
      });
      vG.appendChild(g);
    });
    plot.appendChild(vG);

    hoverLine = el('line', { x1: -10, x2: -10, y1: AXIS_H, y2: HEIGHT, stroke: '#263238', 'stroke-width': 1, 'pointer-events': 'none', visibility: 'hidden' });
    s.appendChild(hoverLine);

    if (svg) host.replaceChild(s, svg); else host.insertBefore(s, host.firstChild);
    svg = s;
    if (rangeEl) rangeEl.textContent = 'showing ' + fmt(view.t0) + ' \u2013 ' + fmt(view.t1) + ' (' + fmt(view.t1 - view.t0) + ' of ' + fmt(total) + ')';
  }

  var pending = false;
  function schedule() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; render(); });
  }
  function setView(a, b) {
    var span = Math.min(Math.max(b - a, MIN_SPAN), total * 1.1);
    var mid = (a + b) / 2;
    a = mid - span / 2; b = mid + span / 2;
    var lo = -total * 0.02, hi = total * 1.02;
    if (a < lo) { b += lo - a; a = lo; }
    if (b > hi) { a -= b - hi; b = hi; }
    view.t0 = Math.max(lo, a); view.t1 = b;
    schedule();
  }
  function zoom(factor, atT) {
    if (atT === undefined) atT = (view.t0 + view.t1) / 2;
    setView(atT - (atT - view.t0) * factor, atT + (view.t1 - atT) * factor);
  }
  function pan(frac) { var d = (view.t1 - view.t0) * frac; setView(view.t0 + d, view.t1 + d); }
  function jumpTo(start, end) {
    var span = Math.max(end - start, 50);
    var pad = Math.max(span * 0.15, 150);
    setView(start - pad, end + pad);
  }

  host.addEventListener('wheel', function (e) {
    e.preventDefault();
    var rect = host.getBoundingClientRect();
    if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) { pan((e.deltaX || e.deltaY) / plotW); return; }
    var t = tAt(e.clientX - rect.left);
    zoom(Math.exp(e.deltaY * 0.0015), Math.min(Math.max(t, view.t0), view.t1));
  }, { passive: false });

  var drag = null;
  host.addEventListener('pointerdown', function (e) {
    if (e.button !== 0) return;
    drag = { x: e.clientX, t0: view.t0, t1: view.t1, moved: false };
    host.classList.add('dragging');
  });
  window.addEventListener('pointermove', function (e) {
    if (!drag) return;
    var dx = e.clientX - drag.x;
    if (Math.abs(dx) > 2) drag.moved = true;
    var dt = (dx / plotW) * (drag.t1 - drag.t0);
    setView(drag.t0 - dt, drag.t1 - dt);
  });
  var dragMoved = false;
  window.addEventListener('pointerup', function () { dragMoved = !!(drag && drag.moved); drag = null; host.classList.remove('dragging'); });

  // Votes: a click on a leader mark opens its term's diagram; a click on a lane opens the
  // diagram of the term shown there (for a pre-vote, the term it asked for).
  var voteTerms = {};
  (M.voteTerms || []).forEach(function (t) { voteTerms[t] = true; });
  host.addEventListener('click', function (e) {
    if (dragMoved) return;
    var mark = e.target.closest && e.target.closest('[data-votes-term]');
    if (mark) { openVotes(+mark.getAttribute('data-votes-term')); return; }
    var term = termAtPointer(e);
    if (term !== null) openVotes(term);
  });
  function termAtPointer(e) {
    var rect = host.getBoundingClientRect();
    var px = e.clientX - rect.left, py = e.clientY - rect.top;
    if (px < GUTTER || px > GUTTER + plotW) return null;
    var t = tAt(px);
    for (var i = 0; i < nodes.length; i++) {
      if (py < laneY(i) || py >= laneY(i) + LANE_H) continue;
      var segs = M.lanes[i].segs, sg = segs[firstSegIdx(segs, t)];
      if (!sg || sg[0] > t || sg[3] < 0) return null;
      var term = sg[3];
      if (M.states[sg[2]] === 'pre-candidate' && voteTerms[term + 1]) return term + 1;
      return voteTerms[term] ? term : null;
    }
    return null;
  }
  host.addEventListener('dblclick', function (e) {
    var rect = host.getBoundingClientRect();
    zoom(e.shiftKey ? 2 : 0.5, tAt(e.clientX - rect.left));
  });

  // Hover: the merged sample under the pointer.
  host.addEventListener('mousemove', function (e) {
    if (drag && drag.moved) { tip.style.display = 'none'; return; }
    var rect = host.getBoundingClientRect();
    var px = e.clientX - rect.left, py = e.clientY - rect.top;
    if (px < GUTTER || px > GUTTER + plotW) { hide(); return; }
    var t = tAt(px);
    hoverLine.setAttribute('x1', px); hoverLine.setAttribute('x2', px); hoverLine.setAttribute('visibility', 'visible');
    var lane = -1;
    for (var i = 0; i < nodes.length; i++) if (py >= laneY(i) - LANE_GAP / 2 && py < laneY(i) + LANE_H + LANE_GAP / 2) lane = i;
    var lines = [];
    if (lane >= 0) {
      var segs = M.lanes[lane].segs, k = firstSegIdx(segs, t), sg = segs[k];
      lines.push(nodes[lane] + '  at ' + fmt(t));
      if (sg && sg[0] <= t) {
        var st = M.states[sg[2]];
        if (sg[6] === 0) lines.push(st + ' \u00b7 term ' + sg[3] + ' \u00b7 leader ' + (str(sg[4]) || 'none') + ' \u00b7 votedFor ' + votedAt(lane, t));
        else lines.push(st + ' \u00b7 poll ' + M.outcomes[sg[6]] + (str(sg[7]) ? ': ' + str(sg[7]) : ''));
        lines.push(sg[5] + ' identical poll' + (sg[5] === 1 ? '' : 's') + ', ' + fmt(sg[0]) + ' \u2013 ' + fmt(sg[1]) + ' (' + fmt(sg[1] - sg[0]) + ')');
        var vt = termAtPointer(e);
        if (vt !== null) lines.push('click: the votes of term ' + vt);
      } else lines.push('no poll data here');
      M.procs.forEach(function (p) { if (p[0] === lane && p[2] <= t && t <= p[3]) lines.push('process ' + p[1] + ' ' + fmt(p[2]) + ' \u2013 ' + fmt(p[3])); });
    } else lines.push(fmt(t));
    M.faults.forEach(function (f) {
      if (f.start <= t && t <= f.end && (lane < 0 || f.lanes.indexOf(lane) >= 0)) lines.push('fault: ' + f.label + ' (' + fmt(f.start) + ' \u2013 ' + fmt(f.end) + ')');
    });
    var near = (view.t1 - view.t0) / plotW * 6;
    M.violations.forEach(function (v) {
      v.marks.some(function (m) {
        if ((m.lane === lane || m.lane < 0) && Math.abs(m.t - t) <= near) { lines.push((v.verdict === 'invalid' ? 'VIOLATION ' : 'UNKNOWN ') + v.check + ': ' + v.message); return true; }
        return false;
      });
    });
    tip.textContent = lines.join('\n');
    tip.style.display = 'block';
    var tx = px + 14, ty = py + 14;
    if (tx + tip.offsetWidth > rect.width) tx = Math.max(0, px - tip.offsetWidth - 10);
    if (ty + tip.offsetHeight > rect.height) ty = Math.max(0, py - tip.offsetHeight - 10);
    tip.style.left = tx + 'px'; tip.style.top = ty + 'px';
  });
  function openVotes(term) { return window.__openVotes ? window.__openVotes(term) : false; }
  function hide() { tip.style.display = 'none'; if (hoverLine) hoverLine.setAttribute('visibility', 'hidden'); }
  host.addEventListener('mouseleave', hide);

  function on(id, fn) { var b = document.getElementById(id); if (b) b.addEventListener('click', fn); }
  on('tl-in', function () { zoom(0.5); });
  on('tl-out', function () { zoom(2); });
  on('tl-left', function () { pan(-0.4); });
  on('tl-right', function () { pan(0.4); });
  on('tl-fit', function () { setView(0, total); });

  // Jump list: faults, violations, leader changes.
  if (jumpEl) {
    var targets = [];
    M.violations.forEach(function (v) { if (v.start !== null) targets.push([(v.verdict === 'invalid' ? '\u26a0 violation: ' : '? unknown: ') + v.check + ' at ' + fmt(v.start), v.start, v.end]); });
    M.faults.forEach(function (f) { targets.push(['fault ' + f.id + ': ' + short(f.label, 60) + ' at ' + fmt(f.start), f.start, f.end]); });
    M.leaderChanges.slice(0, 300).forEach(function (c) { targets.push(['leader ' + short(nodes[c.lane], 30) + ' term ' + c.term + ' at ' + fmt(c.t), c.t - 400, c.t + 100]); });
    if (M.recovery) targets.push(['recovery window at ' + fmt(M.recovery.start), M.recovery.start, M.recovery.end]);
    targets.forEach(function (tg, i) {
      var o = document.createElement('option');
      o.value = String(i); o.textContent = tg[0];
      jumpEl.appendChild(o);
    });
    jumpEl.addEventListener('change', function () {
      var tg = targets[+jumpEl.value];
      if (tg) jumpTo(tg[1], tg[2]);
      jumpEl.value = '';
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll('[data-jump-start]'), function (b) {
    b.addEventListener('click', function () {
      jumpTo(+b.getAttribute('data-jump-start'), +b.getAttribute('data-jump-end'));
      host.scrollIntoView({ behavior: 'smooth', block: 'center' });
    });
  });

  window.addEventListener('resize', schedule);
  render();
  if (location.hash && /^#votes-term-\d+$/.test(location.hash)) openVotes(+location.hash.slice(12));
  document.documentElement.setAttribute('data-rendered', '1');
  window.__reportRenderMs = performance.now() - t0Render;
  window.__reportRenderedAt = performance.now();
})();
(function () {
  'use strict';
  var b = document.getElementById('copy-replay'), code = document.getElementById('replay');
  if (!b || !code) return;
  b.addEventListener('click', function () {
    var text = code.textContent;
    var done = function () { b.textContent = 'copied'; setTimeout(function () { b.textContent = 'copy'; }, 1500); };
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).then(done, select);
    else select();
    function select() { var r = document.createRange(); r.selectNodeContents(code); var s = getSelection(); s.removeAllRanges(); s.addRange(r); }
  });
})();
