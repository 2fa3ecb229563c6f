// A device: birth certificate, a plot per channel (and its clock), events and state transitions, output controls and
// one-shot actions (ping, identify, sync, restart).
import { el, getJSON, sessionInfo, setStatus, markNav, fmtTime, fmtAge, fmtUs, serverNow } from './common.js';
import { Plot } from './plot.js';

const params = new URLSearchParams(location.search);
const site = params.get('site') || '';
const id = params.get('id') || '';
const WINDOWS = [['5 min', 300], ['15 min', 900], ['1 h', 3600], ['6 h', 21600], ['24 h', 86400]];
const CLOCK_TITLES = { '$clock.offset': 'clock offset', '$clock.bound': 'clock error bound' };
let windowSeconds = Number(params.get('window')) || 300;
const plots = new Map();
window.edgekitPlots = plots; // read by the browser tests and by curious operators
let header;
let plotsBox;
let eventsList;
let controlsBox;
let shadowBox;

function build() {
  const main = document.getElementById('main');
  header = el('div', { id: 'device-header' });
  const select = el('select', { id: 'window' });
  for (const [label, seconds] of WINDOWS) {
    select.append(el('option', { value: String(seconds), text: 'last ' + label, selected: seconds === windowSeconds }));
  }
  select.addEventListener('change', () => { windowSeconds = Number(select.value); refreshPlots(); });
  plotsBox = el('div', { class: 'cards', id: 'plots' });
  eventsList = el('ul', { class: 'timeline', id: 'device-events' });
  controlsBox = el('div', { id: 'controls', class: 'controls' });
  shadowBox = el('div', { id: 'shadow' });
  main.append(header, el('h2', { text: 'Outputs' }), controlsBox, el('h2', { text: 'Shadow' }), shadowBox,
    el('div', { class: 'toolbar' }, el('h2', { text: 'Telemetry and clock' }), select), plotsBox,
    el('h2', { text: 'Events and state transitions' }), eventsList);
}

function kv(obj, prefix = '', dl = el('dl', { class: 'kv', id: 'birth' })) {
  for (const [k, v] of Object.entries(obj || {})) {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) kv(v, prefix + k + '.', dl);
    else dl.append(el('dt', { text: prefix + k }), el('dd', {
      text: Array.isArray(v) ? v.map((x) => typeof x === 'object' ? Object.values(x).join(' ') : x).join(', ')
        : String(v) }));
  }
  return dl;
}

function renderHeader(d, session) {
  const r = d.row;
  header.replaceChildren(
    el('h1', {}, el('span', { id: 'device-name', text: r.name }), ' ',
      el('span', { class: 'muted', text: r.site + '/' + r.id }), ' ',
      el('span', { id: 'device-state', class: 'state state-' + r.state, text: r.state })),
    el('p', { class: 'muted', text: 'φ ' + (r.phi === undefined ? '-' : r.phi.toFixed(1))
      + ' · last seen ' + (r.lastSeen ? fmtAge(serverNow() - r.lastSeen) + ' ago' : '-')
      + ' · clock ' + fmtUs(r.offsetUs) + ' ± ' + fmtUs(r.boundUs) + ', stratum ' + (r.stratum ?? '-')
      + ' · telemetry ' + d.telemetryCount + ', events ' + d.eventCount + ', duplicates ' + d.duplicates
      + ', missing ' + d.missing }),
    el('h2', { text: 'Birth certificate' }), d.birth ? kv(d.birth) : el('p', { text: 'no birth certificate yet' }));
  if (!controlsBox.dataset.built) renderControls(d, session);
}

// What operators asked of the device and it does not run yet: one row per leaf, with the device's reason.
function renderShadow(shadow) {
  if (!shadow) {
    shadowBox.replaceChildren(el('p', { class: 'muted', text: 'no desired state (edgekit shadow set …)' }));
    return;
  }
  const versions = 'desired version ' + shadow.desiredVersion + ', reported for version '
    + (shadow.reportedVersion ?? '-');
  if (!shadow.pending.length) {
    shadowBox.replaceChildren(el('p', { id: 'shadow-summary', text: 'in sync · ' + versions }));
    return;
  }
  const body = el('tbody', { id: 'shadow-pending' });
  for (const leaf of shadow.pending) {
    body.append(el('tr', { 'data-path': leaf.path }, el('td', { text: leaf.path }), el('td', { text: leaf.desired }),
      el('td', { text: leaf.reported ?? '-' }), el('td', { class: 'wrap', text: leaf.refused ?? 'not applied yet' })));
  }
  shadowBox.replaceChildren(el('p', { id: 'shadow-summary', class: 'pending',
    text: shadow.pending.length + ' pending · ' + versions }),
  el('table', { class: 'shadow' }, el('thead', {}, el('tr', {}, el('th', { text: 'Key' }),
    el('th', { text: 'Desired' }), el('th', { text: 'Reported' }), el('th', { text: 'Refused because' }))), body));
}

