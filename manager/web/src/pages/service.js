// A service: its replicas and containers, its CPU and memory by container, and the pin.
import { h, section, link, bytes, pct } from '../dom.js';
import { get, q, enc, every } from '../api.js';
import { lineChart, seriesOf } from '../charts.js';
import { containerLabel, pinButton } from '../widgets.js';
import { serviceTable, taskTable } from './stack.js';

// service shows a service of a stack; stack is '' for one outside any stack, whose page
// has its usage only.
export async function service(root, signal, stack, name) {
  const cpu = lineChart('chart-cpu', 'cpu');
  const mem = lineChart('chart-mem', 'mem');
  signal.addEventListener('abort', () => { cpu.destroy(); mem.destroy(); });
  const info = h('div');
  const containers = h('div');
  const error = h('p', { class: 'error', 'data-test': 'error' });
  root.replaceChildren(h('div', { class: 'service', 'data-test': 'service', 'data-name': name },
    h('div', { class: 'title' }, h('h1', null, 'Service ', name), pinButton('services', name, signal)),
    stack ? h('p', null, 'in stack ', link('#/stack/' + enc(stack), stack)) : null,
    error, info,
    h('div', { class: 'columns' }, section('CPU', 'service-cpu', cpu.el), section('Memory', 'service-mem', mem.el)),
    stack ? section('Containers', 'service-containers-section', containers) : null));
  const path = '/api/v1/stacks/' + enc(stack);
  every(5000, signal, async () => {
    const [usage, svcs, tasks] = await Promise.all([
      get(q('/api/v1/usage', { service: name }), signal),
      stack ? get(path + '/services', signal) : [],
      stack ? get(path + '/containers', signal) : [],
    ]);
    error.textContent = '';
    const mine = svcs.filter((sv) => sv.name === name);
    info.replaceChildren(mine.length ? serviceTable('service-info', mine) : '', load(usage));
    containers.replaceChildren(taskTable('service-containers', tasks.filter((c) => c.service === name)));
    cpu.update(seriesOf(usage, containerLabel, 'cpu'));
    mem.update(seriesOf(usage, containerLabel, 'mem'));
  }, (err) => { error.textContent = err.message; });
}

function load(usage) {
  const cpu = usage.reduce((n, l) => n + (l.cpuPercent || 0), 0);
  const mem = usage.reduce((n, l) => n + (l.memoryUsage || 0), 0);
  return h('p', { 'data-test': 'service-load' }, `${usage.length} containers reporting · CPU ${pct(cpu)} · memory ${bytes(mem)}`);
}
