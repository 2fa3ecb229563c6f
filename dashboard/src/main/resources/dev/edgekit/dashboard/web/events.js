// Events: a live timeline across the fleet (device events and this dashboard's state transitions), filterable.
import { el, getJSON, sessionInfo, setStatus, markNav, fmtTime, deviceHref, openStream } from './common.js';

const MAX = 2000;
const entries = [];
let list;
let filterInput;
let severity;
let lastSeq = 0;

function matches(e) {
  const f = filterInput.value.trim().toLowerCase();
  if (severity.value && e.severity !== severity.value) return false;
  if (!f) return true;
  const text = [e.site, e.id, e.kind, e.name, ...Object.entries(e.attributes || {}).map(([k, v]) => k + '=' + v)]
    .join(' ').toLowerCase();
  return f.split(/\s+/).every((w) => text.includes(w));
}

function item(e) {
  return el('li', { class: 'sev-' + e.severity + ' kind-' + e.kind, 'data-seq': e.seq },
    el('span', { class: 'when', text: fmtTime(e.at) }),
    el('a', { href: deviceHref(e.site, e.id), text: e.site + '/' + e.id }),
    el('span', { class: 'what', text: e.kind + ' ' + e.name }),
    el('span', { class: 'muted', text: Object.entries(e.attributes || {}).map(([k, v]) => k + '=' + v).join(' ') }));
}

function add(batch) {
  for (const e of batch) {
    if (e.seq <= lastSeq) continue;
    lastSeq = e.seq;
    entries.push(e);
    if (matches(e)) list.prepend(item(e));
  }
  while (entries.length > MAX) entries.shift();
  while (list.children.length > MAX) list.lastChild.remove();
}

function rerender() {
  list.replaceChildren(...entries.filter(matches).reverse().map(item));
}

async function main() {
  markNav('nav-events');
  await sessionInfo();
  filterInput = el('input', { type: 'text', id: 'event-filter', placeholder: 'filter: words that must all appear' });
  severity = el('select', { id: 'severity' }, el('option', { value: '', text: 'any severity' }),
    ...['info', 'warning', 'error'].map((s) => el('option', { value: s, text: s })));
  filterInput.addEventListener('input', rerender);
  severity.addEventListener('change', rerender);
  list = el('ul', { class: 'timeline', id: 'events' });
  document.getElementById('main').append(el('h1', { text: 'Events' }),
    el('div', { class: 'toolbar' }, filterInput, severity), list);
  try {
    add((await getJSON('/api/events?after=0')).entries);
  } catch (e) {
    setStatus(e.message, true);
  }
  openStream('', { timeline: add, open: async () => add((await getJSON('/api/events?after=' + lastSeq)).entries) }, false);
}

main();
