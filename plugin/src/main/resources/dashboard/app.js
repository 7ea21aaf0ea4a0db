// wavegate dashboard: one page, no external asset, no framework. Every string from the cluster goes in as
// text (textContent, or drawn on the canvas), never as markup: names, messages and labels are attacker input.
'use strict';

const token = document.querySelector('meta[name="wavegate-token"]').content;
const readOnly = document.querySelector('meta[name="wavegate-read-only"]').content === 'true';
const STATES = ['Stable', 'New', 'Applying', 'Failed', 'Unavailable', 'Held', 'Other'];
const $ = (id) => document.getElementById(id);

let selected = decodeURIComponent(location.hash.slice(1));
let source = null;
let picture = null;
// what the map drew: per group its rows, for hover and for the tests' look at the pixels
let layout = { groups: [], cells: new Map(), size: 0 };

if (readOnly) {
  $('actions').remove();
  $('stop-line').remove();
  $('mode').textContent = 'read-only';
} else {
  $('stop-line').hidden = false;
}

function text(el, value) {
  el.textContent = value === null || value === undefined || value === '' ? '-' : String(value);
  return el;
}

function row(tbody, values, mono) {
  const tr = document.createElement('tr');
  values.forEach((v, i) => {
    const td = text(document.createElement('td'), v);
    if (mono && mono.includes(i)) td.className = 'mono';
    tr.appendChild(td);
  });
  tbody.appendChild(tr);
}

function connect() {
  if (source) source.close();
  const url = '/api/stream?token=' + encodeURIComponent(token)
      + (selected ? '&rollout=' + encodeURIComponent(selected) : '');
  source = new EventSource(url);
  source.onopen = () => text($('connection'), 'live');
  source.onerror = () => text($('connection'), 'reconnecting…');
  source.onmessage = (event) => {
    picture = JSON.parse(event.data);
    render();
  };
}

function render() {
  renderList(picture.rollouts);
  const detail = picture.detail;
  $('empty').hidden = !!detail;
  $('rollout').hidden = !detail;
  if (detail) renderDetail(detail);
}

function renderList(rollouts) {
  const ul = $('rollouts');
  ul.replaceChildren();
  for (const r of rollouts) {
    const li = document.createElement('li');
    li.dataset.name = r.name;
    if (r.name === selected) li.className = 'selected';
    li.appendChild(text(document.createElement('span'), r.name));
    const phase = text(document.createElement('span'), r.phase);
    phase.className = 'phase ' + (r.phase || '');
    li.appendChild(phase);
    li.addEventListener('click', () => {
      selected = r.name;
      location.hash = encodeURIComponent(r.name);
      connect();
    });
    ul.appendChild(li);
  }
}

function renderDetail(d) {
  const s = d.status || {};
  text($('name'), d.name);
  const phase = text($('phase'), (s.phase || 'not observed yet')
      + (d.paused && s.phase !== 'Paused' ? ' (paused)' : ''));
  phase.className = 'phase ' + (s.phase || '');
  text($('revision'), 'revision ' + (s.revision || d.revision) + (s.stableRevision ? ', stable ' + s.stableRevision : ''));
  text($('message'), s.message);
  note($('stopped'), s.stall, 'Stopped');
  note($('waiting'), s.wait, 'Waiting');
  renderWaves(s.waves || []);
  const h = s.health || {};
  text($('health'), 'unready ' + (h.unreadyNodes || 0) + ', reboots ' + (h.nodeReboots || 0) + ', crashing pods '
      + (h.crashingPods || 0) + ', content failures ' + (h.contentFailures || 0)
      + ((h.offendingNodes || []).length ? '; nodes: ' + h.offendingNodes.join(', ') : '')
      + (s.stall && (s.phase === 'RollingBack' || s.phase === 'RolledBack') && !h.unreadyNodes && !h.nodeReboots
        && !h.crashingPods && !h.contentFailures ? ' (now, after the rollback; what stopped it is under Stopped)' : ''));
  const metrics = $('metrics').tBodies[0];
  metrics.replaceChildren();
  for (const m of h.metrics || []) {
    row(metrics, [m.name, m.value, m.outcome, m.message,
      m.template ? m.template + ' (generation ' + m.templateGeneration + ')' : 'inline']);
  }
  const history = $('history').tBodies[0];
  history.replaceChildren();
  for (const e of s.history || []) {
    row(history, [e.revision ? e.revision.slice(0, 12) : '-', e.outcome, e.reason, when(e.startedAt),
      when(e.finishedAt)], [0]);
  }
  drawMap(d.map);
}

