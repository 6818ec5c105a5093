// A host: its state and load, its containers and volumes, its timeline. It follows the
// host every 5 s.
import { h, section, table, link, badge, bytes, pct, ago } from '../dom.js';
import { get, enc, every } from '../api.js';
import { lineChart, timelineChart, seriesOf } from '../charts.js';
import { containerTable, pinButton } from '../widgets.js';

export async function host(root, signal, id) {
  const first = await get('/api/v1/hosts/' + enc(id), signal);
  const cpu = lineChart('chart-cpu', 'cpu');
  const mem = lineChart('chart-mem', 'mem');
  const timeline = timelineChart('timeline');
  signal.addEventListener('abort', () => { cpu.destroy(); mem.destroy(); });
  const info = h('div');
  const running = h('div');
  const volumes = h('div');
  const error = h('p', { class: 'error', 'data-test': 'error' });
  root.replaceChildren(h('div', { class: 'host', 'data-test': 'host', 'data-id': first.nodeId },
    h('div', { class: 'title' }, h('h1', { 'data-test': 'host-name' }, first.hostname), pinButton('hosts', first.nodeId, signal)),
    error, info,
    h('div', { class: 'columns' }, section('CPU', 'host-cpu', cpu.el), section('Memory', 'host-mem', mem.el)),
    section('Containers', 'host-containers-section', running),
    section('Volumes', 'host-volumes-section', volumes),
    section('Timeline', 'host-timeline', timeline.el)));
  const render = (d) => {
    error.textContent = '';
    info.replaceChildren(facts(d));
    const hostSeries = (field) => seriesOf([d], () => d.hostname, field);
    cpu.update(hostSeries('cpu'));
    mem.update(hostSeries('mem'));
    running.replaceChildren(containerTable('host-containers', d.running, 'cpu'));
    volumes.replaceChildren(table('host-volumes', [
      ['volume', (v) => v.name], ['driver', (v) => v.driver], ['size', (v) => bytes(v.size)], ['containers', (v) => v.containers],
    ], d.volumes || [], (v) => ({ 'data-name': v.name })));
    timeline.update([d.timeline], Date.now());
  };
  render(first);
  every(5000, signal, async () => render(await get('/api/v1/hosts/' + enc(id), signal)), (err) => { error.textContent = err.message; });
}

function facts(d) {
  const n = d.node || {};
  const used = (total, free) => (total ? `${bytes(total - free)} of ${bytes(total)}` : '?');
  return h('dl', { class: 'facts', 'data-test': 'host-facts' },
    h('dt', null, 'state'), h('dd', null, badge(d.state, 'host-state')),
    h('dt', null, 'environments'), h('dd', null, (d.envs || []).length ? d.envs.map((e) => [link('#/env/' + enc(e), e), ' ']) : 'none'),
    h('dt', null, 'last report'), h('dd', null, ago(d.lastReport)),
    h('dt', null, 'CPUs'), h('dd', null, n.cpus || '?'),
    h('dt', null, 'load'), h('dd', null, [n.load1, n.load5, n.load15].map((l) => (l || 0).toFixed(2)).join(' ')),
    h('dt', null, 'memory'), h('dd', null, used(n.memoryTotal, n.memoryAvailable)),
    h('dt', null, 'disk'), h('dd', null, used(n.diskTotal, n.diskFree)),
    h('dt', null, 'pressure'), h('dd', null, `CPU ${pct(n.cpuPressure)} · memory ${pct(n.memoryPressure)} · IO ${pct(n.ioPressure)}`),
    h('dt', null, 'containers'), h('dd', { 'data-test': 'host-container-count' }, d.containers));
}

// hosts lists every host the caller may see.
export async function hosts(root, signal) {
  const list = h('div');
  const error = h('p', { class: 'error', 'data-test': 'error' });
  root.replaceChildren(h('div', { 'data-test': 'hosts' }, h('h1', null, 'Hosts'), error, list));
  every(5000, signal, async () => {
    const all = await get('/api/v1/hosts', signal);
    error.textContent = '';
    list.replaceChildren(table('hosts-table', [
      ['host', (x) => link('#/host/' + enc(x.nodeId), x.hostname)],
      ['state', (x) => badge(x.state)],
      ['environments', (x) => (x.envs || []).map((e) => [link('#/env/' + enc(e), e), ' '])],
      ['load', (x) => ((x.node && x.node.load1) || 0).toFixed(2)],
      ['memory', (x) => (x.node && x.node.memoryTotal ? bytes(x.node.memoryTotal - x.node.memoryAvailable) + ' of ' + bytes(x.node.memoryTotal) : '?')],
      ['containers', (x) => x.containers],
      ['last report', (x) => ago(x.lastReport)],
    ], all, (x) => ({ 'data-test': 'host-row', 'data-name': x.hostname, 'data-state': x.state })));
  }, (err) => { error.textContent = err.message; });
}
