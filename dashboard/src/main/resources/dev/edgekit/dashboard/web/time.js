// Time: the fleet's clock offsets and error bounds at a glance, the worst devices, the time servers and strata,
// and the Berkeley master. Bars are drawn by uPlot's own bar path builder.
import { el, getJSON, sessionInfo, setStatus, markNav, fmtUs, fmtTime, deviceHref, serverNow } from './common.js';

const charts = {};

function histogram(values, bins) {
  if (!values.length) return [[], []];
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (lo === hi) { lo -= 1; hi += 1; }
  const width = (hi - lo) / bins;
  const x = [];
  const y = new Array(bins).fill(0);
  for (let i = 0; i < bins; i++) x.push(lo + width * (i + 0.5));
  for (const v of values) y[Math.min(bins - 1, Math.floor((v - lo) / width))]++;
  return [x, y];
}

function chart(box, key, title) {
  if (!charts[key]) {
    const body = el('div', { class: 'plot' });
    const reset = el('button', { type: 'button', text: 'Reset zoom', class: 'reset' });
    box.append(el('div', { class: 'card', 'data-chart': key },
      el('h3', {}, el('span', { text: title }), el('span', { class: 'spacer' }), reset), body));
    const u = new uPlot({
      width: 540, height: 220, scales: { x: { time: false } },
      cursor: { drag: { x: true, y: false } },
      series: [{ label: 'µs' }, { label: 'devices', fill: 'rgba(31,111,235,0.35)', stroke: '#1f6feb',
        paths: uPlot.paths.bars({ size: [0.9, 60] }), points: { show: false } }],
      axes: [{ values: (u, vals) => vals.map((v) => fmtUs(v)) }, {}],
    }, [[], []], body);
    charts[key] = { u, zoomed: false, data: [[], []] };
    u.hooks.setSelect = [() => { charts[key].zoomed = true; }];
    reset.addEventListener('click', () => { charts[key].zoomed = false; u.setData(charts[key].data, true); });
  }
  return charts[key];
}

async function refresh(parts) {
  try {
    const [fleet, time] = await Promise.all([getJSON('/api/fleet'), getJSON('/api/time')]);
    const synced = fleet.rows.filter((r) => r.offsetUs !== undefined);
    for (const [key, title, values] of [
      ['offset', 'Clock offsets (' + synced.length + ' synchronised devices)', synced.map((r) => r.offsetUs)],
      ['bound', 'Error bounds', fleet.rows.filter((r) => r.boundUs !== undefined).map((r) => r.boundUs)]]) {
      const c = chart(parts.charts, key, title);
      c.data = histogram(values, 30);
      c.u.setData(c.data, !c.zoomed);
    }
    const worst = fleet.rows.filter((r) => r.offsetUs !== undefined)
      .sort((a, b) => (Math.abs(b.offsetUs) + (b.boundUs || 0)) - (Math.abs(a.offsetUs) + (a.boundUs || 0)))
      .slice(0, 10);
    parts.worst.replaceChildren(...worst.map((r) => el('tr', {},
      el('td', {}, el('a', { href: deviceHref(r.site, r.id), text: r.site + '/' + r.id })),
      el('td', { class: 'num', text: fmtUs(r.offsetUs) }), el('td', { class: 'num', text: '±' + fmtUs(r.boundUs) }),
      el('td', { class: 'num', text: String(r.stratum) }), el('td', { text: r.mode || '-' }),
      el('td', { text: r.timeServer || '-' }))));
    const strata = {};
    for (const r of fleet.rows) strata[r.stratum ?? 'unknown'] = (strata[r.stratum ?? 'unknown'] || 0) + 1;
    parts.strata.textContent = 'Devices per stratum: ' + Object.entries(strata).map(([s, n]) => s + ': ' + n)
      .join(' · ') + ' (0 = not synchronised)';
    parts.servers.replaceChildren(...time.servers.map((s) => el('tr', {}, el('td', { text: s.site }),
      el('td', { text: s.id }), el('td', { class: 'num', text: String(s.stratum) }),
      el('td', { text: s.chain.join(' → ') || '-' }))));
    if (!time.servers.length) parts.servers.append(el('tr', {}, el('td', { colSpan: 4, text: 'no announced servers' })));
    parts.masters.textContent = time.masters.length ? 'Berkeley master: ' + time.masters.map((m) => m.site + '/'
      + m.id + ' (last poll ' + fmtTime(m.lastPoll) + ')').join(', ') : 'No Berkeley master seen.';
    setStatus('updated ' + fmtTime(serverNow()));
  } catch (e) {
    setStatus(e.message, true);
  }
}

function table(id, headings) {
  const tbody = el('tbody', { id });
  return [el('table', {}, el('thead', {}, el('tr', {}, ...headings.map((h) => el('th', { text: h })))), tbody), tbody];
}

async function main() {
  markNav('nav-time');
  await sessionInfo();
  const main = document.getElementById('main');
  const chartsBox = el('div', { class: 'cards', id: 'histograms' });
  const [worstTable, worst] = table('worst', ['Device', 'Offset', 'Bound', 'Stratum', 'Mode', 'Server']);
  const [serverTable, servers] = table('servers', ['Site', 'Server', 'Stratum', 'Reference chain']);
  const strata = el('p', { id: 'strata' });
  const masters = el('p', { id: 'masters' });
  main.append(el('h1', { text: 'Time' }), chartsBox, strata, el('h2', { text: 'Worst clocks' }), worstTable,
    el('h2', { text: 'Time servers (retained announcements)' }), serverTable, masters);
  const parts = { charts: chartsBox, worst, servers, strata, masters };
  await refresh(parts);
  setInterval(() => refresh(parts), 2000);
}

main();
