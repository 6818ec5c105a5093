// The EXOS web dashboard: hash routes to pages; each page gets an AbortSignal that ends
// its requests, streams and timers when the user goes elsewhere.
import './style.css';
import { h, link } from './dom.js';
import { call, get, token, enc } from './api.js';
import { login } from './pages/login.js';
import { overview } from './pages/overview.js';
import { environment, stacks } from './pages/environment.js';
import { host, hosts } from './pages/host.js';
import { stack } from './pages/stack.js';
import { service } from './pages/service.js';

const routes = [
  [/^#\/login$/, login],
  [/^#\/?(?:\?env=([^&]*))?$/, overview],
  [/^#\/hosts$/, hosts],
  [/^#\/stacks$/, stacks],
  [/^#\/env\/([^/]+)$/, environment],
  [/^#\/host\/([^/]+)$/, host],
  [/^#\/stack\/([^/]+)$/, stack],
  [/^#\/stack\/([^/]+)\/service\/([^/]+)$/, service],
  [/^#\/service\/([^/]+)$/, (root, signal, name) => service(root, signal, '', name)],
];

let current = null;
let navFor = null; // the token the navigation bar was drawn for

function route() {
  if (current) current.abort();
  current = new AbortController();
  const { signal } = current;
  const hash = location.hash || '#/';
  const main = document.getElementById('main');
  if (!token.get() && hash !== '#/login') {
    location.hash = '#/login';
    return;
  }
  nav(hash === '#/login' ? null : token.get());
  for (const [re, page] of routes) {
    const m = hash.match(re);
    if (!m) continue;
    const args = m.slice(1).map((x) => (x == null ? '' : decodeURIComponent(x)));
    main.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
    Promise.resolve(page(main, signal, ...args)).catch((err) => {
      if (signal.aborted) return;
      main.replaceChildren(h('p', { class: 'error', 'data-test': 'error', 'data-status': err.status || '' }, err.message));
    });
    return;
  }
  main.replaceChildren(h('p', { class: 'error', 'data-test': 'error' }, 'No such page: ', hash));
}

// nav draws the bar for the logged-in caller: the pages, the environments it sees, who it
// is and the logout.
async function nav(t) {
  const bar = document.getElementById('nav');
  if (t === navFor) return;
  navFor = t;
  bar.replaceChildren();
  if (!t) return;
  const [who, envs] = await Promise.all([get('/api/v1/whoami'), get('/api/v1/environments')]).catch(() => [null, []]);
  if (navFor !== t) return;
  bar.replaceChildren(
    link('#/', 'Overview', { 'data-test': 'nav-overview' }),
    link('#/hosts', 'Hosts', { 'data-test': 'nav-hosts' }),
    link('#/stacks', 'Stacks', { 'data-test': 'nav-stacks' }),
    h('span', { class: 'envs', 'data-test': 'nav-envs' }, envs.map((e) => link('#/env/' + enc(e.name), e.name, { 'data-test': 'nav-env', 'data-name': e.name }))),
    h('span', { class: 'who', 'data-test': 'whoami' }, who ? who.name : ''),
    h('button', { class: 'small', 'data-test': 'logout', onclick: logout }, 'Log out'));
}

async function logout() {
  if (token.isSession()) await call('POST', '/api/v1/logout').catch(() => {});
  token.clear();
  location.hash = '#/login';
}

window.addEventListener('hashchange', route);
route();
