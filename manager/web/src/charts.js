// Time-series charts (uPlot) and the host timeline (SVG), as the pages use them.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { h, s, bytes, pct, isSet, when } from './dom.js';

const COLORS = ['#2b6cb0', '#c05621', '#2f855a', '#b83280', '#6b46c1', '#c53030', '#2c7a7b', '#975a16', '#4a5568', '#d69e2e'];
const STEP = 5; // seconds: the agents report every 5 s
const TIME_STEPS = [5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

// seriesOf turns container histories (the API's columns t, cpu, mem) into one series per
// key: containers with the same key (a service, a host) are summed, sample by sample.
// Samples are put on the agents' 5 s grid, because each node reports at its own moment.
export function seriesOf(loads, keyOf, field) {
  const groups = new Map();
  for (const l of loads || []) {
    const hist = l.history || {};
    const col = hist[field] || [];
    const own = new Map(); // a container's latest sample per slot
    (hist.t || []).forEach((t, i) => { if (col[i] != null) own.set(Math.round(t / STEP) * STEP, col[i]); });
    const key = keyOf(l);
    const g = groups.get(key) || new Map();
    groups.set(key, g);
    for (const [t, v] of own) g.set(t, (g.get(t) || 0) + v);
  }
  return [...groups].map(([label, g]) => {
    const t = [...g.keys()].sort((a, b) => a - b);
    return { label, t, v: t.map((x) => g.get(x)) };
  });
}

// align puts the series on one time axis, as uPlot takes them: [xs, ys1, ys2...], with
// null where a series has no sample.
export function align(series) {
  const xs = [...new Set(series.flatMap((sr) => sr.t))].sort((a, b) => a - b);
  const at = new Map(xs.map((x, i) => [x, i]));
  return [xs, ...series.map((sr) => {
    const col = new Array(xs.length).fill(null);
    sr.t.forEach((t, i) => { col[at.get(t)] = sr.v[i]; });
    return col;
  })];
}

// lineChart is a chart of CPU (kind cpu: percent of one core) or memory (mem: bytes).
// Its element carries data-points (samples on the time axis) and data-series for tests.
export function lineChart(test, kind, height = 200) {
  const el = h('div', { class: 'chart', 'data-test': test, 'data-points': 0, 'data-series': 0 });
  const fmt = kind === 'mem' ? bytes : pct;
  let plot = null;
  let key = null;
  const ro = new ResizeObserver(() => { if (plot && el.clientWidth) plot.setSize({ width: el.clientWidth, height }); });
  ro.observe(el);
  return {
    el,
    update(series) {
      const data = align(series);
      el.dataset.points = data[0].length;
      el.dataset.series = series.length;
      const k = series.map((sr) => sr.label).join('\n');
      if (plot && k === key) {
        plot.setData(data);
        return;
      }
      if (plot) plot.destroy();
      key = k;
      plot = new uPlot(options(series, fmt, el.clientWidth || 600, height), data, el);
    },
    destroy() {
      ro.disconnect();
      if (plot) plot.destroy();
      plot = null;
    },
  };
}

function options(series, fmt, width, height) {
  return {
    width, height,
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: true }, y: { range: (u, min, max) => [0, max > 0 ? max * 1.1 : 1] } },
    // Time ticks on the agents' 5 s grid at the finest.
    axes: [{ incrs: TIME_STEPS }, { size: 64, values: (u, vals) => vals.map(fmt) }],
    series: [{}, ...series.map((sr, i) => ({
      label: sr.label, stroke: COLORS[i % COLORS.length], width: 1.5, spanGaps: true,
      value: (u, v) => (v == null ? '-' : fmt(v)),
    }))],
  };
}

// The timeline's windows; the dashboard carries the last 24 h.
const WINDOWS = [['5 min', 5 * 60e3], ['15 min', 15 * 60e3], ['1 h', 3600e3], ['6 h', 6 * 3600e3], ['24 h', 24 * 3600e3]];

// timelineChart draws each node's states over a window as a row of coloured bars. Each
// row carries data-host and data-state (the current state) for tests.
export function timelineChart(test) {
  let win = WINDOWS[1][1];
  let last = null;
  const rows = h('div', { class: 'tl-rows' });
  const axis = h('div', { class: 'tl-axis' });
  const select = h('select', { 'data-test': test + '-window', onchange: () => { win = Number(select.value); if (last) draw(...last); } },
    WINDOWS.map(([label, ms]) => h('option', { value: ms, selected: ms === win }, label)));
  const legend = h('span', { class: 'tl-legend' }, ['ready', 'drain', 'agent_silent', 'down', 'unknown'].map((st) => h('span', { class: 'key st-' + st }, st)));
  const el = h('div', { class: 'timeline', 'data-test': test }, h('div', { class: 'tl-tools' }, select, legend), rows, axis);
  let chosen = false; // until the user picks a window, the smallest that shows every segment
  select.addEventListener('change', () => { chosen = true; });
  function draw(timelines, now) {
    last = [timelines, now];
    if (!chosen) {
      win = fitting(timelines, now);
      select.value = win;
    }
    const from = now - win;
    rows.replaceChildren(...(timelines || []).map((tl) => row(tl, from, now)));
    axis.replaceChildren(...[0, 0.25, 0.5, 0.75, 1].map((f) => h('span', null, new Date(from + f * win).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }))));
  }
  return { el, update: draw };
}

function fitting(timelines, now) {
  const first = Math.min(now, ...(timelines || []).flatMap((tl) => (tl.segments || []).map((sg) => Date.parse(sg.from))));
  const fit = WINDOWS.find(([, ms]) => now - first <= ms);
  return (fit || WINDOWS[WINDOWS.length - 1])[1];
}

function row(tl, from, now) {
  const segs = tl.segments || [];
  const state = segs.length ? segs[segs.length - 1].state : 'unknown';
  const span = now - from;
  const bars = segs.map((sg) => {
    const a = Math.max(Date.parse(sg.from), from);
    const b = isSet(sg.to) ? Math.min(Date.parse(sg.to), now) : now;
    if (b <= from || b < a) return null;
    // A short state stays visible: at least 0.4% of the width.
    const x = ((a - from) / span) * 1000;
    const w = Math.max(((b - a) / span) * 1000, 4);
    return s('rect', { x: x.toFixed(1), y: 0, width: w.toFixed(1), height: 10, class: 'st-' + sg.state, 'data-state': sg.state },
      s('title', null, `${sg.state} from ${when(sg.from)}${isSet(sg.to) ? ' to ' + when(sg.to) : ''}`));
  });
  return h('div', { class: 'tl-row', 'data-test': 'timeline-row', 'data-host': tl.hostname, 'data-node': tl.nodeId, 'data-state': state },
    h('a', { class: 'tl-label', href: '#/host/' + encodeURIComponent(tl.nodeId || tl.hostname) }, tl.hostname),
    s('svg', { class: 'tl-bar', viewBox: '0 0 1000 10', preserveAspectRatio: 'none' }, bars),
    h('span', { class: 'tl-now st-' + state }, state.replace('_', ' ')));
}
