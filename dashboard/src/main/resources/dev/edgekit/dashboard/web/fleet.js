// The fleet: one row per device, live, sortable, filterable with the query language of `edgekit devices`.
import { el, getJSON, sessionInfo, serverNow, setStatus, markNav, fmtAge, fmtUs, fmtPhi, fmtTime, deviceHref,
  openStream }
  from './common.js';

const COLUMNS = [
  { key: 'device', label: 'Device', sort: (r) => r.key },
  { key: 'site', label: 'Site', sort: (r) => r.site },
  { key: 'state', label: 'State', sort: (r) => STATE_ORDER[r.state] ?? 9 },
  { key: 'phi', label: 'φ', sort: (r) => r.phi ?? -1, num: true },
  { key: 'seen', label: 'Last seen', sort: (r) => -(r.lastSeen ?? 0), num: true },
  { key: 'hb', label: 'Heartbeat age', sort: (r) => -(r.heartbeatAt ?? 0), num: true },
  { key: 'offset', label: 'Clock offset', sort: (r) => Math.abs(r.offsetUs ?? 1e15), num: true },
  { key: 'bound', label: 'Error bound', sort: (r) => r.boundUs ?? 1e15, num: true },
  { key: 'stratum', label: 'Stratum', sort: (r) => r.stratum ?? 99, num: true },
  { key: 'outbox', label: 'Outbox (dropped)', sort: (r) => r.outboxDepth ?? -1, num: true },
  { key: 'pending', label: 'Shadow Δ', sort: (r) => r.pending ?? -1, num: true },
  { key: 'degraded', label: 'Degraded', sort: (r) => (r.degraded || []).length },
  { key: 'readings', label: 'Last readings', sort: (r) => (r.readings || []).length },
];
const STATE_ORDER = { offline: 0, lost: 1, suspect: 2, unknown: 3, online: 4 };

const rows = new Map(); // key -> { data, tr, cells, visible, stale }
// Rows off screen keep their data but skip DOM writes until they scroll into view: with 1,000 devices, most of a
// batch's rows are off screen, and every cell write costs the browser style and layout work.
const visibility = new IntersectionObserver((changes) => {
  for (const change of changes) {
    const entry = rows.get(change.target.dataset.key);
    if (!entry) continue;
    entry.visible = change.isIntersecting;
    if (entry.visible && entry.stale) render(entry);
  }
}, { rootMargin: '400px 0px' });
let sortColumn = COLUMNS[0];
let sortDir = 1;
let query = new URLSearchParams(location.search).get('q') || '';
let stream = null;
let tbody;
let troubledBox;
let summary;

function build() {
  const main = document.getElementById('main');
  const input = el('input', { type: 'text', id: 'query', value: query,
    placeholder: 'filter, e.g. status=online capability=temperature id=sim-00*' });
  const error = el('span', { id: 'query-error', class: 'error' });
  input.addEventListener('keydown', (e) => { if (e.key === 'Enter') applyQuery(input.value.trim(), error); });
  const apply = el('button', { type: 'button', text: 'Filter' });
  apply.addEventListener('click', () => applyQuery(input.value.trim(), error));
  summary = el('span', { id: 'summary', class: 'muted' });
  troubledBox = el('div', { id: 'troubled', class: 'troubled' });
  const headRow = el('tr');
  for (const c of COLUMNS) {
    const th = el('th', { text: c.label, 'data-col': c.key });
    th.addEventListener('click', () => {
      sortDir = sortColumn === c ? -sortDir : 1;
      sortColumn = c;
      resort();
    });
    headRow.append(th);
  }
  tbody = el('tbody', { id: 'fleet-body' });
  main.append(el('h1', { text: 'Fleet' }), el('div', { class: 'toolbar' }, input, apply, error, summary),
    troubledBox, el('table', { id: 'fleet' }, el('thead', {}, headRow), tbody));
}

async function applyQuery(q, errorEl) {
  try {
    await load(q);
    query = q;
    errorEl.textContent = '';
    history.replaceState(null, '', q ? '?q=' + encodeURIComponent(q) : '/');
    if (stream) stream.close();
    stream = openStream(query, { fleet: onBatch, open: () => load(query).catch(() => {}) });
  } catch (e) {
    errorEl.textContent = e.message;
  }
}

const timings = {};
window.edgekitTimings = timings; // when the first load's steps ended (ms after navigation start; for the benchmark)

async function load(q) {
  const body = await getJSON('/api/fleet?q=' + encodeURIComponent(q));
  timings.fetched ??= performance.now();
  const seen = new Set();
  for (const r of body.rows) { upsert(r); seen.add(r.key); }
  timings.rows ??= performance.now();
  for (const key of [...rows.keys()]) if (!seen.has(key)) remove(key);
  renderTroubled(body.troubled);
  renderSummary(body.stats);
  resort();
}

const cost = { batches: 0, ms: 0, rows: 0 };
window.edgekitStreamCost = cost; // what applying the live batches costs this page (read by the scale benchmark)

function onBatch(batch) {
  const t0 = performance.now();
  applyBatch(batch);
  cost.batches++;
  cost.rows += batch.rows.length;
  cost.ms += performance.now() - t0;
}

function applyBatch(batch) {
  for (const key of batch.gone) remove(key);
  for (const r of batch.rows) upsert(r);
  if (batch.rows.length || batch.gone.length) {
    resort();
    renderTroubled([...rows.values()].map((x) => x.data).filter((r) => r.state === 'suspect'
      || r.state === 'lost' || r.state === 'offline'));
  }
}