function note(el, value, title) {
  el.hidden = !value;
  if (value) text(el, title + ': ' + value.reason + ' — ' + value.message);
}

function renderWaves(waves) {
  const tbody = $('waves').tBodies[0];
  tbody.replaceChildren();
  for (const w of waves) {
    row(tbody, [w.name, w.phase, w.nodes, w.updated, w.ready, w.unavailable, w.held, bakeLeft(w)]);
  }
}

/** A time as people read it: to the second, with how long ago. */
function when(time) {
  const at = Date.parse(time);
  if (!time || Number.isNaN(at)) return time;
  const seconds = Math.max(0, Math.round((Date.now() - at) / 1000));
  const ago = seconds < 120 ? seconds + 's' : seconds < 7200 ? Math.round(seconds / 60) + 'm'
      : seconds < 172800 ? Math.round(seconds / 3600) + 'h' : Math.round(seconds / 86400) + 'd';
  return new Date(at).toISOString().replace(/\.\d+Z$/, 'Z') + ' (' + ago + ' ago)';
}

function bakeLeft(wave) {
  if (wave.phase !== 'Baking' || !wave.bakeUntil) return '-';
  const seconds = Math.max(0, Math.round((Date.parse(wave.bakeUntil) - Date.now()) / 1000));
  return (seconds >= 60 ? Math.floor(seconds / 60) + 'm ' : '') + (seconds % 60) + 's';
}

function colours() {
  const style = getComputedStyle(document.documentElement);
  return STATES.map((s) => style.getPropertyValue('--' + s.toLowerCase()).trim());
}

/** Cell size and gap for a fleet of this many nodes: 20,000 cells still fit a screen. */
function cellSize(count) {
  if (count <= 400) return 14;
  if (count <= 3000) return 8;
  if (count <= 12000) return 5;
  return 4;
}

function drawMap(map) {
  const started = performance.now();
  const canvas = $('map');
  const total = map.groups.reduce((n, g) => n + g.cells.length, 0);
  const size = cellSize(total);
  const step = size + 1;
  const width = Math.max(300, Math.min(1400, $('main').clientWidth - 40));
  const perRow = Math.floor(width / step);
  const labelHeight = 18;
  let height = 0;
  for (const g of map.groups) height += labelHeight + Math.ceil(g.cells.length / perRow) * step + 6;
  canvas.width = width;
  canvas.height = Math.max(height, 20);
  const ctx = canvas.getContext('2d');
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  const palette = colours();
  const counts = STATES.map(() => 0);
  layout = { groups: [], cells: new Map(), size, step, perRow };
  let y = 0;
  for (const g of map.groups) {
    ctx.fillStyle = '#374151';
    ctx.font = '12px system-ui, sans-serif';
    ctx.fillText('wave ' + g.wave + ' · pool ' + g.pool + ' · ' + g.cells.length, 0, y + 13);
    const top = y + labelHeight;
    layout.groups.push({ top, rows: Math.ceil(g.cells.length / perRow), cells: g.cells, wave: g.wave, pool: g.pool });
    g.cells.forEach((cell, i) => {
      const x = (i % perRow) * step;
      const cy = top + Math.floor(i / perRow) * step;
      ctx.fillStyle = palette[cell[1]];
      ctx.fillRect(x, cy, size, size);
      counts[cell[1]]++;
      layout.cells.set(cell[0], { x, y: cy, state: STATES[cell[1]], detail: cell[2] });
    });
    y = top + Math.ceil(g.cells.length / perRow) * step + 6;
  }
  renderLegend(counts);
  window.wavegateDashboard.drawMillis = performance.now() - started;
}

