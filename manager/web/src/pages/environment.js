// An environment: its counters and what needs attention in it, its hosts and stacks.
import { h, section, table, link, badge, bytes, ago } from '../dom.js';
import { get, q, enc, every } from '../api.js';
import { counters, attention, containerTable } from '../widgets.js';

export async function environment(root, signal, name) {
  const env = await get('/api/v1/environments/' + enc(name), signal);
  const body = h('div');
  const error = h('p', { class: 'error', 'data-test': 'error' });
  root.replaceChildren(h('div', { class: 'environment', 'data-test': 'environment', 'data-name': env.name },
    h('div', { class: 'title' }, h('h1', null, 'Environment ', env.name), link('#/?env=' + enc(env.name), 'overview of ' + env.name)),
    env.description ? h('p', null, env.description) : null,
    h('p', { class: 'muted' }, 'Nodes labelled ', h('code', null, env.nodeLabel)),
    error, body));
  every(5000, signal, async () => {
    const [doc, hosts] = await Promise.all([get(q('/api/v1/dashboard', { env: name }), signal), get('/api/v1/hosts', signal)]);
    const mine = hosts.filter((x) => (x.envs || []).includes(name));
    const stacks = (await get('/api/v1/stacks', signal)).filter((st) => st.env === name);
    error.textContent = '';
    body.replaceChildren(
      counters(doc.counters || {}),
      attention('Hosts needing attention', 'top-host', doc.hosts),
      section('Hosts', 'env-hosts', table('env-hosts-table', [
        ['host', (x) => link('#/host/' + enc(x.nodeId), x.hostname)],
        ['state', (x) => badge(x.state)],
        ['load', (x) => ((x.node && x.node.load1) || 0).toFixed(2)],
        ['memory free', (x) => bytes(x.node && x.node.memoryAvailable)],
        ['containers', (x) => x.containers],
        ['last report', (x) => ago(x.lastReport)],
      ], mine, (x) => ({ 'data-name': x.hostname, 'data-state': x.state }))),
      section('Stacks', 'env-stacks', table('env-stacks-table', [
        ['stack', (st) => link('#/stack/' + enc(st.name), st.name)],
        ['services', (st) => st.services],
        ['revision', (st) => st.revision || 'native'],
        ['state', (st) => badge(st.state || 'native')],
        ['drift', (st) => (st.drift || []).length || ''],
      ], stacks, (st) => ({ 'data-name': st.name }))),
      section('Top containers by CPU', 'env-top-cpu', containerTable('top-cpu', doc.topCpu, 'cpu')));
  }, (err) => { error.textContent = err.message; });
}

// stacks lists every stack the caller may see.
export async function stacks(root, signal) {
  const list = h('div');
  const error = h('p', { class: 'error', 'data-test': 'error' });
  root.replaceChildren(h('div', { 'data-test': 'stacks' }, h('h1', null, 'Stacks'), error, list));
  every(5000, signal, async () => {
    const all = await get('/api/v1/stacks', signal);
    error.textContent = '';
    list.replaceChildren(table('stacks-table', [
      ['stack', (st) => link('#/stack/' + enc(st.name), st.name)],
      ['environment', (st) => (st.env ? link('#/env/' + enc(st.env), st.env) : '')],
      ['services', (st) => st.services],
      ['revision', (st) => st.revision || 'native'],
      ['state', (st) => badge(st.state || 'native')],
      ['drift', (st) => (st.drift || []).length || ''],
    ], all, (st) => ({ 'data-test': 'stack-row', 'data-name': st.name })));
  }, (err) => { error.textContent = err.message; });
}