// One-shot commands the device lists in its birth; restart asks first (the device goes offline for a moment).
const ACTIONS = { ping: 'Ping', identify: 'Identify (blink LED)', sync: 'Sync clock now', restart: 'Restart agent' };

function renderActions(d, session) {
  const actions = (d.actions || []).filter((a) => ACTIONS[a]);
  if (!actions.length || !session.controls) return;
  const reply = el('output', { class: 'reply', 'data-actions': '1' });
  const row = el('div', { class: 'control actions' }, el('span', { class: 'name', text: 'actions' }));
  for (const a of actions) {
    const b = el('button', { type: 'button', text: ACTIONS[a], class: 'action', 'data-command': a });
    b.addEventListener('click', () => {
      if (a === 'restart' && !window.confirm('Restart the agent on ' + id + '? It goes offline for a moment.')) return;
      send({ command: a }, reply, session);
    });
    row.append(b);
  }
  row.append(reply);
  controlsBox.append(row);
}

function renderControls(d, session) {
  controlsBox.dataset.built = '1';
  renderActions(d, session);
  const actuators = d.actuators || [];
  if (!actuators.length) { controlsBox.append(el('p', { class: 'muted', text: 'no outputs' })); return; }
  if (!session.controls) {
    controlsBox.append(el('p', { class: 'muted', text: 'read-only: the dashboard runs without the operator role' }));
    return;
  }
  for (const a of actuators) {
    const reply = el('output', { class: 'reply', 'data-actuator': a.name });
    const row = el('div', { class: 'control', 'data-actuator': a.name }, el('span', { class: 'name', text: a.name }));
    if (a.unit === '%') {
      const input = el('input', { type: 'number', min: 0, max: 100, value: 50, class: 'duty' });
      const set = el('button', { type: 'button', text: 'Set duty', class: 'set-duty' });
      set.addEventListener('click', () => send({ actuator: a.name, duty: Number(input.value) }, reply, session));
      row.append(input, set);
    } else {
      for (const on of [true, false]) {
        const b = el('button', { type: 'button', text: on ? 'On' : 'Off', class: on ? 'turn-on' : 'turn-off' });
        b.addEventListener('click', () => send({ actuator: a.name, on }, reply, session));
        row.append(b);
      }
    }
    row.append(reply);
    controlsBox.append(row);
  }
}

async function send(command, reply, session) {
  reply.textContent = 'sending…';
  try {
    const r = await fetch('/api/control', { method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-Edgekit-Csrf': session.csrf },
      body: JSON.stringify({ site, id, ...command }) });
    const body = await r.json();
    reply.textContent = body.error ? 'error: ' + body.error : describeReply(body.reply, body.status);
    reply.dataset.status = body.status || 'error';
  } catch (e) {
    reply.textContent = 'error: ' + e.message;
  }
}

// "ok: uptime 3m2s · session 7 · …" for a one-shot command's detail; the reply as JSON otherwise.
function describeReply(reply, status) {
  if (reply && reply.detail && Object.keys(reply.detail).length) {
    return status + ': ' + Object.entries(reply.detail).map(([k, v]) => k + ' ' + v).join(' · ');
  }
  if (reply && status === 'error') return 'error: ' + reply.error + ': ' + reply.message;
  return JSON.stringify(reply);
}

async function refreshPlots(channels) {
  if (channels) {
    for (const [channel, unit] of Object.entries(channels)) {
      if (!plots.has(channel)) plots.set(channel, new Plot(plotsBox, CLOCK_TITLES[channel] || channel, unit, channel));
    }
  }
  await Promise.all([...plots.entries()].map(async ([channel, plot]) => {
    const s = await getJSON('/api/series?site=' + encodeURIComponent(site) + '&id=' + encodeURIComponent(id)
      + '&channel=' + encodeURIComponent(channel) + '&window=' + windowSeconds + '&points=1000');
    plot.update(s.t, s.v);
  }));
}

function renderEvents(events) {
  eventsList.replaceChildren(...events.slice().reverse().slice(0, 200).map((e) => el('li',
    { class: 'sev-' + e.severity + ' kind-' + e.kind },
    el('span', { class: 'when', text: fmtTime(e.at) }), el('span', { class: 'what', text: e.kind + ' ' + e.name }),
    el('span', { class: 'muted', text: Object.entries(e.attributes || {}).map(([k, v]) => k + '=' + v).join(' ') }))));
}

async function refresh(session) {
  try {
    const d = await getJSON('/api/device?site=' + encodeURIComponent(site) + '&id=' + encodeURIComponent(id));
    renderHeader(d, session);
    renderShadow(d.shadow);
    renderEvents(d.events || []);
    await refreshPlots(d.channels);
    setStatus('updated ' + fmtTime(serverNow()));
  } catch (e) {
    setStatus(e.message, true);
  }
}

async function main() {
  build();
  const session = await sessionInfo();
  await refresh(session);
  setInterval(() => refresh(session), 2000);
}

main();