function renderLegend(counts) {
  const legend = $('legend');
  legend.replaceChildren();
  STATES.forEach((state, i) => {
    const span = text(document.createElement('span'), state + ' ' + counts[i]);
    span.dataset.state = state;
    span.dataset.count = String(counts[i]);
    span.style.setProperty('--swatch', 'var(--' + state.toLowerCase() + ')');
    legend.appendChild(span);
  });
}

function cellAt(px, py) {
  for (const g of layout.groups) {
    if (py < g.top || py >= g.top + g.rows * layout.step) continue;
    const col = Math.floor(px / layout.step);
    const index = Math.floor((py - g.top) / layout.step) * layout.perRow + col;
    if (col < layout.perRow && index < g.cells.length) return g.cells[index];
  }
  return null;
}

$('map').addEventListener('mousemove', (event) => {
  const rect = event.target.getBoundingClientRect();
  const cell = cellAt(event.clientX - rect.left, event.clientY - rect.top);
  const tip = $('tooltip');
  tip.hidden = !cell;
  if (cell) {
    text(tip, cell[0] + ' — ' + STATES[cell[1]] + '\n' + cell[2]);
    tip.style.left = (event.clientX - rect.left + 16) + 'px';
    tip.style.top = (event.clientY - rect.top + 16) + 'px';
  }
});
$('map').addEventListener('mouseleave', () => { $('tooltip').hidden = true; });

async function post(path, question) {
  if (!window.confirm(question)) return;
  const response = await fetch(path, { method: 'POST', headers: { 'X-Wavegate-Token': token } });
  const body = await response.json().catch(() => ({ message: response.statusText }));
  text($('action-result'), body.message);
}

if (!readOnly) {
  for (const button of document.querySelectorAll('#actions button')) {
    button.addEventListener('click', () => post('/api/rollouts/' + encodeURIComponent(selected) + '/'
        + button.dataset.action, button.dataset.action + ' the rollout ' + selected + '?'));
  }
  $('stop-line').addEventListener('click', () => post('/api/stop',
      'Stop the line: abort every rollout in flight, on every channel?'));
}

// what a person sees, for the browser tests: a node's state, and the state whose colour its cell has
window.wavegateDashboard = {
  drawMillis: 0,
  stateOf(node) {
    const cell = layout.cells.get(node);
    return cell ? cell.state : null;
  },
  /** Where the node's cell is on the canvas. */
  cellOf(node) {
    const cell = layout.cells.get(node);
    return cell ? { x: cell.x, y: cell.y } : null;
  },
  /** Cells drawn per state, in the legend's order. */
  counts() {
    return STATES.map((state) => Number(document.querySelector('#legend span[data-state="' + state + '"]')
        ?.dataset.count || 0));
  },
  colourAt(node) {
    const cell = layout.cells.get(node);
    if (!cell) return null;
    const [r, g, b] = $('map').getContext('2d').getImageData(cell.x + 1, cell.y + 1, 1, 1).data;
    const hex = '#' + [r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('');
    const index = colours().indexOf(hex);
    return index < 0 ? hex : STATES[index];
  },
  /** Draws a map of n synthetic nodes (every state) and returns the milliseconds it took. */
  drawSynthetic(n) {
    const cells = [];
    for (let i = 0; i < n; i++) cells.push(['node-' + i, i % STATES.length, 'synthetic']);
    $('rollout').hidden = false;
    drawMap({ groups: [{ wave: 'broad', pool: 'synthetic', cells }] });
    return window.wavegateDashboard.drawMillis;
  },
};

window.addEventListener('hashchange', () => {
  const name = decodeURIComponent(location.hash.slice(1));
  if (name !== selected) {
    selected = name;
    connect();
  }
});
connect();