function upsert(r) {
  let entry = rows.get(r.key);
  if (!entry) {
    const cells = {};
    const tr = el('tr', { 'data-key': r.key });
    for (const c of COLUMNS) {
      cells[c.key] = el('td', { class: c.num ? 'num' : '', 'data-col': c.key });
      tr.append(cells[c.key]);
    }
    cells.degraded.className = 'wrap';
    cells.readings.className = 'wrap';
    entry = { tr, cells, visible: false, stale: true, shownName: undefined };
    rows.set(r.key, entry);
    visibility.observe(tr);
  }
  entry.data = r;
  entry.stale = true;
  if (entry.visible || rows.size <= 100) render(entry);
}

function render(entry) {
  const r = entry.data;
  const c = entry.cells;
  entry.stale = false;
  if (entry.shownName !== r.name) {
    entry.shownName = r.name;
    c.device.replaceChildren(el('a', { href: deviceHref(r.site, r.id), text: r.id, class: 'device-link' }),
      r.name !== r.id ? el('div', { class: 'muted name', text: r.name }) : null);
  }
  set(c.site, r.site);
  if (set(c.state, r.state)) c.state.className = 'state state-' + r.state;
  set(c.phi, fmtPhi(r.phi));
  set(c.offset, fmtUs(r.offsetUs));
  set(c.bound, r.boundUs === undefined ? '-' : '±' + fmtUs(r.boundUs));
  set(c.stratum, r.stratum === undefined ? '-' : String(r.stratum));
  set(c.outbox, r.outboxDepth === undefined ? '-' : r.outboxDepth + ' (' + r.outboxDropped + ')');
  // leaves of the device's shadow it does not run yet ('-': no desired document)
  if (set(c.pending, r.pending === undefined ? '-' : String(r.pending))) {
    c.pending.className = 'num' + (r.pending > 0 ? ' pending' : '');
  }
  set(c.degraded, (r.degraded || []).join('; '));
  set(c.readings, (r.readings || []).map((x) => x.channel + '=' + x.value.toFixed(2) + x.unit).join(' '));
  ages(entry);
}

/** Writes text only when it changed (each write costs the browser a layout of the row). */
function set(node, text) {
  if (node.__text === text) return false;
  node.__text = text;
  node.textContent = text;
  return true;
}

function ages(entry) {
  const now = serverNow();
  set(entry.cells.seen, entry.data.lastSeen ? fmtAge(now - entry.data.lastSeen) : '-');
  set(entry.cells.hb, entry.data.heartbeatAt ? fmtAge(now - entry.data.heartbeatAt) : '-');
}

function remove(key) {
  const entry = rows.get(key);
  if (entry) { visibility.unobserve(entry.tr); entry.tr.remove(); rows.delete(key); }
}

function resort() {
  const list = [...rows.values()];
  const f = sortColumn.sort;
  list.sort((a, b) => {
    const x = f(a.data); const y = f(b.data);
    return (x < y ? -1 : x > y ? 1 : a.data.key < b.data.key ? -1 : 1) * sortDir;
  });
  let i = 0;
  for (const entry of list) { // move only rows out of place
    if (tbody.children[i] !== entry.tr) tbody.insertBefore(entry.tr, tbody.children[i] || null);
    i++;
  }
  for (const th of document.querySelectorAll('th')) {
    th.classList.toggle('sorted-asc', th.dataset.col === sortColumn.key && sortDir > 0);
    th.classList.toggle('sorted-desc', th.dataset.col === sortColumn.key && sortDir < 0);
  }
  set(summary, rows.size + (rows.size === 1 ? ' device' : ' devices'));
}

let troubledKey = null;

function renderTroubled(list) {
  const key = list.map((r) => r.key + ':' + r.state).join(',');
  if (key === troubledKey) return;
  troubledKey = key;
  troubledBox.replaceChildren(el('strong', { text: list.length
    ? 'Offline or suspect right now (' + list.length + '):' : 'Nothing offline or suspect right now.' }));
  if (list.length) {
    const ul = el('ul', { id: 'troubled-list' });
    for (const r of list.slice(0, 50)) {
      ul.append(el('li', {}, el('a', { href: deviceHref(r.site, r.id), text: r.site + '/' + r.id }), ' ',
        el('span', { class: 'state state-' + r.state, text: r.state }),
        r.lastSeen ? ' — last seen at ' + fmtTime(r.lastSeen) : ''));
    }
    if (list.length > 50) ul.append(el('li', { text: '… and ' + (list.length - 50) + ' more' }));
    troubledBox.append(ul);
  }
}

function renderSummary(stats) {
  document.getElementById('summary').title = 'messages ' + stats.accepted + ', malformed ' + stats.malformed
    + ', bad topics ' + stats.badTopics + ', duplicates ' + stats.duplicates + ', missing ' + stats.missing;
}

async function main() {
  markNav('nav-fleet');
  build();
  try {
    await sessionInfo();
    timings.session = performance.now();
    await applyQuery(query, document.getElementById('query-error'));
    // after the first paint of the table: the time to first render the benchmark reports
    requestAnimationFrame(() => setTimeout(() => { window.edgekitFirstRender = performance.now(); }, 0));
  } catch (e) {
    setStatus(e.message, true);
  }
  setInterval(() => { for (const entry of rows.values()) if (entry.visible || rows.size <= 100) ages(entry); }, 1000);
}

main();
