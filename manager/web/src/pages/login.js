// The login: a user and password (a session, POST /api/v1/login), or a pasted token.
import { h } from '../dom.js';
import { call, get, token } from '../api.js';

export async function login(root) {
  const error = h('p', { class: 'error', 'data-test': 'login-error' });
  const user = h('input', { id: 'username', name: 'username', autocomplete: 'username', required: true, 'data-test': 'login-user' });
  const password = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true, 'data-test': 'login-password' });
  const pasted = h('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'off', required: true, 'data-test': 'login-token' });
  const fail = (err) => { error.textContent = err.message; };
  const withPassword = async (ev) => {
    ev.preventDefault();
    error.textContent = '';
    try {
      token.clear();
      const session = await call('POST', '/api/v1/login', { username: user.value, password: password.value });
      token.set(session.token, true);
      location.hash = '#/';
    } catch (err) { fail(err); }
  };
  const withToken = async (ev) => {
    ev.preventDefault();
    error.textContent = '';
    token.set(pasted.value.trim(), false);
    try {
      await get('/api/v1/whoami');
      location.hash = '#/';
    } catch (err) {
      token.clear();
      fail(err);
    }
  };
  root.replaceChildren(h('div', { class: 'login', 'data-test': 'login' },
    h('h1', null, 'Log in to EXOS'),
    h('form', { 'data-test': 'login-form', onsubmit: withPassword },
      h('label', { for: 'username' }, 'User'), user,
      h('label', { for: 'password' }, 'Password'), password,
      h('button', { type: 'submit', 'data-test': 'login-submit' }, 'Log in')),
    h('form', { 'data-test': 'token-form', onsubmit: withToken },
      h('label', { for: 'token' }, 'or an API token'), pasted,
      h('button', { type: 'submit', 'data-test': 'login-token-submit' }, 'Use token')),
    error));
  user.focus();
}
