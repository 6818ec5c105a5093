// Pieces more than one page shows: counters, the attention lists, container tables,
// pinned cards and the pin button.
import { h, table, link, badge, sparkline, bytes, pct, hrefOf, serviceHref } from './dom.js';
import { get, call, enc } from './api.js';

function counter(label, test, value, href, parts) {
  return h('div', { class: 'counter', 'data-test': 'counter-' + test },
    link(href, label, { class: 'counter-label' }),
    h('b', { 'data-test': 'counter-' + test + '-total' }, value),
    parts && h('small', null, parts.filter(([, n, always]) => always || n > 0).map(([name, n]) =>
      h('span', { class: 'part st-' + name, 'data-test': `counter-${test}-${name}` }, `${n} ${name.replace('_', ' ')}`))));
}

// counters shows DashboardCounters; the parts are there even when 0, for tests to read.
export function counters(c) {
  const hs = c.hosts || {};
  const cs = c.containers || {};
  return h('div', { class: 'counters', 'data-test': 'counters' },
    counter('Environments', 'environments', c.environments, null),
    counter('Hosts', 'hosts', hs.total, '#/hosts', [['ready', hs.ready, true], ['down', hs.down, true], ['drain', hs.drain, true], ['silent', hs.silent, true]]),
    counter('Volumes', 'volumes', c.volumes, null),
    counter('Registries', 'registries', c.registries, null),
    counter('Stacks', 'stacks', c.stacks, '#/stacks'),
    counter('Services', 'services', c.services, null),
    counter('Containers', 'containers', cs.total, null, [['running', cs.running, true], ['failing', cs.failing, true]]));
}

// attention lists the environments or hosts that need someone, each reason linking to
// the object behind it.
export function attention(title, test, entries) {
  return h('div', { class: 'attention', 'data-test': test + 's' },
    h('h3', null, title),
    (entries || []).length === 0 ? h('p', { class: 'empty' }, 'Nothing needs attention.') :
      h('ol', null, entries.map((a) => h('li', { 'data-test': test, 'data-name': a.name, 'data-score': a.score },
        h('div', { class: 'att-head' }, link(hrefOf({ kind: a.kind, name: a.name, id: a.id }), a.name, { class: 'att-name' }), h('span', { class: 'score' }, a.score.toFixed(1))),
        h('ul', { class: 'reasons' }, (a.reasons || []).map((r) => h('li', { 'data-test': 'reason', 'data-kind': r.kind },
          link(hrefOf(r.object), r.text, { class: 'reason-link' }), h('span', { class: 'score' }, '+' + r.score.toFixed(1)))))))));
}

export function containerLabel(l) {
  return `${l.service} · ${l.hostname} · ${(l.containerId || '').slice(0, 6)}`;
}

// containerTable lists ContainerLoads with their latest sample and a sparkline of field.
export function containerTable(test, loads, field) {
  return table(test, [
    ['container', (l) => link(serviceHref(l.service, l.stack), l.service)],
    ['host', (l) => link('#/host/' + enc(l.nodeId), l.hostname)],
    ['CPU', (l) => pct(l.cpuPercent)],
    ['memory', (l) => bytes(l.memoryUsage) + (l.memoryLimit ? ' / ' + bytes(l.memoryLimit) : '')],
    ['last 15 min', (l) => sparkline((l.history || {})[field])],
  ], loads || [], (l) => ({ 'data-test': test + '-row', 'data-service': l.service, 'data-container': l.containerId }));
}

// pinned shows the pinned services and hosts; unpinning reloads through onChange.
export function pinned(p, onChange) {
  const services = (p && p.services) || [];
  const hosts = (p && p.hosts) || [];
  const unpin = (kind, id) => h('button', { class: 'small', 'data-test': 'unpin', onclick: (ev) => setPin(kind, id, false).then(onChange, (err) => { ev.target.title = err.message; }) }, 'Unpin');
  return h('div', { class: 'pinned', 'data-test': 'pinned' },
    services.length + hosts.length === 0 ? h('p', { class: 'empty' }, 'Nothing pinned: pin a service or a host from its page.') : null,
    services.map((sv) => h('div', { class: 'card', 'data-test': 'pinned-service', 'data-name': sv.service },
      link(serviceHref(sv.service, sv.stack), sv.service, { class: 'card-title' }),
      h('div', null, `${sv.running}/${sv.desired} running · CPU ${pct(sv.cpuPercent)} · ${bytes(sv.memoryUsage)}`),
      sparkline((sv.history || {}).cpu), unpin('services', sv.service))),
    hosts.map((ho) => h('div', { class: 'card', 'data-test': 'pinned-host', 'data-name': ho.hostname, 'data-id': ho.nodeId },
      link('#/host/' + enc(ho.nodeId), ho.hostname, { class: 'card-title' }), ' ', badge(ho.state),
      h('div', null, `${ho.containers} containers · load ${(ho.node && ho.node.load1 || 0).toFixed(2)}`),
      sparkline((ho.history || {}).cpu), unpin('hosts', ho.nodeId))));
}

// setPin adds id to or removes it from the caller's pins of kind (services or hosts).
export async function setPin(kind, id, on) {
  const pins = await get('/api/v1/dashboard/pins');
  const set = new Set(pins[kind] || []);
  if (on) set.add(id);
  else set.delete(id);
  return call('PUT', '/api/v1/dashboard/pins', { services: pins.services || [], hosts: pins.hosts || [], [kind]: [...set] });
}

// pinButton toggles whether an object is pinned to the caller's overview.
export function pinButton(kind, id, signal) {
  const btn = h('button', { 'data-test': 'pin', disabled: true }, 'Pin to overview');
  let on = false;
  const show = (pins) => {
    on = (pins[kind] || []).includes(id);
    btn.textContent = on ? 'Unpin from overview' : 'Pin to overview';
    btn.dataset.pinned = on;
    btn.disabled = false;
  };
  btn.addEventListener('click', () => { btn.disabled = true; setPin(kind, id, !on).then(show, () => { btn.disabled = false; }); });
  get('/api/v1/dashboard/pins', signal).then(show, () => {});
  return btn;
}
