// The page's only way to the manager: the API under /api/v1, with the bearer token the
// user logged in with (or pasted), kept in sessionStorage so that it ends with the tab.

const KEY = 'exos.token';
const SESSION = 'exos.session'; // set when the token is a login session (logout ends it)

export const token = {
  get: () => sessionStorage.getItem(KEY),
  set(t, session) {
    sessionStorage.setItem(KEY, t);
    if (session) sessionStorage.setItem(SESSION, '1');
    else sessionStorage.removeItem(SESSION);
  },
  isSession: () => sessionStorage.getItem(SESSION) === '1',
  clear() {
    sessionStorage.removeItem(KEY);
    sessionStorage.removeItem(SESSION);
  },
};

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export const enc = encodeURIComponent;

// q appends the set parameters to path.
export function q(path, params) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) if (v != null && v !== '') p.set(k, v);
  const qs = p.toString();
  return qs ? path + '?' + qs : path;
}

function headers(accept) {
  const hs = { Accept: accept };
  const t = token.get();
  if (t) hs.Authorization = 'Bearer ' + t;
  return hs;
}

// unauthorized forgets a token the manager no longer takes and goes back to the login.
function unauthorized() {
  token.clear();
  if (location.hash !== '#/login') location.hash = '#/login';
}

export async function call(method, path, body, signal) {
  const hs = headers('application/json');
  if (body !== undefined) hs['Content-Type'] = 'application/json';
  const res = await fetch(path, {
    method, headers: hs, signal, cache: 'no-store',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { /* an error page that is no JSON */ }
  if (!res.ok) {
    if (res.status === 401 && path !== '/api/v1/login') unauthorized();
    throw new ApiError(res.status, (data && data.error) || res.statusText || 'request failed');
  }
  return data;
}

export const get = (path, signal) => call('GET', path, undefined, signal);

function sleep(ms, signal) {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
  });
}

// watchDashboard calls each with every dashboard document of the event stream, the first
// at once, until signal aborts. EventSource cannot send the Authorization header, so the
// stream is read with fetch. A stream that ends or fails is opened again, after a pause
// that grows to 5 s; onError hears of each failure (the page says the view is stale).
export async function watchDashboard(env, each, onError, signal) {
  let pause = 250;
  while (!signal.aborted) {
    try {
      const res = await fetch(q('/api/v1/dashboard/events', { env }), { headers: headers('text/event-stream'), signal, cache: 'no-store' });
      if (res.status === 401) return unauthorized();
      if (!res.ok) throw new ApiError(res.status, res.statusText);
      await readEvents(res.body, (event, data) => {
        if (event !== 'dashboard') return;
        pause = 250;
        each(JSON.parse(data));
      });
    } catch (err) {
      if (signal.aborted) return;
      onError(err);
    }
    await sleep(pause, signal);
    pause = Math.min(2 * pause, 5000);
  }
}

// readEvents parses a server-sent event stream: fields up to a blank line make one event.
async function readEvents(body, onEvent) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = '';
  let event = '';
  let data = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buf += value;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      let line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      if (line.endsWith('\r')) line = line.slice(0, -1);
      if (line === '') {
        if (data.length) onEvent(event || 'message', data.join('\n'));
        event = '';
        data = [];
      } else if (line.startsWith('event:')) {
        event = line.slice(6).trim();
      } else if (line.startsWith('data:')) {
        data.push(line.slice(5).replace(/^ /, ''));
      }
    }
  }
}

// every runs load now and then every ms until signal aborts, for the pages that follow
// what they show; a failed load is shown by onError and tried again at the next tick.
export async function every(ms, signal, load, onError) {
  while (!signal.aborted) {
    try {
      await load();
    } catch (err) {
      if (signal.aborted) return;
      onError(err);
    }
    await sleep(ms, signal);
  }
}
