// The overview: counters, what needs attention, the top containers live, the host
// timeline and the caller's pins, all from the dashboard's event stream.
import { h, section } from '../dom.js';
import { get, enc, watchDashboard } from '../api.js';
import { lineChart, timelineChart, seriesOf } from '../charts.js';
import { counters, attention, containerLabel, containerTable, pinned } from '../widgets.js';

export async function overview(root, signal, env) {
  const envs = await get('/api/v1/environments', signal);
  const select = h('select', { 'data-test': 'env-select', onchange: () => { location.hash = select.value ? '#/?env=' + enc(select.value) : '#/'; } },
    h('option', { value: '' }, 'All environments'),
    envs.map((e) => h('option', { value: e.name, selected: e.name === env }, e.name)));
  const status = h('span', { class: 'stream', 'data-test': 'stream-state' }, 'connecting');
  const cpu = lineChart('chart-cpu', 'cpu');
  const mem = lineChart('chart-mem', 'mem');
  const timeline = timelineChart('timeline');
  signal.addEventListener('abort', () => { cpu.destroy(); mem.destroy(); });
  const parts = {
    counters: h('div'), attention: h('div', { class: 'columns' }), cpuTable: h('div'), memTable: h('div'), pinned: h('div'),
  };
  const page = h('div', { class: 'overview', 'data-test': 'overview' },
    h('div', { class: 'title' }, h('h1', null, 'Overview'), select, status),
    parts.counters, parts.attention,
    h('div', { class: 'columns' },
      section('Top containers by CPU', 'top-cpu', cpu.el, parts.cpuTable),
      section('Top containers by memory', 'top-memory', mem.el, parts.memTable)),
    section('Host timeline', 'host-timeline', timeline.el),
    section('Pinned', 'pinned-section', parts.pinned));
  root.replaceChildren(page);

  let latest = null;
  const render = (doc) => {
    latest = doc;
    parts.counters.replaceChildren(counters(doc.counters || {}));
    parts.attention.replaceChildren(
      attention('Environments needing intervention', 'top-env', doc.environments),
      attention('Hosts needing attention', 'top-host', doc.hosts));
    cpu.update(seriesOf(doc.topCpu, containerLabel, 'cpu'));
    mem.update(seriesOf(doc.topMemory, containerLabel, 'mem'));
    parts.cpuTable.replaceChildren(containerTable('top-cpu', doc.topCpu, 'cpu'));
    parts.memTable.replaceChildren(containerTable('top-mem', doc.topMemory, 'mem'));
    timeline.update(doc.timeline, Date.parse(doc.time) || Date.now());
    parts.pinned.replaceChildren(pinned(doc.pinned, reload));
    status.textContent = 'live';
    status.dataset.state = 'live';
    if (!page.dataset.ready) {
      page.dataset.ready = '1';
      performance.mark('exos-overview-rendered'); // the first render, for the benchmark
    }
  };
  // After an unpin the pinned section is redrawn at once, without waiting for an event.
  const reload = () => get('/api/v1/dashboard' + (env ? '?env=' + enc(env) : ''), signal).then(render);
  const stale = (err) => {
    status.textContent = 'reconnecting: ' + err.message;
    status.dataset.state = 'stale';
    if (latest) return;
    // The stream failed before its first event: show the document anyway.
    get('/api/v1/dashboard' + (env ? '?env=' + enc(env) : ''), signal).then((doc) => { if (!latest) render(doc); }, () => {});
  };
  watchDashboard(env, throttled(render, signal), stale, signal);
}

// throttled draws the first document at once, then at most one a second, always the
// latest: with a hundred agents the stream can bring several documents a second, and
// drawing each would keep the browser busy for nothing.
function throttled(render, signal) {
  let latest = null;
  let timer = null;
  let drawnAt = -Infinity;
  signal.addEventListener('abort', () => clearTimeout(timer));
  return (doc) => {
    latest = doc;
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      drawnAt = performance.now();
      render(latest);
    }, Math.max(0, drawnAt + 1000 - performance.now()));
  };
}
