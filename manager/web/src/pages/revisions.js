// A stack's revision history, and the diff of two of its revisions.
import { h, table, badge, when } from '../dom.js';
import { get, q, enc } from '../api.js';

export async function revisions(name, signal) {
  const revs = await get('/api/v1/stacks/' + enc(name) + '/revisions', signal);
  const out = h('div', { class: 'diff', 'data-test': 'diff' });
  const choice = (test, selected) => h('select', { 'data-test': test },
    revs.map((r) => h('option', { value: r.number, selected: r.number === selected }, 'revision ' + r.number)));
  // Newest first: the default compares the newest with the one before it.
  const to = choice('diff-to', revs.length ? revs[0].number : 0);
  const from = choice('diff-from', revs.length > 1 ? revs[1].number : 0);
  const show = async () => {
    out.replaceChildren('…');
    try {
      out.replaceChildren(h('div', null, diffView(await get(q('/api/v1/stacks/' + enc(name) + '/diff', { from: from.value, to: to.value }), signal))));
    } catch (err) {
      out.replaceChildren(h('p', { class: 'error' }, err.message));
    }
  };
  return h('div', null,
    table('revisions', [
      ['revision', (r) => r.number],
      ['created', (r) => when(r.createdAt)],
      ['author', (r) => r.author],
      ['state', (r) => badge(r.state)],
      ['environment', (r) => r.env || ''],
      ['notes', (r) => [r.rollbackOf ? 'rollback to ' + r.rollbackOf : '', r.template ? ` ${r.template.template} ${r.template.version}` : '', r.reason ? ' ' + r.reason : '']],
    ], revs, (r) => ({ 'data-test': 'revision-row', 'data-number': r.number, 'data-state': r.state })),
    revs.length > 1 ? h('div', { class: 'diff-tools' }, 'Compare ', from, ' with ', to, ' ', h('button', { 'data-test': 'diff-show', onclick: show }, 'Show diff')) : null,
    out);
}

function diffView(d) {
  return [
    h('h3', null, `Revision ${d.from} → ${d.to}`),
    (d.services || []).length === 0 ? h('p', { class: 'muted' }, 'No service spec changed.') :
      table('diff-services', [
        ['service', (x) => x.service],
        ['change', (x) => x.change],
        ['fields', (x) => h('ul', null, (x.fields || []).map((f) => h('li', null,
          h('code', null, f.path), ': ', h('del', null, f.from || '(unset)'), ' → ', h('ins', null, f.to || '(unset)'))))],
      ], d.services, (x) => ({ 'data-name': x.service })),
    (d.files || []).map((f) => h('div', { class: 'filediff', 'data-test': 'diff-file', 'data-name': f.name },
      h('h4', null, f.name),
      h('pre', null, f.diff.split('\n').map((line) => h('span', { class: lineClass(line) }, line + '\n'))))),
    (d.notes || []).map((n) => h('p', { class: 'muted' }, n)),
  ];
}

function lineClass(line) {
  if (line.startsWith('@@')) return 'hunk';
  if (line.startsWith('+')) return 'add';
  if (line.startsWith('-')) return 'del';
  return null;
}
