// One uPlot chart per series, with uPlot's drag-to-zoom, pan buttons and a reset. No chart code of our own.
import { el } from './common.js';

export class Plot {
  constructor(parent, title, unit, id) {
    this.zoomed = false;
    this.data = [[], []];
    const reset = el('button', { type: 'button', text: 'Reset zoom', class: 'reset' });
    const left = el('button', { type: 'button', text: '◀', title: 'pan left', class: 'pan-left' });
    const right = el('button', { type: 'button', text: '▶', title: 'pan right', class: 'pan-right' });
    this.body = el('div', { class: 'plot' });
    this.card = el('div', { class: 'card', 'data-channel': id },
      el('h3', {}, el('span', { text: title }), el('span', { class: 'muted', text: unit ? '(' + unit + ')' : '' }),
        el('span', { class: 'spacer' }), left, right, reset), this.body);
    parent.append(this.card);
    const self = this;
    this.u = new uPlot({
      width: 540, height: 220,
      cursor: { drag: { x: true, y: false } },
      scales: { x: { time: true } },
      series: [{}, { label: title, stroke: '#1f6feb', width: 1.5, points: { show: false } }],
      axes: [{}, { size: 90 }],
      hooks: { setSelect: [() => { self.zoomed = true; }] },
    }, this.data, this.body);
    reset.addEventListener('click', () => { this.zoomed = false; this.u.setData(this.data, true); });
    left.addEventListener('click', () => this.pan(-0.5));
    right.addEventListener('click', () => this.pan(0.5));
  }

  pan(fraction) {
    const s = this.u.scales.x;
    const w = s.max - s.min;
    this.zoomed = true;
    this.u.setScale('x', { min: s.min + w * fraction, max: s.max + w * fraction });
  }

  /** New points; a zoomed or panned view keeps its range. */
  update(t, v) {
    this.data = [t, v];
    this.u.setData(this.data, !this.zoomed);
  }

  points() {
    return this.data[0].length;
  }

  lastTime() {
    const t = this.data[0];
    return t.length ? t[t.length - 1] : null;
  }
}
