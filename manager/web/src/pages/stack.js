// A stack: its services, containers and usage (followed every 5 s), and its revision
// history with the diff of any two revisions.
import { h, section, table, link, badge, when, serviceHref } from '../dom.js';
import { get, q, enc, every } from '../api.js';
import { lineChart, seriesOf } from '../charts.js';
import { revisions } from './revisions.js';

export async function stack(root, signal, name) {
  const path = '/api/v1/stacks/' + enc(name);
  const detail = await get(path, signal);
  const cpu = lineChart('chart-cpu', 'cpu');
  const mem = lineChart('chart-mem', 'mem');
  signal.addEventListener('abort', () => { cpu.destroy(); mem.destroy(); });
  const head = h('div');
  const services = h('div');
  const containers = h('div');
  const error = h('p', { class: 'error', 'data-test': 'error' });
  root.replaceChildren(h('div', { class: 'stack', 'data-test': 'stack', 'data-name': name },
    h('div', { class: 'title' }, h('h1', null, 'Stack ', name)),
    error, head,
    section('Services', 'stack-services-section', services),
    h('div', { class: 'columns' }, section('CPU', 'stack-cpu', cpu.el), section('Memory', 'stack-mem', mem.el)),
    section('Containers', 'stack-containers-section', containers),
    section('Revisions', 'stack-revisions', await revisions(name, signal))));
  head.replaceChildren(stackFacts(detail));
  const render = (d, svcs, tasks, usage) => {
    error.textContent = '';
    head.replaceChildren(stackFacts(d));
    services.replaceChildren(serviceTable('stack-services', svcs));
    containers.replaceChildren(taskTable('stack-containers', tasks));
    const short = (l) => l.service;
    cpu.update(seriesOf(usage, short, 'cpu'));
    mem.update(seriesOf(usage, short, 'mem'));
  };
  every(5000, signal, async () => {
    const [d, svcs, tasks, usage] = await Promise.all([
      get(path, signal), get(path + '/services', signal), get(path + '/containers', signal), get(q('/api/v1/usage', { stack: name }), signal)]);
    render(d, svcs, tasks, usage);
  }, (err) => { error.textContent = err.message; });
}

function stackFacts(d) {
  return h('dl', { class: 'facts', 'data-test': 'stack-facts' },
    h('dt', null, 'environment'), h('dd', null, d.env ? link('#/env/' + enc(d.env), d.env) : 'none'),
    h('dt', null, 'revision'), h('dd', null, d.revision || 'deployed natively'),
    h('dt', null, 'state'), h('dd', null, badge(d.state || 'native', 'stack-state')),
    h('dt', null, 'updated'), h('dd', null, when(d.updatedAt)),
    d.template ? [h('dt', null, 'template'), h('dd', null, `${d.template.catalog}/${d.template.template} ${d.template.version}`)] : null,
    (d.drift || []).length ? [h('dt', null, 'drift'), h('dd', { 'data-test': 'stack-drift' }, h('ul', null, d.drift.map((x) =>
      h('li', null, link(serviceHref(x.service, d.name), x.service), ': ', x.kind, x.fields ? ' (' + x.fields.join(', ') + ')' : '', x.message ? ' ' + x.message : ''))))] : null);
}

export function serviceTable(test, svcs) {
  return table(test, [
    ['service', (sv) => link(serviceHref(sv.name, sv.stack), sv.name)],
    ['image', (sv) => h('code', null, sv.image)],
    ['mode', (sv) => sv.mode],
    ['replicas', (sv) => h('span', { class: sv.running < sv.desired ? 'warn' : '' }, `${sv.running}/${sv.desired}`)],
    ['ports', (sv) => (sv.ports || []).join(', ')],
    ['update', (sv) => [sv.updateState || '', sv.updateMessage ? ' ' + sv.updateMessage : '']],
  ], svcs || [], (sv) => ({ 'data-test': test + '-row', 'data-name': sv.name, 'data-running': sv.running, 'data-desired': sv.desired }));
}

export function taskTable(test, tasks) {
  return table(test, [
    ['container', (c) => c.name],
    ['node', (c) => link('#/host/' + enc(c.nodeId), c.node)],
    ['state', (c) => [badge(c.state), c.desiredState !== c.state ? ' → ' + c.desiredState : '']],
    ['health', (c) => c.health || ''],
    ['image', (c) => h('code', null, c.image)],
    ['updated', (c) => when(c.updatedAt)],
    ['message', (c) => h('span', { class: c.error ? 'warn' : '' }, c.error || c.message || '')],
  ], tasks || [], (c) => ({ 'data-test': test + '-row', 'data-service': c.service, 'data-state': c.state, class: c.current ? '' : 'old' }));
}
