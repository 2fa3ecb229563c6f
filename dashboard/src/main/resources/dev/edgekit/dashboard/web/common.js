// Shared helpers. Every string that comes from a device is put into the page with textContent (through el()),
// never parsed as HTML.

/** Creates an element; children are nodes or text (strings become text nodes). */
export function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null) continue;
    if (k === 'class') e.className = v;
    else if (k.startsWith('data-')) e.setAttribute(k, String(v));
    else if (k === 'text') e.textContent = String(v);
    else e[k] = v;
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

export async function getJSON(url) {
  const r = await fetch(url, { credentials: 'same-origin', cache: 'no-store' });
  const body = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error(body.error || (r.status + ' ' + r.statusText));
  return body;
}

let session = null;
/** The dashboard's session facts: controls on or off, the CSRF value, the server's clock. */
export async function sessionInfo() {
  if (!session) {
    session = await getJSON('/api/session');
    session.skewMs = session.now - Date.now();
  }
  return session;
}

/** The server's time now (ages are measured on its clock, not the browser's). */
export function serverNow() {
  return Date.now() + (session ? session.skewMs : 0);
}

export function setStatus(text, isError = false) {
  const s = document.getElementById('status');
  s.textContent = text;
  s.classList.toggle('error', isError);
}

export function markNav(id) {
  const a = document.getElementById(id);
  if (a) a.classList.add('active');
}

export function fmtAge(ms) {
  if (ms === undefined || ms === null || Number.isNaN(ms)) return '-';
  ms = Math.max(0, ms);
  if (ms < 10000) return (ms / 1000).toFixed(1) + ' s';
  if (ms < 120000) return Math.round(ms / 1000) + ' s';
  if (ms < 7200000) return Math.round(ms / 60000) + ' min';
  return Math.round(ms / 3600000) + ' h';
}

export function fmtUs(us) {
  if (us === undefined || us === null) return '-';
  const a = Math.abs(us);
  if (a < 1000) return us.toFixed(a < 10 ? 1 : 0) + ' µs';
  if (a < 1e6) return (us / 1000).toFixed(a < 1e4 ? 2 : 1) + ' ms';
  return (us / 1e6).toFixed(2) + ' s';
}

export function fmtPhi(phi) {
  if (phi === undefined || phi === null) return '-';
  return phi >= 100 ? '>100' : phi.toFixed(1);
}

export function fmtTime(ms) {
  return new Date(ms).toLocaleTimeString([], { hour12: false });
}

export function deviceHref(site, id) {
  return '/device?site=' + encodeURIComponent(site) + '&id=' + encodeURIComponent(id);
}

/** Live updates: calls handlers.fleet / handlers.timeline with each batch; handlers.open after every (re)connect. */
export function openStream(query, handlers, fleetRows = true) {
  const es = new EventSource('/api/stream?q=' + encodeURIComponent(query || '') + (fleetRows ? '' : '&fleet=0'));
  es.addEventListener('fleet', (e) => handlers.fleet && handlers.fleet(JSON.parse(e.data)));
  es.addEventListener('timeline', (e) => handlers.timeline && handlers.timeline(JSON.parse(e.data)));
  es.onopen = () => { setStatus('live'); handlers.open && handlers.open(); };
  es.onerror = () => setStatus('reconnecting…', true);
  return es;
}
