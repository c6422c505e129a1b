// The first requests of a page, started as early as the page allows: by boot.ts, a few hundred
// bytes that run as soon as they arrive, while the app's bundle is still loading and being
// compiled (on a busy 2-core machine that took 300–400 ms, during which the requests used to
// wait): /api/v1/me always, and a returning visitor's Cascade page's data. The app adopts the
// requests on their way (main.tsx, load.ts, session.ts) instead of asking again. Whichever of
// boot.ts and the app runs first decides; the other finds it decided.
// No imports but types: this goes into boot.ts's bundle too.

// A hint, kept in this browser, that it had a session (session.ts sets and clears it). Never a
// secret: the session itself is the HttpOnly cookie.
export const kSessionHint = 'cascade-signed-in';

// Who is signed in (session.ts), asked on every page.
export const kMeUrl = '/api/v1/me';
// The Cascade page's data (pages/home.tsx asks for the same URLs).
export const kTreeUrl = '/api/v1/tree';
export const kTeamsUrl = '/api/v1/teams?limit=1000';
export const kPeopleUrl = '/api/v1/people?limit=1000';

// Each URL asked for, with its parsed answer on its way.
export type Early = Map<string, Promise<unknown>>;

declare global {
  interface Window {
    cascadeEarly?: Early;  // undefined: not started yet
  }
}

export function hadSessionHint(): boolean {
  try {
    return localStorage.getItem(kSessionHint) === '1';
  } catch {
    return false;
  }
}

// Takes the early request for `url` if there is one (each is taken once).
export function takeEarly(url: string): Promise<unknown> | undefined {
  const answer = window.cascadeEarly?.get(url);
  window.cascadeEarly?.delete(url);
  return answer;
}

// Starts /api/v1/me, and the Cascade page's requests if this is a returning visitor's Cascade page
// (once; later calls return what the first decided).
export function startEarly(): Early {
  if (window.cascadeEarly !== undefined) return window.cascadeEarly;
  const urls = [kMeUrl];
  if (window.location.pathname === '/' && !window.location.search && hadSessionHint()) urls.push(kTreeUrl, kTeamsUrl, kPeopleUrl);
  const early: Early = new Map();
  for (const url of urls) {
    const answer = fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' }).then((res) =>
      res.ok ? res.json() : Promise.reject(new Error(`the server answered ${res.status}`)),
    );
    // Not an unhandled rejection: load.ts then asks again itself and shows what went wrong, and
    // session.ts takes a refused /api/v1/me as nobody signed in.
    answer.catch(() => {});
    early.set(url, answer);
  }
  window.cascadeEarly = early;
  return early;
}
