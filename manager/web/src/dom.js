// Plain DOM helpers: the page builds its elements with h() and has no framework.

const SVG = 'http://www.w3.org/2000/svg';

// h creates an element: attrs are attributes (on* are listeners, false and null are left
// out), children are nodes, strings, numbers or (nested) arrays of them.
export function h(tag, attrs, ...children) {
  return fill(document.createElement(tag), attrs, children);
}

// s is h for SVG elements.
export function s(tag, attrs, ...children) {
  return fill(document.createElementNS(SVG, tag), attrs, children);
}

function fill(el, attrs, children) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k === 'className' ? 'class' : k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

// table builds a table with a header row and one row per item; cols are [title, cell(item)].
export function table(test, cols, items, rowAttrs) {
  return h('table', { 'data-test': test },
    h('thead', null, h('tr', null, cols.map(([title]) => h('th', null, title)))),
    h('tbody', null, items.length === 0
      ? h('tr', null, h('td', { colspan: cols.length, class: 'empty' }, 'none'))
      : items.map((it) => h('tr', rowAttrs ? rowAttrs(it) : null, cols.map(([, cell]) => h('td', null, cell(it)))))));
}

export function section(title, test, ...children) {
  return h('section', { 'data-test': test }, h('h2', null, title), children);
}

// Formatting.
const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function bytes(n) {
  if (n == null || n < 0) return '?';
  let i = 0;
  while (n >= 1024 && i < UNITS.length - 1) { n /= 1024; i++; }
  return (i === 0 ? n : n.toFixed(n < 10 ? 1 : 0)) + ' ' + UNITS[i];
}

// pct shows a percentage with the digits its size needs: a sleeping container uses 0.02%.
export function pct(x) {
  if (x == null) return '?';
  if (x === 0) return '0%';
  const digits = x >= 10 ? 0 : x >= 1 ? 1 : x >= 0.1 ? 2 : 3;
  return x.toFixed(digits) + '%';
}

// isSet says whether a time from the API is set: Go's zero time may come as year 1.
export function isSet(t) {
  return !!t && !t.startsWith('0001-');
}

export function when(t) {
  return isSet(t) ? new Date(t).toLocaleString() : '';
}

export function ago(t, now = Date.now()) {
  if (!isSet(t)) return 'never';
  const s = Math.max(0, Math.round((now - Date.parse(t)) / 1000));
  if (s < 90) return s + ' s ago';
  if (s < 5400) return Math.round(s / 60) + ' min ago';
  if (s < 129600) return Math.round(s / 3600) + ' h ago';
  return Math.round(s / 86400) + ' d ago';
}

// Links to the page of an object the API names.
const enc = encodeURIComponent;

export function hrefOf(ref) {
  switch (ref && ref.kind) {
    case 'environment': return '#/env/' + enc(ref.name);
    case 'node': return '#/host/' + enc(ref.id || ref.name);
    case 'stack': return '#/stack/' + enc(ref.name);
    case 'service': return serviceHref(ref.name, ref.stack);
    case 'container': return ref.stack ? '#/stack/' + enc(ref.stack) : null;
    default: return null;
  }
}

export function serviceHref(name, stack) {
  return stack ? '#/stack/' + enc(stack) + '/service/' + enc(name) : '#/service/' + enc(name);
}

export function link(href, text, attrs) {
  return href ? h('a', { href, ...attrs }, text) : h('span', attrs, text);
}

// badge shows a state (ready, down, running, failed...) in its colour.
export function badge(state, test) {
  return h('span', { class: 'badge st-' + String(state || 'unknown').replace(/[^a-z_-]/gi, ''), 'data-test': test, 'data-state': state }, state || 'unknown');
}

// sparkline is a small inline chart of ys, for tables and pinned cards.
export function sparkline(ys, attrs) {
  const w = 100, ht = 20;
  const vals = (ys || []).filter((y) => y != null);
  if (vals.length < 2) return s('svg', { class: 'spark', viewBox: `0 0 ${w} ${ht}`, ...attrs });
  const max = Math.max(...vals) || 1;
  const step = w / (vals.length - 1);
  const pts = vals.map((y, i) => `${(i * step).toFixed(1)},${(ht - 1 - (y / max) * (ht - 2)).toFixed(1)}`).join(' ');
  return s('svg', { class: 'spark', viewBox: `0 0 ${w} ${ht}`, preserveAspectRatio: 'none', ...attrs },
    s('polyline', { points: pts, fill: 'none', 'vector-effect': 'non-scaling-stroke' }));
}
